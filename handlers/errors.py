"""The error handler: log once with the update id (never the token), apologise to the user."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers import dialog, texts
from handlers.services import services

log = logging.getLogger("movierec.errors")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "update %s failed: %s",
        update_id,
        type(context.error).__name__,
        exc_info=context.error,
    )
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        # stop the button's spinner (a press answered before it failed refuses this)
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    if update.effective_chat is None:
        return
    try:
        lang = await dialog.language(update, services(context))
        await context.bot.send_message(update.effective_chat.id, texts.raw(lang, "error"))
    except TelegramError as error:  # the apology failed too: logged, not retried forever
        log.warning("could not tell chat about the failure: %s", type(error).__name__)
