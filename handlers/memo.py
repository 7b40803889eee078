"""A small in-process memory in front of the state store: entries live ``ttl`` seconds, at most
``max_entries`` are kept, least recently written first out.

Why: the store is the truth and is shared by every replica, but a round trip to it (a thread
hop for SQLite, a network round trip for PostgreSQL) on every update costs more than the rest
of a simple answer. What is read on nearly every update (a person's language, their lists, a
poster's Telegram file id) is remembered here for a short while; ``ttl`` bounds how stale
another replica's write may look, and this process forgets an entry when it writes it.

Entries are written with one TTL per memo, so the oldest written expires first: a put sweeps
expired entries from the front, and memory comes back when people stop coming (the soak bench
checks it).

A value read from the store is kept with :meth:`Memo.fill`, which gives up when anything was
written here (:meth:`put`, :meth:`forget`) since the read began (:meth:`stamp`): a slow read
that started before someone's write must not put the old value back over the new one.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Memo"]

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(
        self, ttl: float, max_entries: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.max_entries, self.clock = ttl, max_entries, clock
        self._entries: OrderedDict[K, tuple[V, float]] = OrderedDict()
        self._writes = 0  # puts and forgets so far (see fill)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> tuple[V] | None:
        """``(value,)`` while remembered (so a remembered None is told from a miss), else None."""
        entry = self._entries.get(key)
        if entry is None or entry[1] <= self.clock():
            return None
        return (entry[0],)

    def stale(self, key: K) -> tuple[V] | None:
        """The value even when expired (what to fall back on while the store is down)."""
        entry = self._entries.get(key)
        return None if entry is None else (entry[0],)

    def stamp(self) -> int:
        """Take before reading what :meth:`fill` will keep."""
        return self._writes

    def fill(self, key: K, value: V, stamp: int) -> None:
        """Keep a value read from the store, unless something was written since ``stamp``
        (then the read may be older than that write: the next read asks the store again)."""
        if stamp == self._writes:
            self._keep(key, value, None)

    def put(self, key: K, value: V, ttl: float | None = None) -> None:
        """Keep a value this process has just written (or knows to be the newest)."""
        self._writes += 1
        self._keep(key, value, ttl)

    def _keep(self, key: K, value: V, ttl: float | None) -> None:
        now = self.clock()
        self._entries[key] = (value, now + (self.ttl if ttl is None else ttl))
        self._entries.move_to_end(key)
        while self._entries and next(iter(self._entries.values()))[1] <= now:
            self._entries.popitem(last=False)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def forget(self, key: K) -> None:
        self._writes += 1
        self._entries.pop(key, None)
