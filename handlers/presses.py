"""Inline buttons: choices, pages, and the buttons under cards and recommendations."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers import conversation, dialog, keyboards, photos


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer(await conversation.button_press(update, context))


async def answer(button: conversation.ButtonPress | None) -> None:
    """Answer a press (handlers.lists hands over the card and page presses it decoded)."""
    if button is None:
        return
    query, s, lang, pressed = button.query, button.services, button.lang, button.press
    if pressed is None:  # stale or forged
        await button.expired()
        return
    reply = await dialog.answer_async(s, lang, pressed)
    await query.answer()
    markup = keyboards.keyboard(reply)
    if query.message is None:  # a button under an inline-mode message: only its text changes
        try:
            await query.edit_message_text(reply.text, reply_markup=markup)
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise
        return
    if pressed.edit:
        await photos.edit(s, query.message, reply, markup)
    elif isinstance(query.message, Message):
        await photos.send(s, query.message, reply, markup)
