"""/about (/acerca): where the cards' data comes from, each source's licence, TMDB's line."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers import dialog
from handlers.reply import Reply
from handlers.services import services
from handlers.texts import raw

__all__ = ["about"]


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    lang = await dialog.language(update, s)
    await dialog.send(update, s, Reply(raw(lang, "about")))
