"""The night's buttons: 🗳 vote, 🍿 propose (under a card), and which-film choices.

Button data is the bot's signed format (:mod:`handlers.buttons`) with codes of their own
(:data:`handlers.movienight.card.BUTTON_CODES`), so this handler sees only movie-night presses
and the general one (``handlers.presses``) never does.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from handlers import conversation, keyboards, photos, texts
from handlers.movienight import flow, render, vote

__all__ = ["PATTERN", "press"]

log = logging.getLogger(__name__)
# "1|N|…" and "1|P|…": the codes of card.BUTTON_CODES
PATTERN = r"^1\|[NP]\|"


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    button = await conversation.button_press(update, context)
    if button is None:
        return
    query, s, lang, pressed = button.query, button.services, button.lang, button.press
    message = query.message
    if pressed is None or not isinstance(message, Message):  # forged, stale, or inline
        await button.expired()
        return
    if message.chat.type == "private":
        await query.answer(texts.raw(lang, "night_groups_only"), show_alert=True)
        return
    if pressed.action == "night" and pressed.key == render.VOTE:
        await query.answer()
        problem = await vote.start_vote(s, lang, message, vote.DEFAULT_MINUTES)
        if problem is not None:
            await photos.send(s, message, problem, keyboards.keyboard(problem))
        return
    if pressed.action != "night_nominate":
        await button.expired()
        return
    reply = await flow.nominate_film(update, s, lang, pressed.key)
    await query.answer()
    if pressed.edit:  # a which-film choice: the answer replaces the question
        await photos.edit(s, message, reply, keyboards.keyboard(reply))
        shown: Message | None = message
    else:
        shown = await photos.send(s, message, reply, keyboards.keyboard(reply))
    await flow.note_board(s, message, reply, shown)
