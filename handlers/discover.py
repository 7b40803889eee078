"""/descubrir (/discover), /azar (/random) and /saga (/collection).

These answers read the state store, which renderers cannot (they are synchronous), so this
module has its own commands and answers its own buttons before the dialog does:

- a /descubrir query is kept in the key-value store under a short id derived from the filters
  (not from who asked), so its ◀ ▶ buttons work on any replica and after a restart;
- /azar remembers, per chat and query, the films already drawn (key-value, with a TTL), so
  "🎲 Otra" never repeats itself in that chat; it also skips what the person marked seen;
- /saga marks the films the person has seen ✅ and says which one comes next.

"Seen" is the "your films" list (``store.list_items(owner, "seen")``): with no lists, nothing
is skipped or marked.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import math
import secrets

from telegram import Update
from telegram.ext import ContextTypes

from handlers import conversation, dialog, keyboards, photos, texts
from handlers.actions import BUTTON_CODES, DISCOVER_BUTTONS
from handlers.buttons import Press
from handlers.reply import Button, Reply, fit
from handlers.services import Services, services
from handlers.texts import Html, raw, say
from movierec.discover.parse import parse
from movierec.discover.query import Query, Saga, Unanswerable
from movierec.results import Ambiguous, Invalid, Match, NotFound

__all__ = [
    "PAGE",
    "describe",
    "discover_command",
    "load_query",
    "mine",
    "press",
    "query_id",
    "random_command",
    "saga_command",
    "saga_reply",
]

log = logging.getLogger(__name__)
PAGE = 8
QUERIES = "discover.query"  # query id → the query's filters as JSON (nothing about who asked)
DRAWN = "discover.drawn"  # "<chat id>:<query id>" → TMDB ids already drawn in that chat
QUERY_SECONDS = 7 * 24 * 3600.0
DRAWN_SECONDS = 12 * 3600.0  # a evening's roulette; tomorrow the same films may come back
MAX_DRAWN = 2000
MAX_SEEN = 5000  # seen films read per answer (the store pages 1000 at a time)
CODES = frozenset(DISCOVER_BUTTONS.values())
ROW = 8  # number buttons per row


def mine(data: object) -> bool:
    """The CallbackQueryHandler pattern: this module's buttons (checked again when decoded)."""
    if not isinstance(data, str):
        return False
    parts = data.split("|")
    return len(parts) > 1 and parts[1] in CODES


# -- queries: what they mean in words, and where they are kept -------------------------------


def describe(lang: str, q: Query) -> str:
    """How the query was understood: "Comedia · 1990–1999 · < 100 min"."""
    parts = [texts.genre(lang, g) for g in q.genres]
    if q.year_from is not None and q.year_to is not None:
        same = q.year_from == q.year_to
        parts.append(
            raw(lang, "filter_year").format(year=q.year_from)
            if same
            else raw(lang, "filter_years").format(start=q.year_from, end=q.year_to)
        )
    elif q.year_from is not None:
        parts.append(raw(lang, "filter_since").format(year=q.year_from))
    elif q.year_to is not None:
        parts.append(raw(lang, "filter_until").format(year=q.year_to))
    if q.shorter_than is not None:
        parts.append(raw(lang, "filter_shorter").format(minutes=q.shorter_than))
    if q.longer_than is not None:
        parts.append(raw(lang, "filter_longer").format(minutes=q.longer_than))
    if q.min_votes:
        parts.append(raw(lang, "filter_votes").format(votes=texts.number(lang, q.min_votes)))
    if q.good:
        parts.append(raw(lang, "filter_good"))
    if q.language:
        name = raw(lang, f"language_{q.language}")
        parts.append(raw(lang, "filter_language").format(language=name))
    if q.unseen:
        parts.append(raw(lang, "filter_unseen"))
    return " · ".join(parts) or raw(lang, "discover_everything")


def _as_json(q: Query) -> str:
    return json.dumps(dataclasses.asdict(q), sort_keys=True, separators=(",", ":"))


def query_id(q: Query) -> int:
    """A short, stable id for the filters (fits a button): the same query, the same id."""
    return int(hashlib.sha256(_as_json(q).encode()).hexdigest()[:12], 16) % 10**9


def _from_json(text: str) -> Query | None:
    try:
        fields = json.loads(text)
        fields["genres"] = tuple(fields["genres"])
        return Query(**fields)
    except (ValueError, TypeError, KeyError):
        return None


async def _kv_get(s: Services, namespace: str, key: str) -> str | None:
    try:
        return await s.store.kv_get(namespace, key)
    except Exception as error:  # the store is down: answer what can be answered without it
        log.warning("discover: store unavailable (%s)", type(error).__name__)
        return None


async def _kv_set(s: Services, namespace: str, key: str, value: str, ttl: float) -> None:
    try:
        await s.store.kv_set(namespace, key, value, ttl)
    except Exception as error:
        log.warning("discover: store unavailable (%s)", type(error).__name__)


async def save_query(s: Services, q: Query) -> int:
    qid = query_id(q)
    await _kv_set(s, QUERIES, str(qid), _as_json(q), QUERY_SECONDS)
    return qid


