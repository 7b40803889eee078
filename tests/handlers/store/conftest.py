"""Every store test runs against both backends: SQLite (a temp file) and PostgreSQL.

PostgreSQL comes from ``MOVIEREC_TEST_DATABASE_URL`` (``.ci/run`` starts a throwaway server and
sets it); each test gets a fresh schema, dropped afterwards. Without it the PostgreSQL variants
are skipped with one line, except under ``CI=true``, where they fail: CI must run them.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from handlers.store import SQLiteStore, Store

PG_ENV = "MOVIEREC_TEST_DATABASE_URL"
SKIP_REASON = f"PostgreSQL not available: set {PG_ENV} (.ci/run does)"
OWNER_COLUMNS = ("owner", "chat_id", "user_id")


def postgres_url() -> str:
    """The test server's URL; skip without one, fail without one under CI."""
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return url
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(f"CI is set but {PG_ENV} is not: CI must run the PostgreSQL tests")
    pytest.skip(SKIP_REASON)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Report every PostgreSQL skip at one place, so ``-ra`` folds them into one line."""
    report = yield
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and SKIP_REASON in str(longrepr[2]):
        report.longrepr = (__file__, None, str(longrepr[2]))  # type: ignore[assignment]
    return report


def with_search_path(url: str, schema: str) -> str:
    option = quote(f"-c search_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={option}"


class FakeClock:
    """Epoch seconds that move only when told."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Backend:
    name: str
    make: Callable[..., Store]  # another store on the same database: a replica, a restart
    rows_of: Callable[[int], Awaitable[dict[str, int]]]  # raw rows per table naming the owner
    where: str  # the SQLite path or the PostgreSQL URL (with its schema)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Backend]:
    if request.param == "sqlite":
        path = tmp_path / "state" / "movierec.sqlite3"

        def make_sqlite(**options: Any) -> Store:
            options.setdefault("clock", clock)
            return SQLiteStore(path, **options)

        async def sqlite_rows(owner: int) -> dict[str, int]:
            return _sqlite_rows(path, owner)

        yield Backend("sqlite", make_sqlite, sqlite_rows, str(path))
        return

    import psycopg
    from psycopg import sql

    from handlers.store.postgres import PostgresStore

    base = postgres_url()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    async with await psycopg.AsyncConnection.connect(base, autocommit=True) as admin:
        await admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = with_search_path(base, schema)

    def make_postgres(**options: Any) -> Store:
        options.setdefault("clock", clock)
        return PostgresStore(url, **options)

    async def postgres_rows(owner: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        async with await psycopg.AsyncConnection.connect(base, autocommit=True) as conn:
            cursor = await conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND column_name = ANY(%s)",
                (schema, list(OWNER_COLUMNS)),
            )
            for table, column in await cursor.fetchall():
                query = sql.SQL("SELECT count(*) FROM {}.{} WHERE {} = %s").format(
                    sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)
                )
                row = await (await conn.execute(query, (owner,))).fetchone()
                counts[table] = counts.get(table, 0) + (row[0] if row else 0)
        return counts

    try:
        yield Backend("postgresql", make_postgres, postgres_rows, url)
    finally:
        async with await psycopg.AsyncConnection.connect(base, autocommit=True) as admin:
            await admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
async def store(backend: Backend) -> AsyncIterator[Store]:
    async with backend.make() as opened:
        yield opened


def _sqlite_rows(path: Path, owner: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            for column in columns & set(OWNER_COLUMNS):
                (count,) = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE {column} = ?", (owner,)
                ).fetchone()
                counts[table] = counts.get(table, 0) + count
    conn.close()
    return counts
