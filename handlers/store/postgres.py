"""The PostgreSQL backend: several bot processes (replicas) sharing one database.

psycopg 3 with psycopg_pool's ``AsyncConnectionPool``, the pool the psycopg project maintains:
native asyncio, a health check of each connection before it is handed out, and reconnection in
the background with backoff, so there is no connection logic of our own beyond error mapping.

``open()`` applies the migrations on one connection inside a transaction holding
``pg_advisory_xact_lock`` (replicas starting together: one migrates, the others wait, then find
nothing to do), then opens the pool. Every call takes a checked connection from the pool, runs
in autocommit (one statement) or one transaction, and returns it. Connection trouble becomes
``StoreUnavailable`` within ``timeout`` seconds; while the database is down, calls fail fast
(``reopen_interval``) and the pool keeps reconnecting, so service resumes by itself. A write is
acknowledged only after its commit, so nothing acknowledged is lost when the server restarts.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, LiteralString, TypeVar

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from handlers.store.base import (
    Clock,
    Health,
    StoreUnavailable,
    log,
    one_line,
    redact_url,
    url_secrets,
)
from handlers.store.migrations import LATEST, MIGRATIONS, POSTGRES_LEDGER
from handlers.store.sql import SqlStore

T = TypeVar("T")
Conn = psycopg.AsyncConnection[TupleRow]
MIGRATION_LOCK_WAIT = "60s"  # a replica waits this long for another one's migration


class PostgresStore(SqlStore):
    backend: ClassVar[str] = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        clock: Clock = time.time,
        min_size: int = 1,
        max_size: int = 8,
        timeout: float = 3.0,
        connect_timeout: float = 5.0,
        reconnect_timeout: float = 10.0,
        reopen_interval: float = 1.0,
        application_name: str = "movierec",
    ) -> None:
        """``url``: ``postgresql://user:password@host:port/database`` (or a libpq string).

        ``timeout``: the longest a call waits for a connection and its statements before it
        raises ``StoreUnavailable``. ``reconnect_timeout``: how long one background reconnect
        attempt backs off before the pool gives it up and lets the next call start a new one.
        """
        self.url = url
        self.clock = clock
        self.min_size, self.max_size = min_size, max_size
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.reconnect_timeout = reconnect_timeout
        self.reopen_interval = reopen_interval
        self.where = redact_url(url)
        self.health = Health(f"PostgreSQL state database {self.where}")
        self._secrets = url_secrets(url)
        self._kwargs: dict[str, Any] = {
            "autocommit": True,
            "connect_timeout": max(1, round(connect_timeout)),
            "application_name": application_name,
            # notice a peer that vanished without closing (a dead host, a dropped route)
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        self._pool: AsyncConnectionPool[Conn] | None = None
        self._started = False
        self._opening: asyncio.Lock | None = None
        self._fail_fast_until = 0.0

    # -- lifecycle ------------------------------------------------------------------------

    async def open(self) -> None:
        self._started = True
        self._fail_fast_until = 0.0
        await self._ready()

    async def close(self) -> None:
        self._started = False
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def ping(self) -> None:
        await self._do(lambda conn: conn.execute("SELECT 1"))

    async def schema_versions(self) -> list[int]:
        async def versions(conn: Conn) -> list[int]:
            cursor = await conn.execute("SELECT version FROM schema_migrations ORDER BY 1")
            return [int(row[0]) for row in await cursor.fetchall()]

        return await self._do(versions)

    async def _ready(self) -> AsyncConnectionPool[Conn]:
        if self._pool is not None:
            return self._pool
        if not self._started:
            raise StoreUnavailable("the state store is closed")
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._pool is not None:
                return self._pool
            self._check_fail_fast()
            pool: AsyncConnectionPool[Conn] | None = None
            try:
                await self._migrate()
                pool = AsyncConnectionPool(
                    self.url,
                    kwargs=self._kwargs,
                    min_size=self.min_size,
                    max_size=self.max_size,
                    open=False,
                    check=AsyncConnectionPool.check_connection,
                    timeout=self.timeout,
                    reconnect_timeout=self.reconnect_timeout,
                    name="movierec-store",
                )
                await pool.open(wait=True, timeout=self.connect_timeout)
            except (psycopg.Error, OSError, TimeoutError) as error:
                if pool is not None:
                    await pool.close()
                raise self._unavailable(error) from error
            if not self._started:  # closed while opening
                await pool.close()
                raise StoreUnavailable("the state store is closed")
            self._pool = pool
            self.health.up()
            return pool

    async def _migrate(self) -> None:
        conn = await psycopg.AsyncConnection.connect(self.url, **self._kwargs)
        try:
            async with conn.transaction():
                cursor = await conn.execute("SELECT current_schema()")
                row = await cursor.fetchone()
                schema = row[0] if row else None
                if schema is None:
                    raise psycopg.OperationalError(
                        "no schema to create the tables in: check search_path"
                    )
                await conn.execute(f"SET LOCAL lock_timeout = '{MIGRATION_LOCK_WAIT}'")
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(schema)])
                await conn.execute(POSTGRES_LEDGER)
                cursor = await conn.execute("SELECT version FROM schema_migrations")
                applied = {int(r[0]) for r in await cursor.fetchall()}
                for migration in MIGRATIONS:
                    if migration.version in applied:
                        continue
                    for statement in migration.postgres:
                        await conn.execute(statement)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                        (migration.version, migration.name),
                    )
                    log.info(
                        "%s: applied migration %d/%d (%s)",
                        self.health.what,
                        migration.version,
                        LATEST,
                        migration.name,
                    )
                newer = sorted(applied - {m.version for m in MIGRATIONS})
                if newer:
                    log.warning(
                        "%s has migrations this version does not know: %s (a newer release "
                        "ran here; additive migrations keep this one working)",
                        self.health.what,
                        newer,
                    )
        finally:
            await conn.close()

    # -- every call --------------------------------------------------------------------------

    async def _do(self, work: Callable[[Conn], Awaitable[T]]) -> T:
        pool = await self._ready()
        self._check_fail_fast()
        try:
            async with asyncio.timeout(self.timeout), pool.connection() as conn:
                result = await work(conn)
        except (psycopg.OperationalError, TimeoutError) as error:
            raise self._unavailable(error) from error
        self.health.up()
        return result

    def _check_fail_fast(self) -> None:
        if time.monotonic() < self._fail_fast_until and self.health.problem:
            raise StoreUnavailable(f"{self.health.what}: {self.health.problem}")

    def _unavailable(self, error: BaseException) -> StoreUnavailable:
        if isinstance(error, PoolTimeout | TimeoutError):
            problem = f"no working connection within {self.timeout:g} s (server down?)"
        else:
            problem = one_line(error, self._secrets)
        self._fail_fast_until = time.monotonic() + self.reopen_interval
        self.health.down(problem)
        return StoreUnavailable(f"{self.health.what}: {problem}")

    async def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        async def one(conn: Conn) -> tuple[Any, ...] | None:
            cursor = await conn.execute(_pyformat(sql), params)
            return await cursor.fetchone()

        return await self._do(one)

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        async def rows(conn: Conn) -> list[tuple[Any, ...]]:
            cursor = await conn.execute(_pyformat(sql), params)
            return await cursor.fetchall()

        return await self._do(rows)

    async def _exec(self, sql: str, params: tuple[Any, ...]) -> int:
        async def execute(conn: Conn) -> int:
            cursor = await conn.execute(_pyformat(sql), params)
            return cursor.rowcount

        return await self._do(execute)

    async def _exec_many(self, batches: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
        async def run(conn: Conn) -> None:
            async with conn.transaction(), conn.cursor() as cursor:
                for sql, rows in batches:
                    if rows:
                        await cursor.executemany(_pyformat(sql), rows)

        await self._do(run)

    # -- settings -----------------------------------------------------------------------------

    async def _forget(self, owner: int) -> None:
        async def forget(conn: Conn) -> None:
            async with conn.transaction():
                await conn.execute("DELETE FROM settings WHERE owner = %s", (owner,))
                await conn.execute("DELETE FROM list_items WHERE owner = %s", (owner,))
                await conn.execute("DELETE FROM sessions WHERE chat_id = %s", (owner,))

        await self._do(forget)


def _pyformat(sql: str) -> LiteralString:
    """The shared statements' ``?`` placeholders as psycopg's ``%s`` (no ``?`` appears in them
    otherwise: they hold no string literals)."""
    return sql.replace("?", "%s")


def _lock_key(schema: str) -> int:
    """A stable signed 64-bit advisory-lock key, one per schema."""
    digest = hashlib.blake2b(f"movierec.store.migrations:{schema}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)
