"""Wiring movie night into the Application: commands, buttons, polls, replies, the timer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    PollHandler,
    TypeHandler,
    filters,
)

from handlers.movienight import card, close, flow, presses, timer, vote

__all__ = ["COMMANDS", "register", "register_buttons"]

# (es, en, menu text key), callback: in the command menu like handlers.META
COMMANDS = (
    (("noche", "movienight", "menu_night"), flow.open_command),
    (("propongo", "nominate", "menu_nominate"), flow.nominate_command),
    (("votar", "vote", "menu_vote"), vote.vote_command),
    (("cerrar", "close", "menu_close"), close.close_command),
)
CONTEXT_GROUP = -2  # before the flood guard (-1): it only reads, and sets the card's 🍿 row
REPLY_GROUP = 1  # after group 0, whose text handler ignores group replies that are not ours


def register_buttons(application: Application) -> None:  # type: ignore[type-arg]
    """The night's buttons, in group 0: call before the catch-all button handler."""
    application.add_handler(CallbackQueryHandler(presses.press, pattern=presses.PATTERN))


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Commands and polls in group 0 (call before the catch-all command handler), the context
    handler and replies to the night's message in groups of their own."""
    fresh = filters.UpdateType.MESSAGE
    for (es, en, _menu), callback in COMMANDS:
        application.add_handler(CommandHandler((es, en), callback, filters=fresh))
    application.add_handler(PollAnswerHandler(close.poll_answer))
    application.add_handler(PollHandler(close.poll_closed))
    application.add_handler(TypeHandler(Update, card.night_context), group=CONTEXT_GROUP)
    replies = fresh & filters.TEXT & ~filters.COMMAND & filters.REPLY & filters.ChatType.GROUPS
    application.add_handler(MessageHandler(replies, flow.reply_nomination), group=REPLY_GROUP)
    timer.install(application)
