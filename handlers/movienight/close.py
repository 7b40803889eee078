"""Counting and closing: poll answers, /cerrar, the timer, and the winner's announcement.

Closing is one optimistic write that turns the night "closed" and fixes the winner in the
document; only the update (or timer tick, or replica) whose write wins announces, so /cerrar
racing the timer gives one announcement. The tallies are ours (every ``poll_answer`` is
stored), so a poll message someone deleted, or a ``stopPoll`` Telegram refuses, still closes
the night with the votes cast. A tie is broken by a random draw seeded with the poll id: fair,
and the same on every replica and after a restart.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from telegram import Bot, Chat, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from handlers import dialog, photos, texts
from handlers.movienight import night as nights
from handlers.movienight import render
from handlers.movienight.night import Night
from handlers.reply import Reply
from handlers.services import Services, services

__all__ = ["close_command", "close_night", "poll_answer", "poll_closed"]

log = logging.getLogger(__name__)


async def poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Count a vote (or a retracted one) on the poll of a voting night."""
    answer = update.poll_answer
    if answer is None:
        return
    voter = answer.user.id if answer.user else answer.voter_chat.id if answer.voter_chat else None
    if voter is None:
        return
    s = services(context)
    found = await nights.poll_night(s.store, answer.poll_id)
    if found is None:
        return  # not one of ours, or long closed

    def count(current: Night | None) -> tuple[Night | None, None]:
        if current is None or current.status != "voting" or current.poll_id != answer.poll_id:
            return None, None  # a late answer after the close
        options = [o for o in answer.option_ids if 0 <= o < len(current.options)]
        if options:
            current.votes[str(voter)] = options
        elif current.votes.pop(str(voter), None) is None:
            return None, None
        return current, None

    await nights.change(s.store, *found, count)


async def poll_closed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram closed one of our polls (its open_period ran out): announce the winner."""
    poll = update.poll
    if poll is None or not poll.is_closed:
        return
    s = services(context)
    found = await nights.poll_night(s.store, poll.id)
    if found is not None:
        await close_night(context.bot, s, *found, expected_poll=poll.id)


async def close_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    s = services(context)
    lang = await dialog.language(update, s)
    if not dialog.in_group(update):
        await dialog.send(update, s, Reply(texts.raw(lang, "night_groups_only")))
        return
    chat_id, thread_id = nights.where(message)
    current = await nights.load(s.store, chat_id, thread_id)
    if current is None or not current.active:
        await dialog.send(update, s, Reply(texts.raw(lang, "night_none")))
        return
    if not await close_night(context.bot, s, chat_id, thread_id, reply_lang=lang):
        await dialog.send(update, s, Reply(texts.raw(lang, "night_none")))


async def close_night(
    bot: Bot,
    s: Services,
    chat_id: int,
    thread_id: int,
    expected_poll: str | None = None,
    reply_lang: str | None = None,
) -> bool:
    """Close the night, stop its poll and announce; False when there was nothing to close."""

    def finish(current: Night | None) -> tuple[Night | None, Night | None]:
        if current is None or not current.active:
            return None, None
        if expected_poll is not None and current.poll_id != expected_poll:
            return None, None  # an older night's poll
        current.status = "closed"
        counts = current.tally()
        best = max(counts, default=0)
        if best > 0:
            tied = [current.options[i] for i, n in enumerate(counts) if n == best]
            current.tied = tied if len(tied) > 1 else []
            current.winner = random.Random(current.poll_id or "").choice(tied)
        return current, current

    closed = await nights.change(s.store, chat_id, thread_id, finish)
    if closed is None:
        return False
    await nights.change_due(s.store, f"{chat_id}:{thread_id}", None)
    if closed.poll_message_id is not None:
        try:
            await bot.stop_poll(chat_id, closed.poll_message_id)
        except (BadRequest, Forbidden) as error:
            # deleted, already closed by Telegram, or the bot was removed: the tallies are ours
            log.info("movie night %s/%s: stopPoll refused (%s)", chat_id, thread_id, error)
    await _announce(bot, s, closed, reply_lang or closed.lang)
    return True


async def _announce(bot: Bot, s: Services, closed: Night, lang: str) -> None:
    if closed.winner is None:
        key = "night_cancelled" if closed.poll_id is None else "night_no_votes"
        reply = Reply(texts.raw(lang, key))
    else:
        votes = max(closed.tally(), default=0)
        reply = render.winner(s, closed, votes)
    target = _where_to_send(bot, closed)
    try:
        await photos.send(s, target, reply, dialog.keyboard(reply))
    except Forbidden as error:  # removed from the group meanwhile: nobody left to tell
        log.info("movie night %s: cannot announce (%s)", closed.chat_id, error)


def _where_to_send(bot: Bot, closed: Night) -> Message:
    """A stand-in for a message of the night's chat and topic: what photos.send answers under
    (the answer goes to that chat and topic, without quoting anything that may be gone)."""
    chat = Chat(closed.chat_id, Chat.SUPERGROUP if closed.thread_id else Chat.GROUP)
    message = Message(
        message_id=closed.poll_message_id or closed.message_id or 1,
        date=dt.datetime.now(dt.UTC),
        chat=chat,
        message_thread_id=closed.thread_id or None,
        is_topic_message=bool(closed.thread_id),
    )
    message.set_bot(bot)
    return message
