"""Counting and closing: poll answers, /cerrar, the timer, and the winner's announcement.

Closing is one optimistic write that turns the night "closed" and fixes the winner in the
document; only the update (or timer tick, or replica) whose write wins announces, so /cerrar
racing the timer gives one announcement. The tallies are ours (every ``poll_answer`` is
stored), so a poll message someone deleted, or a ``stopPoll`` Telegram refuses, still closes
the night with the votes cast. A tie is broken by a random draw seeded with the poll id: fair,
and the same on every replica and after a restart.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random

from telegram import Bot, Chat, ChatMember, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from handlers import dialog, keyboards, photos, texts
from handlers.movienight import night as nights
from handlers.movienight import render
from handlers.movienight.flow import group_context
from handlers.movienight.night import Night
from handlers.reply import Reply
from handlers.services import Services, services

__all__ = ["close_command", "close_night", "may_close", "poll_answer", "poll_closed"]

log = logging.getLogger(__name__)
UNKNOWN_POLL_RETRIES = 10
UNKNOWN_POLL_WAIT = 0.2  # seconds


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
    for _ in range(UNKNOWN_POLL_RETRIES):
        if found is not None:
            break
        # Bots only get answers to their own polls: one we do not know yet was just sent and
        # its night is being written (a quick voter); a long-closed one costs this wait once
        await asyncio.sleep(UNKNOWN_POLL_WAIT)
        found = await nights.poll_night(s.store, answer.poll_id)
    if found is None:
        return

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
        counts = [option.voter_count for option in poll.options]
        await close_night(context.bot, s, *found, expected_poll=poll.id, counts=counts)


async def close_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    found = await group_context(update, context)
    if found is None:
        return
    s, lang = found
    chat_id, thread_id = nights.where(message)
    current = await nights.load(s.store, chat_id, thread_id)
    if current is None or not current.active:
        await dialog.send(update, s, Reply(texts.raw(lang, "night_none")))
        return
    if not await may_close(update, context.bot, current):
        await dialog.send(update, s, Reply(texts.raw(lang, "night_close_not_yours")))
        return
    if not await close_night(context.bot, s, chat_id, thread_id, reply_lang=lang):
        await dialog.send(update, s, Reply(texts.raw(lang, "night_none")))


async def may_close(update: Update, bot: Bot, night: Night) -> bool:
    """Who opened the night, or an admin of the group (also one posting as the group), may
    close it early; everyone else waits for the vote's end, so one member cannot cut it short.
    """
    if dialog.owner_id(update) == night.opened_by:
        return True
    message, user = update.effective_message, update.effective_user
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == message.chat_id  # an anonymous admin
    if user is None:
        return False
    try:
        member = await bot.get_chat_member(night.chat_id, user.id)
    except TelegramError as error:  # cannot tell: only the opener may
        log.info("could not check who may close a movie night (%s)", type(error).__name__)
        return False
    return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR)


async def close_night(
    bot: Bot,
    s: Services,
    chat_id: int,
    thread_id: int,
    expected_poll: str | None = None,
    reply_lang: str | None = None,
    counts: list[int] | None = None,
) -> bool:
    """Stop the night's poll, close the night and announce; False when there was nothing to
    close. ``counts``: the closed poll's votes per option, when Telegram told us already."""
    current = await nights.load(s.store, chat_id, thread_id)
    if current is None or not current.active:
        return False
    if expected_poll is not None and current.poll_id != expected_poll:
        return False  # an older night's poll
    if counts is None and current.status == "voting" and current.poll_message_id is not None:
        counts = await _stop(bot, current)

    def finish(current: Night | None) -> tuple[Night | None, Night | None]:
        if current is None or not current.active:
            return None, None  # closed meanwhile (the timer, another replica): they announce
        current.status = "closed"
        # Telegram's final count is the truth (an answer we missed, a retraction); ours stands
        # in when stopPoll was refused or answered without counts
        if counts is not None and len(counts) == len(current.options) and sum(counts) > 0:
            current.final = list(counts)
        else:
            current.final = current.tally()
        best = max(current.final, default=0)
        if best > 0:
            tied = [current.options[i] for i, n in enumerate(current.final) if n == best]
            current.tied = tied if len(tied) > 1 else []
            current.winner = random.Random(current.poll_id or "").choice(tied)
        return current, current

    closed = await nights.change(s.store, chat_id, thread_id, finish)
    if closed is None:
        return False
    await nights.change_due(s.store, f"{chat_id}:{thread_id}", None)
    await _announce(bot, s, closed, reply_lang or closed.lang)
    return True


async def _stop(bot: Bot, night: Night) -> list[int] | None:
    """Stop the poll; its final votes per option, or None when Telegram refused."""
    assert night.poll_message_id is not None
    try:
        poll = await bot.stop_poll(night.chat_id, night.poll_message_id)
    except (BadRequest, Forbidden) as error:
        # deleted, already closed by Telegram, or the bot was removed: the tallies are ours
        log.info("movie night %s/%s: stopPoll refused (%s)", night.chat_id, night.thread_id, error)
        return None
    return [option.voter_count for option in poll.options]


async def _announce(bot: Bot, s: Services, closed: Night, lang: str) -> None:
    if closed.winner is None:
        key = "night_cancelled" if closed.poll_id is None else "night_no_votes"
        reply = Reply(texts.raw(lang, key))
    else:
        votes = max(closed.final, default=0)
        reply = render.winner(s, lang, closed, votes)
    target = _where_to_send(bot, closed)
    try:
        await photos.send(s, target, reply, keyboards.keyboard(reply))
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
