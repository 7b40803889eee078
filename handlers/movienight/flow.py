"""Opening a night and nominating films: what members do before the vote."""

from __future__ import annotations

import logging
import time

from telegram import Message, Update
from telegram.ext import ContextTypes

from handlers import dialog, texts
from handlers.movienight import night as nights
from handlers.movienight import render
from handlers.movienight.night import Night, Nomination
from handlers.reply import Button, Reply, invalid
from handlers.services import Services, services
from movierec.results import Ambiguous, Candidate, Invalid, Match, NotFound

__all__ = [
    "MAX_NOMINEES",
    "context_of",
    "display_name",
    "group_context",
    "nominate_command",
    "nominate_film",
    "note_board",
    "number",
    "open_command",
    "reply_nomination",
]

log = logging.getLogger(__name__)
MAX_NOMINEES = 8  # with 2+ compromise picks, within Telegram's 10 poll options
PER_MEMBER = (1, 3)  # nominations per member: default 1, at most 3
NAME_CHARS = 64
# A night nobody voted on for this long was forgotten: a new /noche replaces it
STALE_SECONDS = 2 * 24 * 3600.0
BOARDS_KEPT = 5


def display_name(update: Update) -> str:
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return (message.sender_chat.title or "")[:NAME_CHARS]
    user = update.effective_user
    return (user.full_name if user else "")[:NAME_CHARS] or "?"


async def context_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Services, str]:
    s = services(context)
    return s, await dialog.language(update, s)


