"""/votar: the compromise picks and the poll."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import InputPollOption, Message, Update
from telegram.ext import ContextTypes

from handlers import dialog, texts
from handlers.movienight import night as nights
from handlers.movienight import render
from handlers.movienight.flow import group_context, number
from handlers.movienight.night import Night
from handlers.reply import Reply
from handlers.services import Services
from movierec.recommend.compromise import CompromisePick
from movierec.results import Invalid

__all__ = ["DEFAULT_MINUTES", "start_vote", "vote_command"]

log = logging.getLogger(__name__)
MAX_OPTIONS = 10  # Telegram's limit for a poll
PICKS = 3  # compromise picks; MAX_NOMINEES leaves room for at least two
VOTE_MINUTES = (1, 60)  # how long a vote runs; default 10
DEFAULT_MINUTES = 10
OPEN_PERIOD_MAX = 600  # Telegram closes a poll by itself up to 10 minutes; the timer beyond
LIKES_PER_MEMBER = 5  # a member's most recent liked films that colour the picks
LIKED_RATING = 4  # ratings are 1-5: 4 and 5 are likes
SEEN_READ = 1000  # one page of a member's seen films (the store's page limit)


async def vote_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    found = await group_context(update, context)
    if found is None:
        return
    s, lang = found
    minutes = number(dialog.argument(message), VOTE_MINUTES, DEFAULT_MINUTES)
    if minutes is None:
        await dialog.send(update, s, Reply(texts.raw(lang, "night_usage_vote")))
        return
    problem = await start_vote(s, lang, message, minutes)
    if problem is not None:
        await dialog.send(update, s, problem)


async def start_vote(s: Services, lang: str, message: Message, minutes: int) -> Reply | None:
    """Add the compromise picks and send the poll; or say why not (returned)."""
    chat_id, thread_id = nights.where(message)

    def claim(current: Night | None) -> tuple[Night | None, Night | Reply]:
        # the night turns "voting" before the poll goes out: two /votar at once send one poll
        if current is None or not current.active:
            return None, Reply(texts.raw(lang, "night_none"))
        if current.status == "voting":
            return None, Reply(texts.raw(lang, "night_poll_open"))
        if not current.nominations:
            return None, Reply(texts.raw(lang, "night_need_nominees"))
        current.status = "voting"
        return current, current

    claimed = await nights.change(s.store, chat_id, thread_id, claim)
    if isinstance(claimed, Reply):
        return claimed
    try:
        return await _send_poll(s, lang, message, claimed, minutes)
    except BaseException:
        await _release(s, claimed)  # the poll did not go out: nominations stay open
        raise


async def _send_poll(
    s: Services, lang: str, message: Message, claimed: Night, minutes: int
) -> Reply | None:
    nominees = [n.movie_id for n in claimed.nominations]
    room = MAX_OPTIONS - len(nominees)
    picks = await _picks(s, claimed, min(PICKS, room)) if room > 0 else []
    options = nominees + [p.movie_id for p in picks]
    if len(options) < 2:
        await _release(s, claimed)
        return Reply(texts.count(lang, "night_too_few", len(options)))
    await message.reply_text(render.picks_text(s, lang, picks), do_quote=False)
    seconds = minutes * 60
    poll = await message.reply_poll(
        render.question(lang, minutes),
        [
            InputPollOption(render.option_text(s, m, m not in nominees), text_parse_mode=None)
            for m in options
        ],
        is_anonymous=False,
        open_period=seconds if seconds <= OPEN_PERIOD_MAX else None,
        question_parse_mode=None,
        do_quote=False,
    )
    closes_at = time.time() + seconds
    poll_id = poll.poll.id if poll.poll else ""

    def voting(current: Night | None) -> tuple[Night | None, None]:
        if current is None or current.status != "voting" or current.poll_id is not None:
            return None, None
        current.picks = [p.movie_id for p in picks]
        current.options = options
        current.poll_id, current.poll_message_id = poll_id, poll.message_id
        current.closes_at = closes_at
        return current, None

    await nights.change(s.store, claimed.chat_id, claimed.thread_id, voting)
    await nights.remember_poll(s.store, poll_id, claimed.chat_id, claimed.thread_id)
    await nights.change_due(s.store, f"{claimed.chat_id}:{claimed.thread_id}", closes_at)
    return None


async def _release(s: Services, claimed: Night) -> None:
    def back(current: Night | None) -> tuple[Night | None, None]:
        if current is None or current.status != "voting" or current.poll_id is not None:
            return None, None
        current.status = "open"
        return current, None

    await nights.change(s.store, claimed.chat_id, claimed.thread_id, back)


async def _picks(s: Services, claimed: Night, k: int) -> list[CompromisePick]:
    """Compromise picks for the members taking part: nominators and the opener."""
    members = sorted({claimed.opened_by, *(n.user_id for n in claimed.nominations)})
    liked: list[int] = []
    seen: list[int] = []
    for member in members:
        try:
            items = await s.store.list_items(member, "seen", limit=SEEN_READ)
        except Exception as error:  # lists are a bonus: without them the picks still come
            log.warning("movie night: could not read member lists (%s)", type(error).__name__)
            items = []
        seen.extend(item.movie_id for item in items)
        likes = [i.movie_id for i in items if i.rating is not None and i.rating >= LIKED_RATING]
        liked.extend(likes[:LIKES_PER_MEMBER])
    nominees = [n.movie_id for n in claimed.nominations]
    found = await asyncio.to_thread(s.engine.compromise, nominees, liked, seen, k)
    return [] if isinstance(found, Invalid) else list(found)