async def load_query(s: Services, qid: int) -> Query | None:
    stored = await _kv_get(s, QUERIES, str(qid))
    return None if stored is None else _from_json(stored)


async def seen_ids(s: Services, owner: int | None) -> frozenset[int]:
    """What the person marked seen ("your films"); nothing when they keep no lists."""
    if owner is None:
        return frozenset()
    found: set[int] = set()
    try:
        while len(found) < MAX_SEEN:
            page = await s.store.list_items(owner, "seen", limit=1000, offset=len(found))
            found.update(item.movie_id for item in page)
            if len(page) < 1000:
                break
    except Exception as error:
        log.warning("discover: seen list unavailable (%s)", type(error).__name__)
    return frozenset(found)


# -- answers -------------------------------------------------------------------------------


def _refusal(lang: str, reason: str, value: str = "") -> Reply:
    return Reply(say(lang, f"discover_{reason}", value=value[:80]))


def _votes(lang: str, n: int) -> str:
    return texts.count(lang, "votes_short", n)


def _numbers(s: Services, ids: list[int], first: int) -> list[tuple[Button, ...]]:
    buttons = [
        Button(str(n), data=s.codec.encode("card", movie_id))
        for n, movie_id in enumerate(ids, start=first)
    ]
    return [tuple(buttons[i : i + ROW]) for i in range(0, len(buttons), ROW)]


def discover_page(
    s: Services,
    lang: str,
    q: Query,
    qid: int,
    page: int,
    exclude: frozenset[int] = frozenset(),
    unknown: tuple[str, ...] = (),
) -> Reply:
    found = s.engine.discover(q, page, PAGE, sorted(exclude))
    if isinstance(found, Unanswerable):
        return _refusal(lang, found.reason)
    understood = say(lang, "discover_understood", filters=describe(lang, q))
    ignored = [say(lang, "discover_ignored", words=", ".join(unknown))] if unknown else []
    if not found.total:
        return Reply("\n".join([say(lang, "discover_none", filters=describe(lang, q)), *ignored]))
    pages = math.ceil(found.total / PAGE)
    films = texts.count(lang, "films_count", found.total)
    lines = [understood, *ignored, say(lang, "discover_header", films=films, page=page + 1,
                                       pages=pages)]  # fmt: skip
    for n, item in enumerate(found.items, start=found.offset + 1):
        average = texts.number(lang, item.vote_average, 1)
        votes = _votes(lang, item.vote_count)
        lines.append(say(lang, "discover_line", n=n, title=item.title, year=item.year,
                         average=average, votes=votes))  # fmt: skip
    rows = _numbers(s, [i.movie_id for i in found.items], found.offset + 1)
    nav = []
    if page > 0:
        back = s.codec.encode("discover_page", qid, page - 1, edit=True)
        nav.append(Button(raw(lang, "button_previous"), data=back))
    if found.more:
        forward = s.codec.encode("discover_page", qid, page + 1, edit=True)
        nav.append(Button(raw(lang, "button_next"), data=forward))
    if nav:
        rows.append(tuple(nav))
    return Reply(fit(lines), tuple(rows))


async def _draw(s: Services, lang: str, q: Query, qid: int, chat: int, owner: int | None) -> Reply:
    """One film at random for this chat, none drawn here before, none the person has seen."""
    key = f"{chat}:{qid}"
    stored = await _kv_get(s, DRAWN, key)
    drawn: list[int] = []
    if stored:
        try:
            drawn = [int(i) for i in json.loads(stored)][-MAX_DRAWN:]
        except (ValueError, TypeError):
            drawn = []
    seen = await seen_ids(s, owner)
    exclude = sorted(set(drawn) | seen)
    found = await asyncio.to_thread(s.engine.draw, q, exclude, secrets.randbits(32))
    if isinstance(found, Unanswerable):
        return _refusal(lang, found.reason)
    again = (Button(raw(lang, "button_draw"), data=s.codec.encode("draw", qid, edit=True)),)
    if found.item is None:
        if not found.pool:
            return Reply(say(lang, "random_none", filters=describe(lang, q)))
        await _kv_set(s, DRAWN, key, "[]", DRAWN_SECONDS)  # the next 🎲 starts over
        return Reply(say(lang, "random_exhausted", n=texts.number(lang, found.pool)), (again,))
    item = found.item
    await _kv_set(s, DRAWN, key, json.dumps([*drawn, item.movie_id]), DRAWN_SECONDS)
    lines = [
        say(lang, "random_result", title=item.title, year=item.year,
            average=texts.number(lang, item.vote_average, 1), votes=_votes(lang, item.vote_count)),
    ]  # fmt: skip
    if not q.empty:
        lines.append(say(lang, "discover_understood", filters=describe(lang, q)))
    lines.append(texts.count(lang, "random_left", found.remaining))
    card = Button(raw(lang, "button_open"), data=s.codec.encode("card", item.movie_id))
    return Reply("\n".join(lines), (again, (card,)))


