"""SQLite only: locks held by another process, a database that breaks and comes back."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import textwrap
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from handlers.store import SQLiteStore, StoreLocked, StoreUnavailable

USER = 1001


class Ticker:
    """Counts how long the event loop went without running an unrelated coroutine."""

    def __init__(self, period: float = 0.01) -> None:
        self.period = period
        self.longest_gap = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(self.period)
            now = time.perf_counter()
            self.longest_gap = max(self.longest_gap, now - last)
            last = now

    async def __aenter__(self) -> Ticker:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


@asynccontextmanager
async def locked_by_another_process(
    path: Path, seconds: float, setup: str = ""
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Another process takes the write lock (``BEGIN IMMEDIATE``) and holds it ``seconds``."""
    code = textwrap.dedent(
        f"""
        import sqlite3, sys, time
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        {setup}
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS other_app (x)")
        print("locked", flush=True)
        time.sleep({seconds})
        conn.execute("COMMIT")
        """
    )
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        assert (await asyncio.wait_for(child.stdout.readline(), 10)).strip() == b"locked"
        yield child
    finally:
        if child.returncode is None:
            await child.wait()


def read_language(path: Path, owner: int) -> str | None:
    """What another process would read now."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(
            "SELECT value FROM settings WHERE owner = ? AND name = 'language'", (owner,)
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "movierec.sqlite3"


async def test_a_lock_held_elsewhere_never_blocks_the_event_loop(path: Path) -> None:
    async with SQLiteStore(path) as store:
        await store.set_language(2002, "en")
        async with locked_by_another_process(path, 2.5), Ticker() as ticker:
            started = time.perf_counter()
            write = asyncio.create_task(store.set_language(USER, "es"))
            # reads go on meanwhile (WAL), each well under the lock's duration
            for _ in range(5):
                read_started = time.perf_counter()
                assert await store.get_language(2002) == "en"
                assert time.perf_counter() - read_started < 1.0
                await asyncio.sleep(0.2)
            assert not write.done()
            await write
            waited = time.perf_counter() - started
        assert waited >= 2.0  # the write waited for the lock ...
        assert ticker.longest_gap < 0.5  # ... and the loop kept running meanwhile
        assert read_language(path, USER) == "es"  # and it landed


async def test_every_kind_of_write_waits_for_the_lock_and_lands(path: Path) -> None:
    async with SQLiteStore(path) as store:
        await store.set_language(USER, "es")
        await store.list_set(USER, 862, "seen")
        async with locked_by_another_process(path, 1.0):
            await asyncio.gather(
                store.forget(USER),  # a transaction of several statements
                store.list_set(2002, 949, "watchlist", rating=9),
                store.session_put(-100, 0, "{}", 0),
                store.kv_set("photo", "u", "f", ttl_seconds=60),
            )
        assert await store.get_language(USER) is None
        assert await store.list_count(USER, "seen") == 0
        assert (await store.list_get(2002, 949, "watchlist")) is not None
        assert (await store.session_get(-100)) is not None
        assert await store.kv_get("photo", "u") == "f"


async def test_a_lock_longer_than_lock_timeout_raises_and_is_not_dropped(path: Path) -> None:
    async with SQLiteStore(path, lock_timeout=0.5) as store:
        async with locked_by_another_process(path, 2.0):
            started = time.perf_counter()
            with pytest.raises(StoreLocked, match="locked by another process"):
                await store.set_language(USER, "es")
            assert 0.5 <= time.perf_counter() - started < 1.9
        # the caller was told; after the lock the same store writes again
        assert read_language(path, USER) is None
        await store.set_language(USER, "es")
        assert read_language(path, USER) == "es"


async def test_a_migrated_database_locked_at_start_opens_at_once(path: Path) -> None:
    async with SQLiteStore(path) as first:
        await first.set_language(USER, "es")
    async with locked_by_another_process(path, 2.0):
        started = time.perf_counter()
        async with SQLiteStore(path) as store:
            assert await store.get_language(USER) == "es"
            assert time.perf_counter() - started < 1.0


async def test_a_new_database_locked_at_start_is_migrated_after_the_lock(path: Path) -> None:
    path.parent.mkdir(parents=True)
    async with locked_by_another_process(path, 1.5), Ticker() as ticker:
        started = time.perf_counter()
        async with SQLiteStore(path) as store:
            assert time.perf_counter() - started >= 1.0
            assert await store.schema_versions() == [1, 2]
        assert ticker.longest_gap < 0.5


async def test_unopenable_at_start_then_fixed_without_a_new_store(path: Path) -> None:
    path.parent.parent.mkdir(parents=True, exist_ok=True)
    path.parent.write_text("a file where the folder should be")
    store = SQLiteStore(path, reopen_interval=0.05)
    with pytest.raises(StoreUnavailable) as failed:
        await store.open()
    message = str(failed.value)
    assert str(path) in message and "\n" not in message
    try:
        with pytest.raises(StoreUnavailable):
            await store.get_language(USER)  # still broken: told at once
        path.parent.unlink()
        await asyncio.sleep(0.06)
        await store.set_language(USER, "es")
        assert await store.get_language(USER) == "es"
        assert read_language(path, USER) == "es"
    finally:
        await store.close()


async def test_a_corrupt_file_is_one_line_and_recovers_once_replaced(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    store = SQLiteStore(path, reopen_interval=0.05)
    with pytest.raises(StoreUnavailable, match="not a database") as failed:
        await store.open()
    assert "\n" not in str(failed.value)
    try:
        path.unlink()
        await asyncio.sleep(0.06)
        await store.set_language(USER, "es")
        assert read_language(path, USER) == "es"
    finally:
        await store.close()


async def test_a_deleted_file_is_recreated_not_written_into_the_void(path: Path) -> None:
    async with SQLiteStore(path) as store:
        await store.set_language(USER, "es")
        for leftover in path.parent.iterdir():
            leftover.unlink()
        await store.set_language(2002, "en")
        assert await store.get_language(USER) is None  # deleted with the file
        assert read_language(path, 2002) == "en"  # where a restart will find it
    async with SQLiteStore(path) as again:
        assert await again.get_language(2002) == "en"


async def test_languages_saved_before_the_store_are_kept(path: Path) -> None:
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE preferences (user_id INTEGER PRIMARY KEY, language TEXT NOT NULL)")
    conn.executemany("INSERT INTO preferences VALUES (?, ?)", [(USER, "es"), (-100, "en")])
    conn.commit()
    conn.close()
    async with SQLiteStore(path) as store:
        assert await store.get_language(USER) == "es"
        assert await store.get_language(-100) == "en"
        await store.forget(USER)
    async with SQLiteStore(path) as store:
        assert await store.get_language(USER) is None  # not imported again
        assert await store.get_language(-100) == "en"


@pytest.mark.parametrize("where", [None, ":memory:"])
async def test_in_memory(where: str | None) -> None:
    async with SQLiteStore(where) as store:
        await store.set_language(USER, "es")
        assert await store.get_language(USER) == "es"
        assert store.path is None


async def test_settings_survive_a_kill(path: Path) -> None:
    """A write acknowledged by the store is on disk: a SIGKILL right after keeps it."""
    code = textwrap.dedent(
        f"""
        import asyncio, os, signal
        from handlers.store import SQLiteStore
        async def main():
            store = SQLiteStore({str(path)!r})
            await store.open()
            await store.set_language({USER}, "es")
            os.kill(os.getpid(), signal.SIGKILL)
        asyncio.run(main())
        """
    )
    root = Path(__file__).resolve().parents[3]
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", code, cwd=root)
    assert await child.wait() == -9
    assert read_language(path, USER) == "es"
