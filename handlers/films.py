"""/score, /votos, and plain text in private chats: a film's card."""

from telegram import Update
from telegram.ext import ContextTypes

from handlers import common


async def score(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await common.run(update, context, "score")


async def votes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await common.run(update, context, "votes")


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to one of our questions continues its command; private text is a title."""
    action = common.pending_prompt(update, context)
    if action is None and common.in_group(update):
        return  # group chatter is not for us
    message = update.effective_message
    if message is None or not message.text:
        return
    s = common.services(context)
    lang = common.language(update, s)
    await common.send(update, common.answer_for(s, lang, action or "card", message.text))
