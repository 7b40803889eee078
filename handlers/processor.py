"""Updates from different chats at once, updates from one chat in order: PTB's update processor.

Wire it with ``Application.builder().concurrent_updates(build_processor(n))``.

**Why order.** Within one chat, updates depend on each other: a command without an argument
asks for it and the next message is the answer, a button press edits the message an earlier
update sent, ``/lang`` changes the language of the next reply. Telegram delivers a chat's
updates in order; answering them in another order would answer the wrong question. So each chat
key (the chat, or for chat-less updates such as inline queries the user; a private chat's id is
its user's id, so one person's private chat and inline queries share one lane) has a lane: its
updates run one at a time, in arrival order. Different chats have nothing to wait for, so their
lanes run side by side.

**Why slots are taken at the head of a lane.** At most ``concurrency`` updates run at once (a
worker slot each). The work is I/O-bound, mostly waiting on the Bot API, and that wait can be
long: PTB's ``AIORateLimiter`` holds a message to a group until the group's 20-a-minute budget
allows it, so the 21st command of a busy group waits ~3 s inside its handler, the 30th ~30 s. If
every update took a slot on arrival (PTB's own semaphore, which ``process_update`` acquires
before ``do_process_update``) and then waited for its chat's turn, 30 commands from one group
would hold 30 slots while they wait, and an unrelated private /start would queue behind them,
which is the head-of-line blocking this module removes. Here an update takes a slot only once
it is at the head of its lane (the chat's previous update has finished), so one chat, however
busy or throttled, holds at most one slot, and the others stay free for other chats. The base
class's semaphore is kept only as a loose admission bound (``max_pending``: updates admitted,
running or waiting their turn), far above what a healthy bot queues; it never takes part in
ordering (it is FIFO, and the lane is joined synchronously right after it).

What a slot costs: a coroutine, no thread. CPU-heavy work should still leave the event loop
(``asyncio.to_thread`` or an executor inside the handler); a handler that does so simply awaits
while holding its slot, and other lanes go on. Handlers registered with ``block=False`` run as
separate tasks and leave the lane as soon as they are started, so they lose the per-chat order;
this project's handlers all block.

Errors: the coroutine is ``Application.process_update(update)``, which already hands handler
errors to the error handler. Anything that escapes it is re-raised unchanged, so PTB's task
wrapper reports it to the error handler as it does for its own processor; the lane and the slot
are released either way, and the chat's next update runs. A lane is deleted as soon as nothing
is running or waiting in it, so idle chats cost no memory.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["DEFAULT_CONCURRENCY", "PerChatUpdateProcessor", "build_processor", "chat_key"]

# A small 2-core box: handlers mostly wait on the Bot API (30 messages a second overall), so a
# few dozen in flight keep that pipe full with room for chats throttled by their group limit.
DEFAULT_CONCURRENCY = 32
# Updates admitted to the processor (running or waiting their chat's turn) before further ones
# wait to be admitted, in arrival order. PTB has already made a task per update by then, so this
# bounds nothing in memory; it is set far above a healthy backlog.
DEFAULT_MAX_PENDING = 100_000


def chat_key(update: object) -> Hashable | None:
    """The lane of an update: its chat, else its user (inline queries), else none."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


@dataclass(slots=True)
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # FIFO: arrival order
    updates: int = 0  # admitted for this key and not finished (running or waiting)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Per-chat serial, cross-chat concurrent; a chat holds at most one of ``concurrency`` slots.

    ``max_concurrent_updates`` (the base class's bound) is the admission bound ``max_pending``;
    the number of updates running at once is ``concurrency``.
    """

    def __init__(
        self,
        concurrency: int = DEFAULT_CONCURRENCY,
        *,
        max_pending: int = DEFAULT_MAX_PENDING,
        key: Callable[[object], Hashable | None] = chat_key,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        if max_pending < concurrency:
            raise ValueError(f"max_pending ({max_pending}) must be at least concurrency")
        super().__init__(max_pending)
        self._concurrency = concurrency
        self._key = key
        self._slots = asyncio.Semaphore(concurrency)
        self._lanes: dict[Hashable, _Lane] = {}
        self._running = 0

    @property
    def concurrency(self) -> int:
        """How many updates may run at once."""
        return self._concurrency

    @property
    def running(self) -> int:
        """Updates holding a slot now (a snapshot)."""
        return self._running

    @property
    def lanes(self) -> int:
        """Chats with an update running or waiting now (a snapshot); 0 when idle."""
        return len(self._lanes)

    async def initialize(self) -> None:
        """Nothing to allocate: lanes are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: Application.stop() has waited for every update by now."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._process(update, coroutine)
        finally:
            if inspect.iscoroutine(coroutine) and (
                inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED
            ):
                coroutine.close()  # cancelled before its turn: no "never awaited" warning

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self._key(update)
        if key is None:  # no chat and no user: nothing to keep in order with
            await self._run(coroutine)
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        # joined synchronously, with no await since PTB took the update off its queue: arrival
        # order is the order of the lane's lock queue
        lane.updates += 1
        try:
            async with lane.lock:
                await self._run(coroutine)
        finally:
            lane.updates -= 1
            if lane.updates == 0:
                del self._lanes[key]

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        async with self._slots:
            self._running += 1
            try:
                await coroutine
            finally:
                self._running -= 1


def build_processor(concurrency: int = DEFAULT_CONCURRENCY) -> PerChatUpdateProcessor:
    """The processor the bot uses: ``builder.concurrent_updates(build_processor(n))``."""
    return PerChatUpdateProcessor(concurrency)
