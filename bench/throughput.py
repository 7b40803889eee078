"""Updates per second through the real bot, beside python-telegram-bot alone sending the same
answers: how much of an update's cost is ours.

The bot side is the real Application as served (``handlers.app.build_application``: defaults,
rate limiter opened up, per-chat processor, every handler, the settings store open) over the
in-process Bot API. The reference is an Application built the same way whose only handler
sends, for each update, the very calls the bot made for it (recorded in a first pass: same
methods, same parameters, the same replies parsed into the same objects), so it does
everything the bot does except the bot's own work: parsing, resolving, ranking, rendering,
the store. Both run the same updates, taking turns, and are timed in CPU time of the whole
process (threads included: the store and offloaded work count). The replay sends the answers
as the JSON-ready values the bot's calls became, so python-telegram-bot turning the bot's
objects (keyboards, inline articles) into those values counts as the bot's own work here.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import statistics
import warnings
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ContextTypes, Defaults, TypeHandler

from bench import queries
from bench.measure import cpu_seconds
from bench.report import Row, ratio, verdict
from handlers.app import build_application, close_services, open_services
from handlers.console.offline import ApiLog, OfflineRequest
from handlers.console.updates import callback_update, inline_update, message_update
from handlers.services import Services
from handlers.settings import Settings

__all__ = [
    "ANSWERS",
    "USERS",
    "bot_updates",
    "recorded_answers",
    "throughput",
    "typo_updates",
    "updates_per_second",
]

USERS = 1000  # spread over many users, as in real traffic (and under the flood limit)
ANSWERS = {"sendMessage", "sendPhoto", "editMessageText", "editMessageMedia", "answerInlineQuery"}
TARGET = 1800  # typo-heavy mix, updates per second (the performance issue)
Maker = Callable[[int], dict[str, Any]]
Mix = Callable[[Services, int], list[dict[str, Any]]]
Calls = dict[int, list[tuple[str, dict[str, Any], bool]]]  # update id → (method, params, message?)


def bot_updates(services: Services, n: int) -> list[dict[str, Any]]:
    """The usual mix: every command, buttons, inline queries, a group (one typo in 14)."""
    c = services.engine.catalog
    director = queries.busiest_people(c, "director", 1)[0]
    film = int(c.ids[queries.popular_titles(c, 1)[0]])
    code = services.codec
    mix: list[Maker] = [
        lambda u: message_update("/mes enero", user_id=u),
        lambda u: message_update("/dia viernes", user_id=u, language="en"),
        lambda u: message_update("/score toy story", user_id=u),
        lambda u: message_update("/votos titanic 1997", user_id=u),
        lambda u: message_update("/actor tom hanks", user_id=u, language="en"),
        lambda u: message_update("/director almodovar", user_id=u),
        lambda u: message_update("/recomendar heat 1995", user_id=u),
        lambda u: message_update("the dark knigth", user_id=u, language="en"),
        lambda u: message_update(
            "/score@movierec_bot hamlet", user_id=u, chat_id=-100, chat_type="group"
        ),
        lambda u: inline_update("matrix", user_id=u),
        lambda u: inline_update("", user_id=u),
        lambda u: callback_update(code.encode("director_page", director, 1, True), user_id=u),
        lambda u: callback_update(code.encode("card", film), user_id=u),
        lambda u: callback_update(code.encode("recommend", film, 1, True), user_id=u),
    ]
    makers = itertools.islice(itertools.cycle(mix), n)
    return [make(10_000 + i % USERS) for i, make in enumerate(makers)]


def typo_updates(services: Services, n: int) -> list[dict[str, Any]]:
    """Typo-heavy traffic: the query set (57% with a typo) typed into commands, plain
    messages and inline mode, plus a recommendation page button now and then."""
    c = services.engine.catalog
    film = int(c.ids[queries.popular_titles(c, 1)[0]])
    title_forms = ["/score {}", "/votos {}", "{}", "inline", "/recomendar {}"]
    makers: list[Maker] = []
    for i, q in enumerate(queries.traffic(c, 200, seed=11)):
        if q.kind == "title":
            form = title_forms[i % len(title_forms)]
            if form == "inline":
                makers.append(partial(_inline, q.typed))
            else:
                makers.append(partial(_message, form.format(q.typed)))
        else:
            makers.append(partial(_message, f"/{q.kind} {q.typed}"))
        if i % 10 == 9:
            makers.append(partial(_press, services.codec.encode("recommend", film, 1, True)))
    return [make(10_000 + i % USERS) for i, make in zip(range(n), itertools.cycle(makers))]


def _message(text: str, user: int) -> dict[str, Any]:
    return message_update(text, user_id=user)


def _inline(text: str, user: int) -> dict[str, Any]:
    return inline_update(text, user_id=user)


def _press(data: str, user: int) -> dict[str, Any]:
    return callback_update(data, user_id=user)


SETTINGS = Settings(overall_rate=1e9, group_rate=1e9, state_db=None)


async def _feed(app: Application, updates: list[dict[str, Any]]) -> tuple[float, float]:
    """Process ``updates`` one after another; (wall seconds, CPU seconds)."""
    loop = asyncio.get_running_loop()
    started, cpu = loop.time(), cpu_seconds()
    for data in updates:
        await app.process_update(Update.de_json(data, app.bot))
    return loop.time() - started, cpu_seconds() - cpu


@contextlib.asynccontextmanager
async def _serving(
    services: Services, updates: list[dict[str, Any]]
) -> AsyncIterator[tuple[Application, ApiLog]]:
    """The bot as served over the offline Bot API, warmed up; on leaving, every update fed to
    it must have been answered (a dropped update would make any figure a lie)."""
    log = ApiLog()
    app = build_application(SETTINGS, services, OfflineRequest(log), OfflineRequest(log))
    async with app:
        await open_services(services)  # the settings store on (SQLite in memory), as served
        for data in updates[:50]:  # warm-up
            await app.process_update(Update.de_json(data, app.bot))
        log.clear()
        yield app, log
        await close_services(services)
    answered = sum(call.method in ANSWERS for call in log.calls)
    if answered < len(updates):
        raise RuntimeError(f"only {answered} of {len(updates)} updates were answered")


async def updates_per_second(
    services: Services, updates: list[dict[str, Any]]
) -> tuple[float, float]:
    """The bot's updates per wall second and per CPU second."""
    async with _serving(services, updates) as (app, _log):
        wall, cpu = await _feed(app, updates)
    return len(updates) / wall, len(updates) / cpu


