"""Open prompts ("Which film?"): the reply to one continues the command that asked it.

Kept in the state store when there is one, so a reply that reaches another replica still
finds its question, and otherwise in a bounded in-process table. Either way an open prompt
lives ``ttl`` seconds: per-chat memory does not grow with every chat ever served.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

__all__ = ["KeyValueStore", "OpenPrompts"]

log = logging.getLogger(__name__)
NAMESPACE = "prompt"
TTL = 3600.0
MAX_IN_MEMORY = 10_000
PURGE_EVERY = 600.0  # seconds between deletions of expired rows from the store


class KeyValueStore(Protocol):
    async def kv_get(self, namespace: str, key: str) -> str | None: ...

    async def kv_set(
        self, namespace: str, key: str, value: str, ttl_seconds: float | None
    ) -> None: ...

    async def kv_delete(self, namespace: str, key: str) -> None: ...

    async def purge_expired(self) -> int: ...


class OpenPrompts:
    def __init__(
        self,
        store: KeyValueStore | None,
        ttl: float = TTL,
        max_in_memory: int = MAX_IN_MEMORY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store, self.ttl, self.max_in_memory, self.clock = store, ttl, max_in_memory, clock
        self._memory: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._next_purge = -float("inf")

    def __len__(self) -> int:
        return len(self._memory)

    async def ask(self, chat_id: int, message_id: int, action: str) -> None:
        key = f"{chat_id}:{message_id}"
        if self.store is not None:
            try:
                await self.store.kv_set(NAMESPACE, key, action, self.ttl)
                await self._purge_now_and_then()
                return
            except Exception as error:  # the store is down: this replica still remembers
                log.warning("open prompt kept in memory only (%s)", type(error).__name__)
        self._memory[key] = (action, self.clock() + self.ttl)
        self._memory.move_to_end(key)
        while len(self._memory) > self.max_in_memory:
            self._memory.popitem(last=False)

    async def _purge_now_and_then(self) -> None:
        """Expired prompts (and other expired cache rows) are deleted every few minutes:
        reads already ignore them, but nothing else would ever take them out of the store."""
        now = self.clock()
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_EVERY
        assert self.store is not None
        await self.store.purge_expired()

    async def answered(self, chat_id: int, message_id: int) -> str | None:
        """The action a reply to message ``message_id`` continues, if it was our prompt."""
        key = f"{chat_id}:{message_id}"
        kept = self._memory.pop(key, None)
        if kept is not None:
            return kept[0] if kept[1] > self.clock() else None
        if self.store is None:
            return None
        try:
            action = await self.store.kv_get(NAMESPACE, key)
            if action is not None:  # answered: a second reply is plain text again
                await self.store.kv_delete(NAMESPACE, key)
            return action
        except Exception as error:
            log.warning("could not read an open prompt (%s)", type(error).__name__)
            return None
