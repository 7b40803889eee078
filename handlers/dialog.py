"""The conversation around every action: read the argument, ask for it, resolve, answer.

Commands, replies to our prompts, private text and buttons all end in :func:`ask` or
:func:`answer`, so a question gets the same answer wherever it is asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, cast

from telegram import (
    CallbackQuery,
    ForceReply,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers import keyboards, photos, texts, viewer
from handlers.actions import BY_NAME, Action, KeyRenderer, TextRenderer
from handlers.answer_memory import Key
from handlers.buttons import Press
from handlers.movienight import card as movienight_card
from handlers.reply import Button, Reply, invalid
from handlers.services import Services, services
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


# Characters that show nothing and are not whitespace to str.strip(): zero-width space,
# non-joiner and joiner, word joiner, byte order mark (pasted, or added by some keyboards)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _trimmed(text: str) -> str:
    """``text`` without whitespace or invisible characters at either end."""
    while (shorter := text.strip().strip(INVISIBLE)) != text:
        text = shorter
    return text


def argument(message: Message) -> str:
    """What follows the command, as typed; after any whitespace (newline, tab, no-break space)
    or invisible character: a command followed by nothing visible has no argument."""
    text = message.text or ""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            # offsets count UTF-16 code units; the command itself is ASCII from position 0
            return _trimmed(text[entity.length :])
    if text.startswith("/"):
        parts = text.split(maxsplit=1)
        return _trimmed(parts[1]) if len(parts) > 1 else ""
    return _trimmed(text)


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


def ask(s: Services, lang: str, action: Action, query: str) -> Reply:
    """Resolve ``query`` for ``action``; answer, or ask back with buttons."""
    if action.argument == "text":
        return cast(TextRenderer, action.render)(s, lang, query)
    resolution = resolve(s, action, query)
    if isinstance(resolution, Match):
        return answer(s, lang, Press(action.name, resolution.candidate.key))
    return ask_back(s, lang, action, query, resolution)


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
    """:func:`ask`, with answers remembered for everyone (handlers/answer_memory.py) and, when
    the action is marked heavy, rendered in a worker thread. Resolving stays on the event
    loop: it is remembered too, and a search with a typo costs under 1.5 ms at p99."""
    found = await live.resolve(s, lang, action, query)  # only with TMDB on (handlers/tmdb)
    if isinstance(found, Reply):
        return found
    if found is not None:
        return await answer_async(s, lang, found)
    if action.argument == "text":
        key = s.answers.text_key(lang, action.name, query, movienight_card.open_night())
        return await _rendered(s, action.offload, key, ask, s, lang, action, query)
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


# -- Telegram callbacks ------------------------------------------------------------------------


@dataclass(frozen=True)
class ButtonPress:
    """A pressed inline button, read once: the query, services, the presser's language and
    what the button stands for (None: stale or forged)."""

    query: CallbackQuery
    services: Services
    lang: str
    press: Press | None

    async def expired(self) -> None:
        await self.query.answer(texts.raw(self.lang, "expired"), show_alert=True)


async def button_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ButtonPress | None:
    """The press behind a callback query update, or None when the update is not one."""
    query = update.callback_query
    if query is None:
        return None
    return await decoded_press(update, context, services(context).codec.decode(query.data))


async def decoded_press(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: Press | None
) -> ButtonPress | None:
    """``button_press`` for a press its caller has decoded already (one signature check)."""
    query = update.callback_query
    if query is None:
        return None
    s = services(context)
    return ButtonPress(query, s, await language(update, s), pressed)


async def your_films(update: Update, s: Services, action: Action) -> None:
    """Cards and /recomendar show the asker's own films (handlers.viewer), in private only."""
    owner = None if in_group(update) else owner_id(update)
    await viewer.enter(s.store, owner, action.name, s.viewers)


async def prompt(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Action) -> None:
    """Ask for the missing argument; the reply to this message continues the command."""
    s = services(context)
    message = update.effective_message
    if message is None:
        return
    asked = await message.reply_text(
        texts.raw(await language(update, s), action.prompt),
        reply_markup=ForceReply(selective=True),
        do_quote=in_group(update),
    )
    await s.prompts.ask(asked.chat_id, asked.message_id, action.name)


Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def command(action: Action) -> Callback:
    """The handler for ``action``'s commands: with an argument answer it, else ask for it."""

    async def run(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        text = argument(message)
        if not text:
            await prompt(update, context, action)
            return
        s = services(context)
        await your_films(update, s, action)
        await send(update, s, await ask_async(s, await language(update, s), action, text))

    run.__name__ = f"{action.name}_command"
    return run


async def pending_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Action | None:
    """The action a reply continues, when it replies to one of our open prompts."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if replied is None:
        return None
    name = await services(context).prompts.answered(replied.chat_id, replied.message_id)
    return BY_NAME.get(name) if name else None


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to one of our questions continues its command; private text is a title."""
    message = update.effective_message
    if message is None or not message.text:  # the handler's filter lets only text through
        return
    if message.via_bot is not None and message.via_bot.id == context.bot.id:
        return  # a card someone sent from our inline mode into this chat is an answer already
    action = await pending_prompt(update, context)
    if action is None and in_group(update):
        return  # group chatter is not for us
    s = services(context)
    lang = await language(update, s)
    action = action or BY_NAME["card"]
    await your_films(update, s, action)
    await send(update, s, await ask_async(s, lang, action, message.text))
