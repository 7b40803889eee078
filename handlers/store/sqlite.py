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
    ITEM_COLUMNS,
    SESSION_COLUMNS,
    Clock,
    Health,
    ListItem,
    Session,
    Store,
    StoreLocked,
    StoreUnavailable,
    VersionConflict,
    item_from_row,
    log,
    one_line,
    session_from_row,
)
from handlers.store.migrations import LATEST, MIGRATIONS, SQLITE_LEDGER

T = TypeVar("T")
BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
ATTEMPT_BUSY_MS = 100  # how long one attempt lets SQLite wait for a lock inside the thread


class _Busy(Exception):
    """One attempt found the database locked; the event-loop side waits and retries."""


class SQLiteStore(Store):
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

    async def _get_setting(self, owner: int, name: str) -> str | None:
        row = await self._one(
            "SELECT value FROM settings WHERE owner = ? AND name = ?", (owner, name)
        )
        return None if row is None else str(row[0])

    async def _set_setting(self, owner: int, name: str, value: str, now: float) -> None:
        await self._exec(
            "INSERT INTO settings (owner, name, value, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (owner, name) DO UPDATE "
            "SET value = excluded.value, updated_at = excluded.updated_at",
            (owner, name, value, now),
        )

    async def _delete_setting(self, owner: int, name: str) -> None:
        await self._exec("DELETE FROM settings WHERE owner = ? AND name = ?", (owner, name))

    async def _forget(self, owner: int) -> None:
        def forget(conn: sqlite3.Connection) -> None:
            with _write_transaction(conn):
                conn.execute("DELETE FROM settings WHERE owner = ?", (owner,))
                conn.execute("DELETE FROM list_items WHERE owner = ?", (owner,))
                conn.execute("DELETE FROM sessions WHERE chat_id = ?", (owner,))
                conn.execute("DELETE FROM preferences WHERE user_id = ?", (owner,))

        await self._run(forget)

    # -- key-value ----------------------------------------------------------------------------

    async def _kv_get(self, namespace: str, key: str, now: float) -> str | None:
        row = await self._one(
            "SELECT value FROM kv WHERE namespace = ? AND key = ? "
            "AND (expires_at IS NULL OR expires_at > ?)",
            (namespace, key, now),
        )
        return None if row is None else str(row[0])

    async def _kv_set(self, namespace: str, key: str, value: str, expires_at: float | None) -> None:
        await self._exec(
            "INSERT INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (namespace, key) DO UPDATE "
            "SET value = excluded.value, expires_at = excluded.expires_at",
            (namespace, key, value, expires_at),
        )

    async def _kv_delete(self, namespace: str, key: str) -> None:
        await self._exec("DELETE FROM kv WHERE namespace = ? AND key = ?", (namespace, key))

    async def _purge_expired(self, now: float) -> int:
        return await self._exec("DELETE FROM kv WHERE expires_at <= ?", (now,))

    # -- lists ----------------------------------------------------------------------------------

    async def _list_set(
        self, owner: int, movie_id: int, kind: str, rating: int | None, now: float
    ) -> ListItem:
        row = await self._one(
            "INSERT INTO list_items (owner, movie_id, kind, rating, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, kind, movie_id) DO UPDATE "
            "SET rating = excluded.rating, updated_at = excluded.updated_at "
            f"RETURNING {ITEM_COLUMNS}",
            (owner, movie_id, kind, rating, now, now),
        )
        assert row is not None
        return item_from_row(row)

    async def _list_get(self, owner: int, movie_id: int, kind: str) -> ListItem | None:
        row = await self._one(
            f"SELECT {ITEM_COLUMNS} FROM list_items WHERE owner = ? AND kind = ? AND movie_id = ?",
            (owner, kind, movie_id),
        )
        return None if row is None else item_from_row(row)

    async def _list_remove(self, owner: int, movie_id: int, kind: str) -> bool:
        return (
            await self._exec(
                "DELETE FROM list_items WHERE owner = ? AND kind = ? AND movie_id = ?",
                (owner, kind, movie_id),
            )
            > 0
        )

    async def _list_items(self, owner: int, kind: str, limit: int, offset: int) -> list[ListItem]:
        rows = await self._all(
            f"SELECT {ITEM_COLUMNS} FROM list_items WHERE owner = ? AND kind = ? "
            "ORDER BY updated_at DESC, movie_id DESC LIMIT ? OFFSET ?",
            (owner, kind, limit, offset),
        )
        return [item_from_row(row) for row in rows]

    async def _list_count(self, owner: int, kind: str) -> int:
        row = await self._one(
            "SELECT count(*) FROM list_items WHERE owner = ? AND kind = ?", (owner, kind)
        )
        return 0 if row is None else int(row[0])

    # -- sessions -------------------------------------------------------------------------------

    async def _session_get(self, chat_id: int, thread_id: int) -> Session | None:
        row = await self._one(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        )
        return None if row is None else session_from_row(row)

    async def _session_put(
        self, chat_id: int, thread_id: int, document: str, expected: int, now: float
    ) -> Session:
        if expected == 0:
            sql = (
                "INSERT INTO sessions (chat_id, thread_id, version, document, updated_at) "
                f"VALUES (?, ?, 1, ?, ?) ON CONFLICT DO NOTHING RETURNING {SESSION_COLUMNS}"
            )
            params: tuple[Any, ...] = (chat_id, thread_id, document, now)
        else:
            sql = (
                "UPDATE sessions SET version = version + 1, document = ?, updated_at = ? "
                f"WHERE chat_id = ? AND thread_id = ? AND version = ? RETURNING {SESSION_COLUMNS}"
            )
            params = (document, now, chat_id, thread_id, expected)
        row = await self._one(sql, params)
        if row is not None:
            return session_from_row(row)
        current = await self._session_get(chat_id, thread_id)
        raise VersionConflict(
            chat_id, thread_id, expected, None if current is None else current.version
        )

    async def _session_delete(self, chat_id: int, thread_id: int) -> None:
        await self._exec(
            "DELETE FROM sessions WHERE chat_id = ? AND thread_id = ?", (chat_id, thread_id)
        )

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