async def group_context(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[Services, str] | None:
    """:func:`context_of` in a group; elsewhere the person is told nights are for groups
    (None: nothing more to do)."""
    s, lang = await context_of(update, context)
    if not dialog.in_group(update):
        await dialog.send(update, s, Reply(texts.raw(lang, "night_groups_only")))
        return None
    return s, lang


# -- /noche -------------------------------------------------------------------------------------


async def open_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    owner = dialog.owner_id(update)
    if message is None or owner is None:
        return
    found = await group_context(update, context)
    if found is None:
        return
    s, lang = found
    typed = dialog.argument(message)
    per_member = number(typed, PER_MEMBER, 1)
    if per_member is None:
        await dialog.send(update, s, Reply(texts.raw(lang, "night_usage_open")))
        return
    chat_id, thread_id = nights.where(message)
    fresh = Night(chat_id, thread_id, lang, per_member, owner, opened_at=time.time())

    def open_night(current: Night | None) -> tuple[Night | None, Night | None]:
        forgotten = (
            current is not None
            and current.status == "open"
            and fresh.opened_at - current.opened_at > STALE_SECONDS
        )
        if current is not None and current.active and not forgotten:
            return None, current
        return fresh, None

    existing = await nights.change(s.store, chat_id, thread_id, open_night)
    if existing is not None and existing.status == "voting":
        await dialog.send(update, s, Reply(texts.raw(lang, "night_poll_open")))
        return
    if existing is not None:  # where it stands: the nominations so far
        board = render.board(s, lang, existing, texts.raw(lang, "night_already_open"))
        await note_board(s, message, board, await dialog.send(update, s, board))
        return
    sent = await dialog.send(update, s, render.opened(s, lang, fresh, display_name(update)))
    if sent is not None:
        await _set_message(s, fresh, sent.message_id)


async def _set_message(s: Services, fresh: Night, message_id: int) -> None:
    """Remember the night's message, so replies to it nominate (only for this same night)."""

    def keep(current: Night | None) -> tuple[Night | None, None]:
        if current is None or current.status != "open" or current.opened_at != fresh.opened_at:
            return None, None
        current.message_id = message_id
        return current, None

    await nights.change(s.store, fresh.chat_id, fresh.thread_id, keep)


def number(typed: str, bounds: tuple[int, int], default: int) -> int | None:
    """The first word as a number within ``bounds`` (none typed: ``default``), else None."""
    word = typed.split(maxsplit=1)[0] if typed.split() else ""
    if not word:
        return default
    if not (word.isascii() and word.isdigit() and len(word) < 4):
        return None
    value = int(word)
    return value if bounds[0] <= value <= bounds[1] else None


# -- nominating ---------------------------------------------------------------------------------


async def nominate_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    found = await group_context(update, context)
    if found is None:
        return
    s, lang = found
    reply = await _nominate_text(update, s, lang, dialog.argument(message))
    await note_board(s, message, reply, await dialog.send(update, s, reply))


async def reply_nomination(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the night's message with a title nominates it; other replies are chatter."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or not message.text or not dialog.in_group(update):
        return
    s = services(context)
    chat_id, thread_id = nights.where(message)
    current = await nights.load(s.store, chat_id, thread_id)
    if current is None or not current.active:
        return
    if replied.message_id != current.message_id and replied.message_id not in current.boards:
        return  # a reply to something else: chatter
    lang = await dialog.language(update, s)
    reply = await _nominate_text(update, s, lang, message.text)
    await note_board(s, message, reply, await dialog.send(update, s, reply))


async def note_board(s: Services, where: Message, reply: Reply, sent: Message | None) -> None:
    """Remember a board just shown: people reply to the latest bot message, not the first."""
    if sent is None or not render.is_board(s, reply):
        return

    def note(current: Night | None) -> tuple[Night | None, None]:
        if current is None or current.status != "open" or sent.message_id in current.boards:
            return None, None
        current.boards = [*current.boards, sent.message_id][-BOARDS_KEPT:]
        return current, None

    await nights.change(s.store, *nights.where(where), note)


async def _nominate_text(update: Update, s: Services, lang: str, query: str) -> Reply:
    message = update.effective_message
    current = None if message is None else await nights.load(s.store, *nights.where(message))
    # no night, or its vote started: say so before asking "which film?"
    if current is None or not current.active:
        return Reply(texts.raw(lang, "night_none"))
    if current.status == "voting":
        return Reply(texts.raw(lang, "night_voting_started"))
    if not query.strip():
        return Reply(texts.raw(lang, "night_nominate_usage"))
    resolution = s.engine.resolve_title(query)
    if isinstance(resolution, Invalid):
        return invalid(lang, resolution.reason, query)
    if isinstance(resolution, Match):
        return await nominate_film(update, s, lang, resolution.candidate.key)
    if isinstance(resolution, Ambiguous):
        return _choices(s, lang, texts.say(lang, "ambiguous", query=query), resolution.candidates)
    assert isinstance(resolution, NotFound)
    if not resolution.suggestions:
        return Reply(texts.say(lang, "not_found", query=query))
    header = texts.say(lang, "not_found_suggest", query=query)
    return _choices(s, lang, header, resolution.suggestions)


def _choices(s: Services, lang: str, header: str, candidates: tuple[Candidate, ...]) -> Reply:
    """Which film: each button nominates its film, in place of this question."""
    rows = tuple(
        (
            Button(
                dialog.candidate_label(lang, c),
                data=s.codec.encode("night_nominate", c.key, edit=True),
            ),
        )
        for c in candidates
    )
    return Reply(header, rows)


async def nominate_film(update: Update, s: Services, lang: str, movie_id: int) -> Reply:
    """Put ``movie_id`` on the night of the chat (and topic) the update comes from."""
    message = update.effective_message
    owner = dialog.owner_id(update)
    if message is None or owner is None:
        return Reply(texts.raw(lang, "night_none"))
    card = s.engine.card(movie_id)
    if isinstance(card, Invalid):
        return invalid(lang, card.reason)
    name = display_name(update)
    chat_id, thread_id = nights.where(message)

    def add(current: Night | None) -> tuple[Night | None, Reply]:
        if current is None or not current.active:
            return None, Reply(texts.raw(lang, "night_none"))
        if current.status == "voting":
            return None, Reply(texts.raw(lang, "night_voting_started"))
        already = current.nominated(movie_id)
        if already is not None:
            said = texts.say(lang, "night_duplicate", title=card.title, name=already.name)
            return None, Reply(said)
        mine = len(current.by(owner))
        if mine >= current.per_member:
            return None, Reply(texts.count(lang, "night_limit", current.per_member))
        if len(current.nominations) >= MAX_NOMINEES:
            return None, Reply(texts.say(lang, "night_full", n=MAX_NOMINEES))
        current.nominations.append(Nomination(movie_id, owner, name))
        header = texts.say(lang, "night_nominated", name=name, title=card.title, year=card.year)
        return current, render.board(s, lang, current, header)

    return await nights.change(s.store, chat_id, thread_id, add)
