"""/start, /help, /lang, and commands we do not have."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers import dialog, texts
from handlers.reply import Reply
from handlers.services import services
from movierec.search.text import fold


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    lang = await dialog.language(update, s)
    if dialog.in_group(update):  # groups take commands only: no "send me a title" there
        await dialog.send(update, s, Reply(texts.raw(lang, "start_group")))
        return
    user = update.effective_user
    name = user.first_name if user else ""
    await dialog.send(update, s, Reply(texts.say(lang, "start", name=name)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    lang = await dialog.language(update, s)
    await dialog.send(update, s, Reply(texts.say(lang, "help", bot=s.bot_username)))


# what /idioma takes, folded: each language's code and its names in both languages
LANGUAGE_NAMES = {
    "es": "es",
    "espanol": "es",
    "castellano": "es",
    "spanish": "es",
    "en": "en",
    "english": "en",
    "ingles": "en",
}


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    message = update.effective_message
    owner = dialog.owner_id(update)
    wanted = LANGUAGE_NAMES.get(fold(dialog.argument(message))) if message else None
    if owner is None or wanted is None:
        await dialog.send(
            update, s, Reply(texts.raw(await dialog.language(update, s), "lang_usage"))
        )
        return
    saved = await s.preferences.set_language(owner, wanted)
    await dialog.send(
        update, s, Reply(texts.raw(wanted, "lang_set" if saved else "lang_not_saved"))
    )


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have: say so in private, or when addressed to us in a group."""
    message = update.effective_message
    if message is None or not message.text or not message.text.strip():
        return
    s = services(context)
    word = message.text.split(maxsplit=1)[0]
    _, _, addressee = word.partition("@")
    if dialog.in_group(update) and addressee.lower() != s.bot_username.lower():
        return  # another bot's command, or not for anyone in particular
    await dialog.send(
        update, s, Reply(texts.raw(await dialog.language(update, s), "unknown_command"))
    )
