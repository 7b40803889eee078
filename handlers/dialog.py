"""From a question to its answer, for every action: who asks and in which language, the
argument, resolving it, the answer (or a question back), and sending it.

Commands, replies to our prompts, private text and buttons (their callbacks are in
handlers/conversation.py) all end in :func:`ask_async` or :func:`answer_async`, so a
question gets the same answer wherever it is asked.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable
from typing import Any, cast

from telegram import (
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType

from handlers import keyboards, photos, texts
from handlers.actions import BY_NAME, Action, KeyRenderer, TextRenderer
from handlers.answer_memory import Key
from handlers.buttons import Press
from handlers.movienight import card as movienight_card
from handlers.reply import Button, Reply, invalid
from handlers.services import Services
from handlers.tmdb import live
from movierec.results import Ambiguous, Candidate, Invalid, Match, NotFound, Resolution

LABEL_CHARS = 60
# Telegram's shared senders: every anonymous group admin, every "send as channel" post and
# Telegram's own service messages arrive with one of these user ids. Settings and limits keyed
# on them would be shared by everyone behind them, so those are keyed by the chat instead.
SHARED_SENDER_IDS = frozenset({1087968824, 136817688, 777000})


def owner_id(update: Update) -> int | None:
    """Whose settings and limits an update counts against: the person, or their chat."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    user = update.effective_user
    if user is None:
        return None
    if user.id in SHARED_SENDER_IDS:
        chat = update.effective_chat
        return chat.id if chat is not None else None
    return user.id


async def language(update: Update, s: Services) -> str:
    """The owner's chosen language when it is one we speak, else Telegram's for the user."""
    owner = owner_id(update)
    stored = None if owner is None else await s.preferences.language(owner)
    known = texts.known_language(stored)
    if known is not None:
        return known
    user = update.effective_user
    return texts.language_for(user.language_code if user else None)


# Characters that show nothing yet are not whitespace to str.strip(): formats (zero-width
# space and joiners, direction marks, BOM, tags: category Cf) and letters drawn blank. Some
# formats are drawn (Arabic number signs, the end-of-ayah sign): those count as visible.
BLANK_LETTERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
DRAWN_FORMATS = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")
DRAWN_FORMATS |= {"\U000110bd", "\U000110cd"}
# Tags end emoji flag sequences (Scotland's): never cut off an end, yet invisible alone
TAGS = range(0xE0020, 0xE0080)
_UNSEEN_ALONE = ("Mn", "Me")  # combining marks: nothing to see without a base character


def _blank(ch: str) -> bool:
    """Whether ``ch`` shows nothing by itself."""
    if ch.isspace() or ch in BLANK_LETTERS:
        return True
    return unicodedata.category(ch) == "Cf" and ch not in DRAWN_FORMATS


def _trimmable(ch: str) -> bool:
    return _blank(ch) and ord(ch) not in TAGS


def visible(text: str) -> str:
    """``text`` without whitespace or invisible characters at either end; empty when nothing
    visible is left (combining marks alone, tags alone included)."""
    start, end = 0, len(text)
    while start < end and _trimmable(text[start]):
        start += 1
    while end > start and _trimmable(text[end - 1]):
        end -= 1
    text = text[start:end]
    seen = any(not _blank(c) and unicodedata.category(c) not in _UNSEEN_ALONE for c in text)
    return text if seen else ""


def argument(message: Message) -> str:
    """What follows the command, as typed; after any whitespace (newline, tab, no-break space)
    or invisible character: a command followed by nothing visible has no argument. A message
    that is no command (a reply to a prompt, private text) is read the same way."""
    text = message.text or ""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            # offsets count UTF-16 code units; the command itself is ASCII from position 0
            return visible(text[entity.length :])
    if text.startswith("/"):
        parts = text.split(maxsplit=1)
        return visible(parts[1]) if len(parts) > 1 else ""
    return visible(text)


def in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


async def send(update: Update, s: Services, reply: Reply) -> Message | None:
    message = update.effective_message
    if message is None:
        return None
    # in groups the answer quotes the command it answers
    return await photos.send(s, message, reply, keyboards.keyboard(reply), quote=in_group(update))


# -- from typed text to an answer ---------------------------------------------------------------


def resolve(s: Services, action: Action, query: str) -> Resolution:
    """What ``query`` names for a title or person action."""
    if action.argument == "title":
        return s.engine.resolve_title(query)
    assert action.argument != "text", "text actions read their argument themselves"
    return s.engine.resolve_person(action.argument, query)


