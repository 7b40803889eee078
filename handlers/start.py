"""/start, /help and /lang."""

from telegram import Update
from telegram.ext import ContextTypes

from handlers import common, texts
from handlers.reply import Reply


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = common.services(context)
    lang = common.language(update, s)
    user = update.effective_user
    name = user.first_name if user else ""
    await common.send(update, Reply(texts.say(lang, "start", name=name)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = common.services(context)
    lang = common.language(update, s)
    await common.send(update, Reply(texts.say(lang, "help", bot=s.bot_username)))


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = common.services(context)
    message = update.effective_message
    user = update.effective_user
    wanted = common.argument(message).lower()[:2] if message else ""
    if user is None or wanted not in texts.LANGUAGES:
        await common.send(update, Reply(texts.raw(common.language(update, s), "lang_usage")))
        return
    s.preferences.set_language(user.id, wanted)
    await common.send(update, Reply(texts.raw(wanted, "lang_set")))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have: say so in private, or when addressed to us in a group."""
    message = update.effective_message
    if message is None or not message.text:
        return
    s = common.services(context)
    word = message.text.split(maxsplit=1)[0]
    _, _, addressee = word.partition("@")
    if common.in_group(update) and addressee.lower() != s.bot_username.lower():
        return  # another bot's command, or not for anyone in particular
    await common.send(update, Reply(texts.raw(common.language(update, s), "unknown_command")))
