"""PerChatUpdateProcessor through a real Application: per-chat order, cross-chat concurrency.

Updates go in through ``application.update_queue`` and the running Application, the path
polling and webhooks use, with the in-process Bot API and small handlers that sleep and record.
"""

from __future__ import annotations

import asyncio
import gc
import random
import time
import warnings
from collections import defaultdict
from collections.abc import Awaitable, Callable

import pytest
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler

from handlers.console.offline import ApiLog, OfflineRequest
from handlers.console.updates import callback_update, inline_update, message_update
from handlers.processor import (
    DEFAULT_CONCURRENCY,
    PerChatUpdateProcessor,
    build_processor,
    chat_key,
)

TOKEN = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def application(
    processor: PerChatUpdateProcessor,
    callback: Callback,
    log: ApiLog | None = None,
    rate_limiter: AIORateLimiter | None = None,
) -> Application:
    log = log if log is not None else ApiLog()
    builder = (
        Application.builder()
        .token(TOKEN)
        .request(OfflineRequest(log))
        .get_updates_request(OfflineRequest(log))
        .concurrent_updates(processor)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    app = builder.build()
    app.add_handler(TypeHandler(Update, callback))
    return app


async def run(app: Application, updates: list[dict], timeout: float = 30.0) -> float:
    """Feed every update as polling would, wait until all are processed; the wall time."""
    async with app:
        await app.start()
        started = time.perf_counter()
        for data in updates:
            app.update_queue.put_nowait(Update.de_json(data, app.bot))
        await asyncio.wait_for(app.update_queue.join(), timeout)
        elapsed = time.perf_counter() - started
        await app.stop()
    return elapsed


class Tracker:
    """Counts handlers running at once, overall and per chat."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self.per_chat: dict[int, int] = defaultdict(int)
        self.per_chat_peak: dict[int, int] = defaultdict(int)

    def enter(self, chat: int) -> None:
        self.now += 1
        self.peak = max(self.peak, self.now)
        self.per_chat[chat] += 1
        self.per_chat_peak[chat] = max(self.per_chat_peak[chat], self.per_chat[chat])

    def leave(self, chat: int) -> None:
        self.now -= 1
        self.per_chat[chat] -= 1


def group(text: str, chat_id: int, user_id: int = 5) -> dict:
    return message_update(text, user_id=user_id, chat_id=chat_id, chat_type="group")


async def test_same_chat_keeps_arrival_order_under_concurrency():
    rng = random.Random(7)
    seen: dict[int, list[str]] = defaultdict(list)

    async def handler(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.sleep(rng.uniform(0, 0.004))
        seen[update.effective_chat.id].append(update.effective_message.text)

    chats = [-100, -200, 300, 400]
    updates = [group(f"{i}", -100, user_id=10 + i % 7) for i in range(50)]
    # other chats' updates interleaved with chat A's, each chat in its own order
    mixed = []
    for i, data in enumerate(updates):
        mixed.append(data)
        other = chats[1 + i % 3]
        mixed.append(message_update(f"{i}", user_id=other, chat_id=other))
    processor = PerChatUpdateProcessor(8)
    await run(application(processor, handler), mixed)
    assert seen[-100] == [str(i) for i in range(50)]
    for other in chats[1:]:
        assert seen[other] == sorted(seen[other], key=int)
        assert len(seen[other]) in (16, 17)
    assert processor.lanes == 0


async def test_different_chats_overlap():
    async def handler(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.sleep(0.2)

    updates = [message_update("/start", user_id=1000 + i) for i in range(10)]
    elapsed = await run(application(PerChatUpdateProcessor(16), handler), updates)
    assert elapsed < 0.6, f"10 chats × 0.2 s took {elapsed:.2f} s: not concurrent"


async def test_never_more_than_concurrency_handlers_at_once():
    tracker = Tracker()

    async def handler(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        tracker.enter(update.effective_chat.id)
        assert processor.running <= 5
        await asyncio.sleep(0.005)
        tracker.leave(update.effective_chat.id)

    processor = PerChatUpdateProcessor(5)
    updates = [message_update("hola", user_id=2000 + i % 40) for i in range(200)]
    await run(application(processor, handler), updates)
    assert tracker.peak == 5
    assert max(tracker.per_chat_peak.values()) == 1
    assert processor.running == 0


async def test_a_throttled_chat_holds_one_worker_and_others_go_on():
    """A group whose updates all wait (as on a saturated group limit) takes one slot of two."""
    tracker = Tracker()
    release = asyncio.Event()
    private_done = asyncio.Event()

    async def handler(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat.id
        tracker.enter(chat)
        try:
            if chat < 0:
                await release.wait()
            else:
                private_done.set()
        finally:
            tracker.leave(chat)

    processor = PerChatUpdateProcessor(2)
    app = application(processor, handler)
    async with app:
        await app.start()
        for i in range(30):
            app.update_queue.put_nowait(Update.de_json(group("/mes enero", -1, 100 + i), app.bot))
        app.update_queue.put_nowait(Update.de_json(message_update("/start"), app.bot))
        await asyncio.wait_for(private_done.wait(), 1.0)
        assert processor.running == 1  # the group's head only
        assert tracker.per_chat_peak[-1] == 1
        release.set()
        await asyncio.wait_for(app.update_queue.join(), 5.0)
        await app.stop()
    assert processor.lanes == 0


async def test_a_failing_update_reaches_the_error_handler_and_later_ones_run():
    handled: list[str] = []
    errors: list[str] = []

    async def handler(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        text = update.effective_message.text
        if text.startswith("boom"):
            raise RuntimeError(text)
        handled.append(text)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(str(context.error))

    processor = PerChatUpdateProcessor(4)
    app = application(processor, handler)
    app.add_error_handler(on_error)
    updates = [message_update(text, user_id=77) for text in ("a", "boom1", "b", "boom2", "c")] + [
        message_update("d", user_id=78)
    ]
    await run(app, updates)
    assert handled == ["a", "b", "c", "d"]
    assert errors == ["boom1", "boom2"]
    assert processor.lanes == 0 and processor.running == 0


async def test_an_exception_escaping_process_update_is_re_raised_and_releases_the_lane():
    processor = PerChatUpdateProcessor(2)
    update = Update.de_json(message_update("x", user_id=9), None)

    async def fails() -> None:
        raise ValueError("escaped")

    async def succeeds() -> None:
        done.append("next")

    done: list[str] = []
    with pytest.raises(ValueError, match="escaped"):
        await processor.process_update(update, fails())
    await processor.process_update(update, succeeds())
    assert done == ["next"]
    assert processor.lanes == 0 and processor.running == 0


async def test_cancelled_waiting_update_keeps_order_and_leaves_nothing():
    processor = PerChatUpdateProcessor(4)
    update = Update.de_json(message_update("x", user_id=9), None)
    order: list[int] = []
    gate = asyncio.Event()

    async def step(i: int) -> None:
        if i == 0:
            await gate.wait()
        order.append(i)

    tasks = [asyncio.create_task(processor.process_update(update, step(i))) for i in range(4)]
    await asyncio.sleep(0.01)
    assert processor.lanes == 1 and processor.running == 1
    tasks[2].cancel()  # waiting for its turn: dropped, its coroutine closed unawaited
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        await asyncio.sleep(0)
        gate.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        gc.collect()
    assert isinstance(results[2], asyncio.CancelledError)
    assert order == [0, 1, 3]
    assert processor.lanes == 0 and processor.running == 0


async def test_private_start_is_not_held_up_by_a_group_on_its_rate_limit():
    """The real AIORateLimiter, a group limit of 1 message per 0.4 s: 4 group commands take
    ~1.2 s; a private /start sent after them is answered at once."""
    log = ApiLog()
    answered: dict[int, float] = {}
    started = 0.0

    async def handler(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("ok")
        answered[update.update_id] = time.perf_counter() - started

    limiter = AIORateLimiter(group_max_rate=1, group_time_period=0.4)
    processor = build_processor(8)
    app = application(processor, handler, log, limiter)
    groups = [group("/score@movierec_bot heat", -300, 300 + i) for i in range(4)]
    private = message_update("/start", user_id=42)
    async with app:
        await app.start()
        started = time.perf_counter()
        for data in [*groups, private]:
            app.update_queue.put_nowait(Update.de_json(data, app.bot))
        await asyncio.wait_for(app.update_queue.join(), 10)
        await app.stop()
    assert answered[private["update_id"]] < 0.5
    assert max(answered.values()) > 0.8  # the group really was throttled
    group_replies = [c for c in log.sent("sendMessage") if c.params["chat_id"] == -300]
    assert [c.params["reply_parameters"]["message_id"] for c in group_replies] == [
        g["message"]["message_id"] for g in groups
    ]


def test_chat_key_is_the_chat_else_the_user():
    def key(data: dict) -> object:
        return chat_key(Update.de_json(data, None))

    assert key(group("/start", -5, user_id=8)) == -5
    assert key(message_update("hola", user_id=8)) == 8
    assert key(inline_update("matrix", user_id=8)) == 8  # the lane of their private chat
    assert key(callback_update("x", user_id=8)) == 8
    assert chat_key(Update(update_id=1)) is None  # e.g. a poll's state: no chat, no user
    assert chat_key("not an update") is None


def test_build_processor_checks_its_bounds():
    assert build_processor().concurrency == DEFAULT_CONCURRENCY
    assert build_processor(3).concurrency == 3
    with pytest.raises(ValueError, match="at least 1"):
        build_processor(0)