async def recorded_answers(services: Services, updates: list[dict[str, Any]]) -> Calls:
    """What the bot sent for each update, to be replayed (this pass also warms every cache)."""
    record: Calls = {}
    async with _serving(services, updates) as (app, log):
        for data in updates:
            before = len(log.calls)
            await app.process_update(Update.de_json(data, app.bot))
            record[data["update_id"]] = [
                (c.method, c.params, isinstance(c.result, dict) and "message_id" in c.result)
                for c in log.calls[before:]
            ]
    return record


async def replayed_per_second(updates: list[dict[str, Any]], calls: Calls) -> tuple[float, float]:
    """python-telegram-bot alone: the same Application setup, sending what the bot sent."""
    app = (
        Application.builder()
        .token("123456:replay")
        .defaults(  # as handlers.app sets them
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(overall_max_rate=1e9, group_max_rate=1e9))
        .concurrent_updates(False)
        .request(OfflineRequest(ApiLog()))
        .get_updates_request(OfflineRequest(ApiLog()))
        .build()
    )

    async def replay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        for method, params, returns_message in calls[update.update_id]:
            result = await context.bot.do_api_request(method, api_kwargs=dict(params))
            if returns_message and isinstance(result, dict):
                Message.de_json(result, context.bot)  # as the bot's send_* parses its reply

    app.add_handler(TypeHandler(Update, replay))
    with warnings.catch_warnings():  # "use Bot.send_message": on purpose, the calls are data
        warnings.simplefilter("ignore")
        async with app:
            wall, cpu = await _feed(app, updates)
    return len(updates) / wall, len(updates) / cpu


def throughput(services: Services, quick: bool, searching: Services | None = None) -> list[Row]:
    """The usual and the typo-heavy mix as served, and (``searching``: the same bot remembering
    no resolution and no answer) the typo-heavy mix with every typo searched and every answer
    rendered: its 200 queries come back four or five times in 1,000 updates, so as served
    most are remembered. Nine short rounds a side rather than three long ones: a burst of
    load from another tenant spoils one round, and the median of nine shrugs it off."""
    n, rounds = (100, 1) if quick else (1000, 9)
    runs: list[tuple[str, Mix, Services]] = [
        ("usual mix", bot_updates, services),
        ("typo-heavy mix", typo_updates, services),
    ]
    if searching is not None:
        runs.append(("typo-heavy mix, nothing remembered", typo_updates, searching))
    rows = []
    for name, mix, served in runs:
        updates = mix(served, n)
        calls = asyncio.run(recorded_answers(served, updates))
        ours: list[tuple[float, float]] = []
        ref: list[tuple[float, float]] = []
        for _ in range(rounds):  # the two sides take turns
            ours.append(asyncio.run(updates_per_second(served, updates)))
            ref.append(asyncio.run(replayed_per_second(updates, calls)))
        wall, cpu = (statistics.median(x) for x in zip(*ours, strict=True))
        ref_wall, ref_cpu = (statistics.median(x) for x in zip(*ref, strict=True))
        typo_heavy = name == "typo-heavy mix"
        rows.append(
            Row(
                f"updates/s through the bot, {name} (median of {rounds} rounds of {n:,} updates; "
                "reference: python-telegram-bot alone sending the same answers)",
                f"{wall:,.0f} /s ({cpu:,.0f} per CPU-second)",
                f"{ref_wall:,.0f} /s ({ref_cpu:,.0f} per CPU-second)",
                ratio(1 / ref_cpu, 1 / cpu),
                f"≥ {TARGET:,} /s" if typo_heavy else "",
                verdict(wall >= TARGET) if typo_heavy else "",
            )
        )
        ours_ms, ref_ms = 1000 / cpu, 1000 / ref_cpu
        rows.append(
            Row(
                f"… CPU per update, {name}: the bot / python-telegram-bot's share / the bot's own",
                f"{ours_ms:.2f} ms / {ref_ms:.2f} ms / {ours_ms - ref_ms:.2f} ms",
            )
        )
    return rows
