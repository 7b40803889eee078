"""/start, /help, /lang, and commands we do not have."""

from __future__ import annotations

import re

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


_LOCALE_TAG = re.compile(r"([a-z]{2})[-_][a-z0-9]{2,8}")  # en-US, es_MX, es-419


def language_asked(typed: str) -> str | None:
    """es or en, from a code, a locale tag or a language's name; None for anything else
    ("enero" and "esperanto" are no language of ours)."""
    named = LANGUAGE_NAMES.get(fold(typed))
    tag = _LOCALE_TAG.fullmatch(typed.lower())
    return named or (LANGUAGE_NAMES.get(tag.group(1)) if tag else None)


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    message = update.effective_message
    owner = dialog.owner_id(update)
    wanted = language_asked(dialog.argument(message)) if message else None
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
