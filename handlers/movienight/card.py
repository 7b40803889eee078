"""The card's "🍿 Propose for movie night" row, and the codes of the night's buttons.

The row is shown only where a night takes nominations. The card renderer is synchronous and
knows nothing of chats, so a handler that runs before the others (group -2) looks the chat's
night up once per update and leaves the answer in a context variable that the renderer reads
(PTB runs all of an update's handlers in one task, so the value is that update's own).
Kept free of the dialog's imports: the card renderer imports this module.
"""

from __future__ import annotations

import contextvars
import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers import texts
from handlers.movienight import night as nights
from handlers.reply import Button, Rows
from handlers.services import Services, services

__all__ = ["BUTTON_CODES", "card_rows", "night_context", "open_night"]

log = logging.getLogger(__name__)
# button action → one character of button data (handlers.actions adds them to the codec)
BUTTON_CODES = {"night": "N", "night_nominate": "P"}
_OPEN_NIGHT: contextvars.ContextVar[bool] = contextvars.ContextVar("open_night", default=False)


async def night_context(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Whether this update comes from a chat (topic) whose night takes nominations."""
    _OPEN_NIGHT.set(False)  # always reset: one task may process several updates (tests)
    message = update.effective_message
    chat = update.effective_chat
    if not isinstance(message, Message) or chat is None or chat.type == ChatType.PRIVATE:
        return
    try:
        current = await nights.load(services(context).store, *nights.where(message))
    except Exception as error:  # no 🍿 button is all a store outage costs here
        log.debug("movie night lookup failed (%s)", type(error).__name__)
        return
    _OPEN_NIGHT.set(current is not None and current.status == "open")


def open_night() -> bool:
    """Whether this update's chat has a night taking nominations (what card_rows reads)."""
    return _OPEN_NIGHT.get()


def card_rows(s: Services, lang: str, movie_id: int) -> Rows:
    """The card's 🍿 row, when it is shown in a group with a night taking nominations."""
    if not open_night():
        return ()
    data = s.codec.encode("night_nominate", movie_id)
    return ((Button(texts.raw(lang, "button_night_propose"), data=data),),)
