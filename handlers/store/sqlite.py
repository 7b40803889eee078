"""The SQLite backend: the default, for one bot process.

One connection, used only by one dedicated thread: every statement runs there, so the event loop
never waits on the disk or on a lock another process holds. WAL (readers never wait for a
writer), ``synchronous=FULL`` (a committed write survives a crash or power loss) and a short
busy timeout per attempt; a statement that still finds the database locked is retried with
backoff, away from the thread, for up to ``lock_timeout`` seconds, then raises ``StoreLocked``:
never dropped in silence.

A database that cannot be opened raises ``StoreUnavailable`` with one line; the store stays
usable and reopens on a later call (at most once per ``reopen_interval``). So does a database
that breaks while serving (I/O error, the file deleted or replaced: the path is checked before
each call, so writes never go on into a file nobody will read again).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar, Literal, NoReturn, TypeVar

from handlers.store.base import (
    Clock,
    Health,
    StoreLocked,
    StoreUnavailable,
    log,
    one_line,
)
from handlers.store.migrations import LATEST, MIGRATIONS, SQLITE_LEDGER
from handlers.store.sql import SqlStore

T = TypeVar("T")
BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
ATTEMPT_BUSY_MS = 100  # how long one attempt lets SQLite wait for a lock inside the thread


class _Busy(Exception):
    """One attempt found the database locked; the event-loop side waits and retries."""


class SQLiteStore(SqlStore):
    backend: ClassVar[str] = "sqlite"

    def __init__(
        self,
        path: Path | str | None,
        *,
        clock: Clock = time.time,
        lock_timeout: float = 10.0,
        reopen_interval: float = 1.0,
        synchronous: Literal["FULL", "NORMAL"] = "FULL",
    ) -> None:
        """``path`` None or ":memory:" keeps everything in memory (gone at ``close()``)."""
        self.path = None if path is None or str(path) == ":memory:" else Path(path)
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.reopen_interval = reopen_interval
        self.synchronous = synchronous
        self.health = Health(f"SQLite state database {self.path or ':memory:'}")
        self._executor: ThreadPoolExecutor | None = None
        # touched only in the worker thread:
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._retry_open_at = 0.0

    # -- lifecycle ------------------------------------------------------------------------

    async def open(self) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="movierec-sqlite")
        self._retry_open_at = 0.0
        await self._run(lambda conn: None)

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        await asyncio.get_running_loop().run_in_executor(executor, self._disconnect)
        executor.shutdown(wait=True)

    async def ping(self) -> None:
        await self._run(lambda conn: conn.execute("SELECT 1").fetchone())

    async def schema_versions(self) -> list[int]:
        rows = await self._run(
            lambda c: c.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
        )
        return [int(row[0]) for row in rows]

    # -- the thread: every database call, opening included ----------------------------------

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on the connection in the thread; wait out locks, off the thread."""
        executor = self._executor
        if executor is None:
            raise StoreUnavailable("the state store is closed")
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        pause = 0.01
        while True:
            try:
                attempt = loop.run_in_executor(executor, self._attempt, work)
            except RuntimeError as error:  # close() shut the thread down meanwhile
                raise StoreUnavailable("the state store is closed") from error
            try:
                return await attempt
            except _Busy as busy:
                now = time.monotonic()
                deadline = deadline or now + self.lock_timeout
                if now >= deadline:
                    problem = f"database locked by another process for {self.lock_timeout:g} s"
                    self.health.down(problem)
                    raise StoreLocked(f"{self.health.what}: {problem}") from busy
                await asyncio.sleep(min(pause, deadline - now))
                pause = min(pause * 2, 0.25)

    def _attempt(self, work: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._connection()
        try:
            result = work(conn)
        except sqlite3.Error as error:
            if _busy(error):
                raise _Busy(str(error)) from error
            if type(error) in (sqlite3.OperationalError, sqlite3.DatabaseError):
                # disk I/O error, not a database, malformed, readonly...: reopen next time
                self._disconnect()
                self._fail(one_line(error))
            raise
        self.health.up()
        return result

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None and self._same_file():
            return self._conn
        self._disconnect()
        now = time.monotonic()
        if now < self._retry_open_at:
            raise StoreUnavailable(f"{self.health.what}: {self.health.problem}")
        try:
            self._conn = self._connect()
        except _Busy:
            raise
        except (sqlite3.Error, OSError) as error:
            self._fail(one_line(error))
        return self._conn

    def _fail(self, problem: str) -> NoReturn:
        self._retry_open_at = time.monotonic() + self.reopen_interval
        self.health.down(problem)
        raise StoreUnavailable(f"{self.health.what}: {problem}")

    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path or ":memory:",
            timeout=ATTEMPT_BUSY_MS / 1000,
            isolation_level=None,  # autocommit; multi-statement writes use BEGIN IMMEDIATE
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
            self._migrate(conn)
            if self.path is not None:
                info = os.stat(self.path)
                self._identity = (info.st_dev, info.st_ino)
        except sqlite3.Error as error:
            conn.close()
            if _busy(error):
                raise _Busy(str(error)) from error
            raise
        except BaseException:
            conn.close()
            raise
        return conn

    def _same_file(self) -> bool:
        if self.path is None:
            return True
        try:
            info = os.stat(self.path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self._identity

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        self._identity = None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        if _applied(conn) >= {m.version for m in MIGRATIONS}:
            return  # the common case: nothing to do, no write lock needed
        with _write_transaction(conn):
            conn.execute(SQLITE_LEDGER)
            applied = _applied(conn)
            for migration in MIGRATIONS:
                if migration.version in applied:
                    continue
                for statement in migration.sqlite:
                    conn.execute(statement, {"now": self._now()})
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, self._now()),
                )
                _log_applied(self.health.what, migration.version, migration.name)

    # -- settings -----------------------------------------------------------------------------

    async def _forget(self, owner: int) -> None:
        def forget(conn: sqlite3.Connection) -> None:
            with _write_transaction(conn):
                conn.execute("DELETE FROM settings WHERE owner = ?", (owner,))
                conn.execute("DELETE FROM list_items WHERE owner = ?", (owner,))
                conn.execute("DELETE FROM sessions WHERE chat_id = ?", (owner,))
                conn.execute("DELETE FROM preferences WHERE user_id = ?", (owner,))

        await self._run(forget)

    # -- helpers ----------------------------------------------------------------------------------

    async def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        def one(conn: sqlite3.Connection) -> tuple[Any, ...] | None:
            cursor = conn.execute(sql, params)
            try:
                row: tuple[Any, ...] | None = cursor.fetchone()
            finally:
                cursor.close()  # finishes an INSERT ... RETURNING statement
            return row

        return await self._run(one)

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return await self._run(lambda conn: conn.execute(sql, params).fetchall())

    async def _exec(self, sql: str, params: tuple[Any, ...]) -> int:
        return await self._run(lambda conn: conn.execute(sql, params).rowcount)

    async def _exec_many(self, batches: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            with _write_transaction(conn):
                for sql, rows in batches:
                    if rows:
                        conn.executemany(sql, rows)

        await self._run(run)


@contextlib.contextmanager
def _write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction holding the write lock from its start (a busy BEGIN is retried)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in BUSY_CODES
    return "locked" in str(error) or "busy" in str(error)


def _applied(conn: sqlite3.Connection) -> set[int]:
    try:
        rows = conn.execute("SELECT version FROM schema_migrations").fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return set()
        raise
    return {int(row[0]) for row in rows}


def _log_applied(what: str, version: int, name: str) -> None:
    log.info("%s: applied migration %d/%d (%s)", what, version, LATEST, name)
