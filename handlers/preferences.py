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
from collections.abc import Callable
from typing import Protocol

from handlers.memo import Memo

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
        self.warn_every = warn_every
        # owner → language, or None to remember "nothing stored"
        self._memo: Memo[int, str | None] = Memo(ttl, max_entries, clock)
        self._last_warning = -float("inf")

    @property
    def clock(self) -> Callable[[], float]:
        return self._memo.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self._memo.clock = clock

    @property
    def ttl(self) -> float:
        return self._memo.ttl

    def __len__(self) -> int:
        return len(self._memo)

    def _warn(self, what: str, error: Exception) -> None:
        now = self.clock()
        if now - self._last_warning >= self.warn_every:
            self._last_warning = now
            # DEBUG: the store itself warns once when the database goes down, INFO when back
            log.debug("settings store: could not %s (%s)", what, type(error).__name__)

    async def language(self, owner: int) -> str | None:
        cached = self._memo.get(owner)
        if cached is not None:
            return cached[0]
        stale = self._memo.stale(owner)
        if self.store is None:
            return stale[0] if stale is not None else None  # memory is all there is
        stamp = self._memo.stamp()
        try:
            stored = await self.store.get_language(owner)
        except Exception as error:  # any store failure: answer with Telegram's language
            self._warn("read a setting", error)
            return stale[0] if stale is not None else None
        self._memo.fill(owner, stored, stamp)
        return stored

    def forget(self, owner: int) -> None:
        """Drop what is cached of ``owner`` (after the store forgot them: /olvidame)."""
        self._memo.forget(owner)

    async def set_language(self, owner: int, language: str) -> bool:
        """Store the setting; False when the store failed (the setting is kept for a while)."""
        if self.store is None:
            self._memo.put(owner, language, float("inf"))
            return True
        try:
            await self.store.set_language(owner, language)
        except Exception as error:
            self._warn("save a setting", error)
            self._memo.put(owner, language)
            return False
        self._memo.put(owner, language)
        return True