def saga_reply(s: Services, lang: str, saga: Saga, seen: frozenset[int]) -> Reply:
    films = texts.count(lang, "films_count", len(saga.films))
    lines = [say(lang, "saga_header", name=saga.collection, films=films)]
    for n, film in enumerate(saga.films, start=1):
        mark = Html("✅ ") if film.movie_id in seen else ""
        lines.append(say(lang, "saga_line", n=n, mark=mark, title=film.title, year=film.year))
    upcoming = saga.next_to_watch(seen)
    if upcoming is None:
        lines.append(raw(lang, "saga_all_seen"))
    else:
        key = "saga_next" if seen & {f.movie_id for f in saga.films} else "saga_start"
        lines.append(say(lang, key, title=upcoming.title, year=upcoming.year))
    shown = [f.movie_id for f in saga.films][:48]
    return Reply(fit(lines), tuple(_numbers(s, shown, 1)))


async def _saga(s: Services, lang: str, movie_id: int, owner: int | None) -> Reply:
    found = s.engine.saga(movie_id)
    if isinstance(found, Unanswerable):
        card = s.engine.card(movie_id)
        title = "" if isinstance(card, Invalid) else card.title
        return _refusal(lang, found.reason, title)
    return saga_reply(s, lang, found, await seen_ids(s, owner))


def _choose_saga(s: Services, lang: str, query: str) -> Reply | int:
    """The film a /saga query names, or the question back (choices, not found)."""
    resolution = s.engine.resolve_title(query)
    if isinstance(resolution, Invalid):
        return Reply(say(lang, f"invalid_{resolution.reason}", value=query[:80]))
    if isinstance(resolution, Match):
        return resolution.candidate.key
    if isinstance(resolution, Ambiguous):
        header, options = say(lang, "ambiguous", query=query), resolution.candidates
    else:
        assert isinstance(resolution, NotFound)
        if not resolution.suggestions:
            return Reply(say(lang, "not_found", query=query))
        header, options = say(lang, "not_found_suggest", query=query), resolution.suggestions
    rows = tuple(
        (Button(dialog.candidate_label(lang, c), data=s.codec.encode("saga", c.key, edit=True)),)
        for c in options
    )
    return Reply(header, rows)


# -- Telegram callbacks --------------------------------------------------------------------


async def discover_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    s = services(context)
    lang = await dialog.language(update, s)
    text = dialog.argument(message)
    parsed = parse(text)
    if not text:
        reply = Reply(raw(lang, "discover_usage"))
    elif isinstance(parsed, Unanswerable):
        reply = _refusal(lang, parsed.reason, text)
    else:
        q = parsed.query
        qid = await save_query(s, q)
        seen = await seen_ids(s, dialog.owner_id(update)) if q.unseen else frozenset()
        reply = await asyncio.to_thread(discover_page, s, lang, q, qid, 0, seen, parsed.unknown)
    await dialog.send(update, s, reply)


async def random_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    s = services(context)
    lang = await dialog.language(update, s)
    text = dialog.argument(message)
    parsed = parse(text)
    if isinstance(parsed, Unanswerable):
        reply = _refusal(lang, parsed.reason, text)
    else:
        qid = await save_query(s, parsed.query)
        reply = await _draw(s, lang, parsed.query, qid, chat.id, dialog.owner_id(update))
        if parsed.unknown:
            ignored = say(lang, "discover_ignored", words=", ".join(parsed.unknown))
            reply = dataclasses.replace(reply, text=f"{reply.text}\n{ignored}")
    await dialog.send(update, s, reply)


async def saga_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    s = services(context)
    lang = await dialog.language(update, s)
    text = dialog.argument(message)
    if not text:
        reply = Reply(raw(lang, "saga_usage"))
    else:
        chosen = _choose_saga(s, lang, text)
        owner = dialog.owner_id(update)
        reply = chosen if isinstance(chosen, Reply) else await _saga(s, lang, chosen, owner)
    await dialog.send(update, s, reply)


async def _answer(update: Update, s: Services, lang: str, pressed: Press) -> Reply | None:
    owner = dialog.owner_id(update)
    if pressed.action == "saga":
        return await _saga(s, lang, pressed.key, owner)
    q = await load_query(s, pressed.key)
    if q is None:
        return None
    if pressed.action == "draw":
        chat = update.effective_chat
        return None if chat is None else await _draw(s, lang, q, pressed.key, chat.id, owner)
    seen = await seen_ids(s, owner) if q.unseen else frozenset()
    return await asyncio.to_thread(discover_page, s, lang, q, pressed.key, pressed.page, seen)


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """This module's buttons: a /descubrir page, /azar's 🎲, a /saga choice."""
    button = await conversation.button_press(update, context)
    if button is None:
        return
    query, s, lang, pressed = button.query, button.services, button.lang, button.press
    reply = None
    if pressed is not None and BUTTON_CODES.get(pressed.action) in CODES:
        reply = await _answer(update, s, lang, pressed)
    if reply is None:  # stale, forged, or its query expired from the store
        await button.expired()
        return
    await query.answer()
    markup = keyboards.keyboard(reply)
    if query.message is None:
        return  # our buttons are never under inline-mode messages
    await photos.edit(s, query.message, reply, markup)