def ask_back(s: Services, lang: str, action: Action, query: str, resolution: Resolution) -> Reply:
    """The reply when ``query`` named nothing for sure: why, or buttons to choose from."""
    if isinstance(resolution, Invalid):
        return invalid(lang, resolution.reason, query)
    if isinstance(resolution, Ambiguous):
        header = texts.say(lang, "ambiguous", query=query)
        return _choices(s, lang, action, header, resolution.candidates)
    assert isinstance(resolution, NotFound)
    if not resolution.suggestions:
        return Reply(texts.say(lang, "not_found", query=query))
    header = texts.say(lang, "not_found_suggest", query=query)
    return _choices(s, lang, action, header, resolution.suggestions)


def candidate_label(lang: str, c: Candidate, local: str | None = None) -> str:
    """A choice's button: a film with its year (a Spanish speaker's title first when known:
    "El padrino (The Godfather, 1972)"), a person with their films."""
    if c.kind == "movie":
        label = (
            f"{local} ({c.label}, {c.year})" if lang == "es" and local else f"{c.label} ({c.year})"
        )
    else:
        label = f"{c.label} · {texts.count(lang, 'films_count', c.films)}"
        label += f" · {c.known_for}" if c.known_for else ""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _local(s: Services, lang: str, c: Candidate) -> str | None:
    return s.engine.local_title(c.key, lang) if c.kind == "movie" else None


def _choices(
    s: Services, lang: str, action: Action, header: str, candidates: tuple[Candidate, ...]
) -> Reply:
    rows = tuple(
        (
            Button(
                candidate_label(lang, c, _local(s, lang, c)),
                data=s.codec.encode(action.name, c.key, edit=True),
            ),
        )
        for c in candidates
    )
    return Reply(header, rows)


def answer(s: Services, lang: str, press: Press) -> Reply:
    """The answer behind a resolved question or a pressed button."""
    action = BY_NAME[press.action]
    return cast(KeyRenderer, action.render)(s, lang, press.key, press.page)


async def ask_async(s: Services, lang: str, action: Action, query: str) -> Reply:
    """Resolve ``query`` for ``action`` (a text action reads it itself); answer, or ask back
    with buttons. Answers are remembered for everyone (handlers/answer_memory.py) and, when
    the action is marked heavy, rendered in a worker thread. Resolving stays on the event
    loop: it is remembered too, and a search with a typo costs under 1.5 ms at p99 (a list's
    several searches run in a worker thread)."""
    # a list of films first, TMDB or not: a typo forgiven may have found one of them ("argo,
    # heat" is not Heat); the engine reads no list into a text that is one title as typed
    if action.several is not None and s.engine.may_list(query):
        films = await asyncio.to_thread(s.engine.resolve_several, query)
        if len(films) > 1:  # a multi-film ranking: off the loop too
            return await asyncio.to_thread(action.several, s, lang, tuple(c.key for c in films))
        if films:  # one film named twice: "heat, heat 1995"
            return await answer_async(s, lang, Press(action.name, films[0].key))
    found = await live.resolve(s, lang, action, query)  # only with TMDB on (handlers/tmdb)
    if isinstance(found, Reply):
        return found
    if found is not None:
        return await answer_async(s, lang, found)
    if action.argument == "text":
        key = s.answers.text_key(lang, action.name, query, movienight_card.open_night())
        render = cast(TextRenderer, action.render)
        return await _rendered(s, action.offload, key, render, s, lang, query)
    resolution = resolve(s, action, query)
    if isinstance(resolution, Match):
        return await _answer(s, lang, Press(action.name, resolution.candidate.key))
    key = s.answers.ask_key(lang, action.name, query, resolution)
    return await _rendered(s, False, key, ask_back, s, lang, action, query, resolution)


async def answer_async(s: Services, lang: str, press: Press) -> Reply:
    """:func:`answer`, as :func:`ask_async` renders it; with TMDB on, a film the catalog
    lacks comes from TMDB and a catalog film may gain its Spanish title."""
    found = await live.answer(s, lang, press)
    if found is not None:
        return found
    return await live.localise(s, lang, press, await _answer(s, lang, press))


async def _answer(s: Services, lang: str, press: Press) -> Reply:
    key = s.answers.press_key(lang, press, movienight_card.open_night())
    return await _rendered(s, BY_NAME[press.action].offload, key, answer, s, lang, press)


async def _rendered(
    s: Services, offload: bool, key: Key | None, render: Callable[..., Reply], *args: Any
) -> Reply:
    """The remembered reply under ``key``, else ``render(*args)`` (in a worker thread when
    ``offload``: the action is heavy), kept for the next asker. The memory is touched only
    here, on the event loop."""
    remembered = s.answers.get(key)
    if remembered is not None:
        return remembered
    if offload:
        reply = await asyncio.to_thread(render, *args)
    else:
        reply = render(*args)
    s.answers.put(key, reply)
    return reply
