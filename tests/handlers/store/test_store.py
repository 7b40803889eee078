"""The store's contract, the same on both backends (see conftest: one run each)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from handlers.store import (
    ListItem,
    ListWrite,
    Store,
    StoreUnavailable,
    VersionConflict,
)
from tests.handlers.store.conftest import Backend, FakeClock

GROUP = -1001234567890  # a supergroup's chat id
USER = 1087968824


# -- settings --------------------------------------------------------------------------------


async def test_language_round_trip(store: Store) -> None:
    assert await store.get_language(USER) is None
    await store.set_language(USER, "es")
    assert await store.get_language(USER) == "es"
    await store.set_language(USER, "en")
    assert await store.get_language(USER) == "en"
    await store.set_language(USER, None)
    assert await store.get_language(USER) is None


async def test_settings_are_per_owner_and_name(store: Store) -> None:
    await store.set_language(USER, "es")
    await store.set_language(GROUP, "en")
    await store.set_setting(USER, "region", "AR")
    assert await store.get_language(USER) == "es"
    assert await store.get_language(GROUP) == "en"
    assert await store.get_language(-USER) is None
    assert await store.get_setting(USER, "region") == "AR"
    assert await store.get_setting(GROUP, "region") is None


@pytest.mark.parametrize("owner", [-(2**63), 2**63 - 1, 0, -1, 136817688])
async def test_any_telegram_id_is_an_owner(store: Store, owner: int) -> None:
    await store.set_language(owner, "es")
    assert await store.get_language(owner) == "es"


@pytest.mark.parametrize(
    "value",
    ["<b>&amp;</b>", "'; DROP TABLE settings; --", "ñandú 🎬 \u202e", "x" * 4096, " "],
)
async def test_text_comes_back_unchanged(store: Store, value: str) -> None:
    await store.set_setting(USER, "note", value)
    assert await store.get_setting(USER, "note") == value
    await store.kv_set("photo", value[:256], value)
    assert await store.kv_get("photo", value[:256]) == value


async def test_bad_arguments_are_refused_before_the_database(store: Store) -> None:
    refused = [
        store.set_setting(USER, "note", "a\x00b"),  # PostgreSQL cannot store NUL
        store.set_setting(USER, "note", "\ud800 titanic"),  # not encodable
        store.set_setting(USER, "note", "x" * 4097),
        store.set_setting(USER, "Bad Name", "x"),
        store.get_setting(2**63, "language"),
        store.list_set(USER, 862, "watchlist", rating=0),
        store.list_set(USER, 862, "watchlist", rating=11),
        store.list_set(USER, 0, "watchlist"),
        store.list_set(USER, 862, "Watch List"),
        store.list_items(USER, "watchlist", limit=0),
        store.list_items(USER, "watchlist", offset=-1),
        store.kv_set("photo", "", "x"),
        store.kv_set("photo", "é" * 513, "x"),  # 1026 bytes
        store.kv_set("Photo!", "k", "x"),
        store.kv_set("photo", "k", "x", ttl_seconds=0),
        store.kv_set("photo", "k", "x", ttl_seconds=float("inf")),
        store.kv_set("photo", "k", "x", ttl_seconds=float("nan")),
        store.session_put(GROUP, 0, "not json", 0),
        store.session_put(GROUP, -1, "{}", 0),
    ]
    for call in refused:
        with pytest.raises(ValueError):
            await call
    for wrong_type in [
        store.get_language(True),
        store.get_language("1"),  # type: ignore[arg-type]
        store.list_set(USER, 862, "watchlist", rating=True),
        store.kv_set("photo", "k", b"x"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(TypeError):
            await wrong_type
    assert await store.get_setting(USER, "note") is None
    assert await store.list_count(USER, "watchlist") == 0


# -- key-value cache --------------------------------------------------------------------------


async def test_kv_round_trip(store: Store) -> None:
    url = "https://image.tmdb.org/t/p/w500/abc.jpg"
    assert await store.kv_get("photo", url) is None
    await store.kv_set("photo", url, "AgACAgQAAxkBAAI")
    assert await store.kv_get("photo", url) == "AgACAgQAAxkBAAI"
    assert await store.kv_get("photo-bad", url) is None  # namespaces are separate
    await store.kv_set("photo", url, "other")
    assert await store.kv_get("photo", url) == "other"
    await store.kv_delete("photo", url)
    assert await store.kv_get("photo", url) is None


async def test_kv_expiry_follows_the_clock(store: Store, clock: FakeClock) -> None:
    await store.kv_set("tmdb", "movie/862", '{"id": 862}', ttl_seconds=10)
    await store.kv_set("tmdb", "movie/863", '{"id": 863}', ttl_seconds=100)
    await store.kv_set("photo", "forever", "file-id")
    clock.advance(9.99)
    assert await store.kv_get("tmdb", "movie/862") == '{"id": 862}'
    clock.advance(0.01)
    assert await store.kv_get("tmdb", "movie/862") is None  # expired at exactly +10 s
    assert await store.kv_get("tmdb", "movie/863") == '{"id": 863}'
    assert await store.purge_expired() == 1
    assert await store.purge_expired() == 0
    # writing again restarts the time to live
    await store.kv_set("tmdb", "movie/862", "fresh", ttl_seconds=5)
    assert await store.kv_get("tmdb", "movie/862") == "fresh"
    clock.advance(10**9)
    assert await store.kv_get("tmdb", "movie/862") is None
    assert await store.kv_get("photo", "forever") == "file-id"
    # an entry without expiry replaces one with it
    await store.kv_set("tmdb", "movie/863", "pinned")
    clock.advance(10**9)
    assert await store.kv_get("tmdb", "movie/863") == "pinned"


# -- lists ----------------------------------------------------------------------------------


async def test_list_round_trip(store: Store, clock: FakeClock) -> None:
    first = await store.list_set(USER, 862, "watchlist")
    assert first == ListItem(USER, 862, "watchlist", None, clock.now, clock.now)
    clock.advance(60)
    rated = await store.list_set(USER, 862, "watchlist", rating=9)
    assert rated.rating == 9
    assert rated.created_at == first.created_at  # re-adding keeps the first date
    assert rated.updated_at == first.created_at + 60
    assert await store.list_get(USER, 862, "watchlist") == rated
    assert await store.list_get(USER, 862, "seen") is None
    assert await store.list_remove(USER, 862, "watchlist") is True
    assert await store.list_remove(USER, 862, "watchlist") is False
    assert await store.list_get(USER, 862, "watchlist") is None


async def test_list_pages_newest_first(store: Store, clock: FakeClock) -> None:
    for movie in range(1, 8):
        clock.advance(1)
        await store.list_set(USER, movie, "seen", rating=movie)
    await store.list_set(USER, 100, "watchlist")
    clock.advance(1)
    await store.list_set(USER, 2, "seen", rating=10)  # re-rated: back on top
    page = await store.list_items(USER, "seen", limit=3)
    assert [(i.movie_id, i.rating) for i in page] == [(2, 10), (7, 7), (6, 6)]
    rest = await store.list_items(USER, "seen", limit=10, offset=3)
    assert [i.movie_id for i in rest] == [5, 4, 3, 1]
    assert await store.list_items(USER, "seen", limit=10, offset=7) == []
    assert await store.list_count(USER, "seen") == 7
    assert await store.list_count(USER, "watchlist") == 1
    assert await store.list_count(GROUP, "seen") == 0


async def test_many_list_writes_in_one_go(store: Store, clock: FakeClock) -> None:
    """An import: thousands of changes in batches of 500, equal to writing them one by one."""
    await store.list_set(USER, 1, "seen", rating=2)
    await store.list_set(USER, 2, "later")
    clock.advance(10)
    writes = [ListWrite(m, "seen", m % 5 + 1) for m in range(1, 3001)]
    writes += [ListWrite(2, "later", remove=True), ListWrite(99_999, "later", remove=True)]
    batches: list[int] = []
    write = store._list_write_many

    async def counted(sets, removes):
        batches.append(len(sets) + len(removes))
        await write(sets, removes)

    store._list_write_many = counted  # type: ignore[method-assign]
    await store.list_write_many(USER, writes)
    assert batches == [502, 500, 500, 500, 500, 500]  # each within one statement's time limit
    assert await store.list_count(USER, "seen") == 3000
    assert await store.list_count(USER, "later") == 0
    first = await store.list_get(USER, 1, "seen")
    assert first == ListItem(USER, 1, "seen", 2, clock.now - 10, clock.now)  # kept its date
    assert (await store.list_get(USER, 3000, "seen")).rating == 1
    await store.list_write_many(USER, [])  # nothing to do is fine
    with pytest.raises(ValueError):  # one bad row: refused before the database, nothing written
        await store.list_write_many(USER, [ListWrite(5000, "seen", 4), ListWrite(1, "seen", 11)])
    assert await store.list_get(USER, 5000, "seen") is None


# -- group sessions -----------------------------------------------------------------------------


async def test_session_versions(store: Store, clock: FakeClock) -> None:
    assert await store.session_get(GROUP) is None
    created = await store.session_put(GROUP, 0, json.dumps({"votes": {}}), expected_version=0)
    assert (created.version, created.updated_at) == (1, clock.now)
    with pytest.raises(VersionConflict) as exists:
        await store.session_put(GROUP, 0, "{}", expected_version=0)
    assert exists.value.actual == 1
    clock.advance(5)
    second = await store.session_put(GROUP, 0, '{"votes": {"862": 1}}', expected_version=1)
    assert second.version == 2
    with pytest.raises(VersionConflict) as stale:
        await store.session_put(GROUP, 0, '{"votes": {}}', expected_version=1)
    assert (stale.value.expected, stale.value.actual) == (1, 2)
    assert await store.session_get(GROUP) == second  # the stale write changed nothing
    # topics of a forum are separate sessions
    topic = await store.session_put(GROUP, 42, "[]", expected_version=0)
    assert topic.version == 1
    await store.session_delete(GROUP, 0)
    assert await store.session_get(GROUP, 0) is None
    assert await store.session_get(GROUP, 42) == topic
    with pytest.raises(VersionConflict) as gone:
        await store.session_put(GROUP, 0, "{}", expected_version=2)
    assert gone.value.actual is None


# -- forget, restart, replicas --------------------------------------------------------------


async def fill(store: Store, owner: int) -> None:
    await store.set_language(owner, "es")
    await store.set_setting(owner, "region", "MX")
    await store.list_set(owner, 862, "watchlist")
    await store.list_set(owner, 863, "seen", rating=8)
    await store.session_put(owner, 0, '{"round": 1}', 0)
    await store.session_put(owner, 7, '{"round": 2}', 0)


async def test_forget_leaves_nothing(store: Store, backend: Backend) -> None:
    await fill(store, GROUP)
    await fill(store, USER)
    await store.kv_set("photo", "https://x/1.jpg", "file-id")
    before = await backend.rows_of(GROUP)
    assert sum(before.values()) == 6
    assert {"settings", "list_items", "sessions"} <= set(before)

    await store.forget(GROUP)

    # every table with an owner, chat or user column, including any added later
    assert set((await backend.rows_of(GROUP)).values()) == {0}
    assert await store.get_language(GROUP) is None
    assert await store.list_count(GROUP, "watchlist") == 0
    assert await store.session_get(GROUP, 7) is None
    # nobody else's
    assert sum((await backend.rows_of(USER)).values()) == 6
    assert await store.kv_get("photo", "https://x/1.jpg") == "file-id"
    await store.forget(GROUP)  # forgetting twice is fine


async def test_restart_keeps_everything(backend: Backend, clock: FakeClock) -> None:
    first = backend.make()
    await first.open()
    await fill(first, USER)
    await first.kv_set("tmdb", "movie/862", "{}", ttl_seconds=3600)
    await first.close()
    with pytest.raises(StoreUnavailable):
        await first.get_language(USER)  # closed means closed

    again = backend.make()
    async with again:
        assert await again.get_language(USER) == "es"
        assert await again.get_setting(USER, "region") == "MX"
        assert [i.movie_id for i in await again.list_items(USER, "watchlist")] == [862]
        assert (await again.list_get(USER, 863, "seen")) == ListItem(
            USER, 863, "seen", 8, clock.now, clock.now
        )
        assert (await again.session_get(USER, 7)) is not None
        assert await again.kv_get("tmdb", "movie/862") == "{}"
        assert await again.schema_versions() == [1, 2]

    # the same object opens again after close
    await first.open()
    try:
        assert await first.get_language(USER) == "es"
    finally:
        await first.close()


async def test_replicas_see_each_others_writes_at_once(backend: Backend) -> None:
    async with backend.make() as a, backend.make() as b:
        assert await b.get_language(USER) is None  # a read before the write is not cached
        await a.set_language(USER, "es")
        assert await b.get_language(USER) == "es"
        await b.set_language(USER, "en")
        assert await a.get_language(USER) == "en"
        await a.list_set(USER, 862, "watchlist")
        assert await b.list_count(USER, "watchlist") == 1
        await b.list_remove(USER, 862, "watchlist")
        assert await a.list_get(USER, 862, "watchlist") is None
        await a.kv_set("photo", "u", "f")
        assert await b.kv_get("photo", "u") == "f"
        await b.forget(USER)
        assert await a.get_language(USER) is None


async def test_many_concurrent_writers_on_one_owner(backend: Backend) -> None:
    async with backend.make() as a, backend.make() as b:
        replicas = (a, b)
        # 200 different films at once, from two replicas
        await asyncio.gather(
            *(
                replicas[i % 2].list_set(GROUP, i + 1, "watchlist", rating=i % 10 + 1)
                for i in range(200)
            )
        )
        assert await a.list_count(GROUP, "watchlist") == 200
        assert await b.list_count(GROUP, "watchlist") == 200
        # 100 writes of one setting at once: one of them wins, both replicas agree
        languages = ["es", "en", "pt", "fr"]
        await asyncio.gather(
            *(replicas[i % 2].set_language(GROUP, languages[i % 4]) for i in range(100))
        )
        assert await a.get_language(GROUP) == await b.get_language(GROUP) in languages

        # read-modify-write of one session from 20 tasks on two replicas: none lost
        await a.session_put(GROUP, 0, json.dumps({"votes": 0}), 0)

        async def vote(replica: Store) -> int:
            conflicts = 0
            while True:
                current = await replica.session_get(GROUP)
                assert current is not None
                document = json.loads(current.document)
                document["votes"] += 1
                try:
                    await replica.session_put(GROUP, 0, json.dumps(document), current.version)
                    return conflicts
                except VersionConflict:
                    conflicts += 1

        await asyncio.gather(*(vote(replicas[i % 2]) for i in range(20)))
        final = await b.session_get(GROUP)
        assert final is not None
        assert json.loads(final.document) == {"votes": 20}
        assert final.version == 21


async def test_migrations_run_once_when_replicas_start_together(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="movierec.store")
    stores = [backend.make() for _ in range(4)]
    try:
        await asyncio.gather(*(s.open() for s in stores))
        for s in stores:
            assert await s.schema_versions() == [1, 2]
        applied = [r.getMessage() for r in caplog.records if "applied migration" in r.message]
        assert len(applied) == 2, applied  # versions 1 and 2, once each
        caplog.clear()
        async with backend.make():
            pass  # a later start finds nothing to do
        assert not [r for r in caplog.records if "applied migration" in r.message]
    finally:
        await asyncio.gather(*(s.close() for s in stores))


async def test_close_is_always_safe(backend: Backend) -> None:
    never_opened = backend.make()
    await never_opened.close()
    with pytest.raises(StoreUnavailable):
        await never_opened.get_language(USER)
    opened = backend.make()
    await opened.open()
    await opened.close()
    await opened.close()
