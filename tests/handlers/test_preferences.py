"""The settings cache in front of the state store: freshness, bounds, failures."""

from __future__ import annotations

import logging

from handlers.preferences import Preferences
from handlers.prompts import OpenPrompts


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class DictStore:
    """Two Preferences over one DictStore are two replicas over one database."""

    def __init__(self) -> None:
        self.languages: dict[int, str] = {}
        self.kv: dict[tuple[str, str], str] = {}
        self.reads = 0
        self.purges = 0
        self.broken = False

    async def get_language(self, owner: int) -> str | None:
        self.reads += 1
        if self.broken:
            raise ConnectionError("database down")
        return self.languages.get(owner)

    async def set_language(self, owner: int, language: str) -> None:
        if self.broken:
            raise ConnectionError("database down")
        self.languages[owner] = language

    async def kv_get(self, namespace: str, key: str) -> str | None:
        return self.kv.get((namespace, key))

    async def kv_set(self, namespace: str, key: str, value: str, ttl: float | None) -> None:
        self.kv[(namespace, key)] = value

    async def kv_delete(self, namespace: str, key: str) -> None:
        self.kv.pop((namespace, key), None)

    async def purge_expired(self) -> int:
        self.purges += 1
        return 0


async def test_another_replicas_write_is_seen_within_the_ttl() -> None:
    store, clock = DictStore(), FakeClock()
    a = Preferences(store, ttl=10, clock=clock)
    b = Preferences(store, ttl=10, clock=clock)
    assert await b.language(7) is None  # b caches "nothing stored"
    assert await a.set_language(7, "en")
    clock.now += 5
    assert await b.language(7) is None  # still within b's cache time
    clock.now += 5.1
    assert await b.language(7) == "en"  # past it: read again


async def test_the_cache_saves_reads_and_stays_bounded() -> None:
    store, clock = DictStore(), FakeClock()
    prefs = Preferences(store, ttl=60, max_entries=100, clock=clock)
    for _ in range(3):
        for owner in range(50):
            await prefs.language(owner)
    assert store.reads == 50
    for owner in range(10_000):
        await prefs.language(owner)
    assert len(prefs) == 100


async def test_a_failing_store_is_noted_once_per_interval(caplog) -> None:
    store, clock = DictStore(), FakeClock()
    prefs = Preferences(store, ttl=0, clock=clock, warn_every=60)
    store.broken = True
    with caplog.at_level(logging.DEBUG, logger="handlers.preferences"):
        for owner in range(1000):
            assert await prefs.language(owner) is None
        clock.now += 61
        await prefs.language(1)
    noted = [r for r in caplog.records if r.name == "handlers.preferences"]
    assert len(noted) == 2 and all(r.levelno < logging.WARNING for r in noted)


async def test_a_failed_write_says_so_and_is_kept_for_a_while() -> None:
    store, clock = DictStore(), FakeClock()
    prefs = Preferences(store, ttl=10, clock=clock)
    store.broken = True
    assert await prefs.set_language(3, "en") is False
    assert await prefs.language(3) == "en"
    store.broken = False
    assert await prefs.set_language(3, "en") is True
    assert store.languages[3] == "en"


async def test_open_prompts_are_shared_through_the_store_and_expire_in_memory() -> None:
    store = DictStore()
    await OpenPrompts(store).ask(-5, 77, "score")
    assert await OpenPrompts(store).answered(-5, 77) == "score"  # another replica
    assert await OpenPrompts(store).answered(-5, 77) is None  # answered once
    clock = FakeClock()
    local = OpenPrompts(None, ttl=60, max_in_memory=3, clock=clock)
    for message in range(10):
        await local.ask(1, message, "actor")
    assert len(local) == 3
    assert await local.answered(1, 9) == "actor" and await local.answered(1, 9) is None
    clock.now += 61
    assert await local.answered(1, 8) is None


async def test_expired_prompts_are_purged_from_the_store_now_and_then() -> None:
    store, clock = DictStore(), FakeClock()
    prompts = OpenPrompts(store, clock=clock)
    for message in range(100):
        await prompts.ask(1, message, "score")
        clock.now += 1
    assert store.purges == 1  # once at the start, not once per prompt
    clock.now += 600
    await prompts.ask(1, 1000, "score")
    assert store.purges == 2


async def test_expired_settings_leave_the_cache() -> None:
    store, clock = DictStore(), FakeClock()
    prefs = Preferences(store, ttl=10, clock=clock)
    for owner in range(1000):
        await prefs.language(owner)
    clock.now += 11
    await prefs.language(5000)
    assert len(prefs) == 1  # a quiet hour does not keep the last busy minute's users
