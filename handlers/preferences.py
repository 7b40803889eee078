"""Per-owner settings (the language), read through a short-lived cache over the state store.

The store (SQLite for one process, PostgreSQL for replicas) is the truth. The cache exists
because the language is read on every update: an entry lives ``ttl`` seconds, so a setting
written by another replica is seen here within that time, and at most ``max_entries`` are kept,
least recently used first out, so memory does not grow with every user ever seen. A failing
store is noted at DEBUG once per ``warn_every`` seconds (the store warns by itself once when the
database goes down); reads then fall back to Telegram's language and a write reports failure so
the user can be told.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

__all__ = ["CACHE_TTL", "Preferences", "SettingsStore"]

log = logging.getLogger(__name__)
CACHE_TTL = 10.0  # seconds: how stale another replica's write may look here
MAX_ENTRIES = 20_000
WARN_EVERY = 60.0


class SettingsStore(Protocol):
    async def get_language(self, owner: int) -> str | None: ...

    async def set_language(self, owner: int, language: str) -> None: ...


class Preferences:
    def __init__(
        self,
        store: SettingsStore | None,
        ttl: float = CACHE_TTL,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
        warn_every: float = WARN_EVERY,
    ) -> None:
        self.store = store
        self.ttl, self.max_entries, self.clock = ttl, max_entries, clock
        self.warn_every = warn_every
        # owner → (language or None, expiry); None entries remember "nothing stored"
        self._cache: OrderedDict[int, tuple[str | None, float]] = OrderedDict()
        self._last_warning = -float("inf")

    def __len__(self) -> int:
        return len(self._cache)

    def _remember(self, owner: int, language: str | None, ttl: float) -> None:
        now = self.clock()
        self._cache[owner] = (language, now + ttl)
        self._cache.move_to_end(owner)
        # entries are written with one TTL, so the oldest written expires first: sweep the front
        while self._cache and next(iter(self._cache.values()))[1] <= now:
            self._cache.popitem(last=False)
        while len(self._cache) > self.max_entries:
            self._cache.popitem(last=False)

    def _warn(self, what: str, error: Exception) -> None:
        now = self.clock()
        if now - self._last_warning >= self.warn_every:
            self._last_warning = now
            # DEBUG: the store itself warns once when the database goes down, INFO when back
            log.debug("settings store: could not %s (%s)", what, type(error).__name__)

    async def language(self, owner: int) -> str | None:
        cached = self._cache.get(owner)
        if cached is not None and cached[1] > self.clock():
            return cached[0]
        if self.store is None:
            return cached[0] if cached is not None else None  # memory is all there is
        try:
            stored = await self.store.get_language(owner)
        except Exception as error:  # any store failure: answer with Telegram's language
            self._warn("read a setting", error)
            return cached[0] if cached is not None else None
        self._remember(owner, stored, self.ttl)
        return stored

    def forget(self, owner: int) -> None:
        """Drop what is cached of ``owner`` (after the store forgot them: /olvidame)."""
        self._cache.pop(owner, None)

    async def set_language(self, owner: int, language: str) -> bool:
        """Store the setting; False when the store failed (the setting is kept for a while)."""
        if self.store is None:
            self._remember(owner, language, float("inf"))
            return True
        try:
            await self.store.set_language(owner, language)
        except Exception as error:
            self._warn("save a setting", error)
            self._remember(owner, language, self.ttl)
            return False
        self._remember(owner, language, self.ttl)
        return True
