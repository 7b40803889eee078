"""PostgreSQL only: unreachable at start, the server going away while serving, secrets."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from handlers.store import (
    SQLiteStore,
    StoreUnavailable,
    check_database_url,
    create_store,
    redact_url,
    url_secrets,
)
from handlers.store.postgres import PostgresStore
from tests.handlers.store.conftest import Backend, postgres_url
from tests.handlers.store.pgserver import TempPostgres, free_port, temp_postgres

USER = 1001
PASSWORD = "s3cr3t-Pa55"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"postgresql://bot:{PASSWORD}@db.internal:5432/movierec",
            "postgresql://bot:***@db.internal:5432/movierec",
        ),
        (
            "postgres://bot:p%40ss%3Aw@db/movierec?sslmode=require",
            "postgres://bot:***@db/movierec?sslmode=require",
        ),
        (
            f"postgresql://db/movierec?user=bot&password={PASSWORD}&sslmode=require",
            "postgresql://db/movierec?user=bot&password=***&sslmode=require",
        ),
        (
            f"host=db user=bot password={PASSWORD} dbname=x",
            "host=db user=bot password=*** dbname=x",
        ),
        ("postgresql://bot@db/movierec", "postgresql://bot@db/movierec"),
    ],
)
def test_passwords_are_redacted(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    for secret in url_secrets(url):
        assert secret not in redact_url(url)


def test_url_secrets_include_the_decoded_password() -> None:
    assert set(url_secrets("postgres://bot:p%40ss@db/x")) == {"p%40ss", "p@ss"}
    assert url_secrets(None) == [] and url_secrets("postgresql://db/x") == []


def test_the_url_picks_the_backend(tmp_path: Path) -> None:
    assert isinstance(create_store(None, tmp_path / "x.sqlite3"), SQLiteStore)
    assert isinstance(create_store("", None), SQLiteStore)
    chosen = create_store(f"postgresql://bot:{PASSWORD}@db/movierec", None)
    assert isinstance(chosen, PostgresStore)
    assert PASSWORD not in chosen.health.what
    for bad in [f"mysql://bot:{PASSWORD}@db/x", "db.internal:5432", "postgresql://"]:
        with pytest.raises(ValueError) as refused:
            check_database_url(bad)
        assert PASSWORD not in str(refused.value)


async def test_unreachable_at_start_is_one_line_without_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"postgresql://movierec:{PASSWORD}@127.0.0.1:{free_port()}/movierec"
    store = PostgresStore(url, connect_timeout=2)
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable) as failed:
        await store.open()
    assert time.perf_counter() - started < 3
    message = str(failed.value)
    assert "\n" not in message
    assert "127.0.0.1" in message and "movierec:***@" in message
    assert PASSWORD not in message
    assert PASSWORD not in caplog.text
    with pytest.raises(StoreUnavailable):  # and later calls say so too, at once
        await store.get_language(USER)
    await store.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_killed_connection_is_replaced_unnoticed(backend: Backend) -> None:
    async with backend.make() as store:
        await store.set_language(USER, "es")
        async with await psycopg.AsyncConnection.connect(postgres_url(), autocommit=True) as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'movierec' AND pid <> pg_backend_pid()"
            )
        assert await store.get_language(USER) == "es"


@pytest.fixture
def server() -> Iterator[TempPostgres]:
    postgres_url()  # PostgreSQL tests enabled (CI, or a developer who set it up)
    instance = temp_postgres()
    try:
        instance.start()
        yield instance
    finally:
        instance.cleanup()


async def test_server_down_while_serving_then_back(server: TempPostgres) -> None:
    """Stopped like a crash: calls fail fast with StoreUnavailable, the store reconnects by
    itself once the server is back, and every acknowledged write is there."""
    store = PostgresStore(server.url, timeout=1.0, reconnect_timeout=3.0, reopen_interval=0.5)
    await store.open()
    try:
        for owner in range(50):
            await store.set_language(owner, "es" if owner % 2 else "en")

        server.stop("immediate")
        started = time.perf_counter()
        with pytest.raises(StoreUnavailable) as down:
            await store.get_language(1)
        assert time.perf_counter() - started < 3
        assert "\n" not in str(down.value)
        with pytest.raises(StoreUnavailable):
            await store.set_language(1, "pt")  # nothing half-written: refused
        # while it is down, answers come quickly, not after a timeout each
        started = time.perf_counter()
        for _ in range(20):
            with pytest.raises(StoreUnavailable):
                await store.get_language(1)
        assert time.perf_counter() - started < 3

        server.start()
        deadline = time.monotonic() + 20
        while True:
            try:
                await store.ping()
                break
            except StoreUnavailable:
                assert time.monotonic() < deadline, "did not reconnect within 20 s"
                await asyncio.sleep(0.2)
        languages = await asyncio.gather(*(store.get_language(o) for o in range(50)))
        assert languages == ["es" if owner % 2 else "en" for owner in range(50)]
        await store.set_language(1, "pt")
        assert await store.get_language(1) == "pt"
    finally:
        await store.close()
