"""The Telegram edge: one module per feature; this one wires them all into an Application."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import calendar, errors, films, inline, people, presses, recommend, start
from handlers.flood import FloodGuard

# A command and its aliases (Spanish names are the contract), and what it does.
COMMANDS = (
    (("start",), start.start),
    (("help", "ayuda"), start.help_command),
    (("mes", "month"), calendar.month),
    (("dia", "day"), calendar.weekday),
    (("score",), films.score),
    (("votos", "votes"), films.votes),
    (("actor",), people.actor),
    (("director",), people.director),
    (("recomendar", "recommend", "similar"), recommend.recommend),
    (("lang", "idioma"), start.lang),
)
MENU = {
    "es": [
        ("mes", "Películas estrenadas en un mes"),
        ("dia", "Películas estrenadas en un día de la semana"),
        ("score", "Año y popularidad de una película"),
        ("votos", "Votos y media de una película"),
        ("actor", "Películas y retorno de un actor"),
        ("director", "Retorno y películas de un director"),
        ("recomendar", "Cinco películas parecidas"),
        ("lang", "Idioma: es / en"),
        ("help", "Ayuda y ejemplos"),
    ],
    "en": [
        ("month", "Films released in a month"),
        ("day", "Films released on a weekday"),
        ("score", "A film's year and popularity"),
        ("votes", "A film's votes and average"),
        ("actor", "An actor's films and return"),
        ("director", "A director's return and films"),
        ("recommend", "Five similar films"),
        ("lang", "Language: en / es"),
        ("help", "Help and examples"),
    ],
}


def register(application: Application, flood: FloodGuard | None = None) -> None:
    if flood is not None:  # before everything else
        application.add_handler(TypeHandler(Update, flood), group=-1)
    fresh = filters.UpdateType.MESSAGE  # an edited command is not asked again
    for names, callback in COMMANDS:
        application.add_handler(CommandHandler(names, callback, filters=fresh))
    application.add_handler(MessageHandler(fresh & filters.TEXT & ~filters.COMMAND, films.text))
    application.add_handler(MessageHandler(fresh & filters.COMMAND, start.unknown_command))
    application.add_handler(CallbackQueryHandler(presses.press))
    application.add_handler(InlineQueryHandler(inline.inline_query))
    application.add_error_handler(errors.on_error)


async def set_menu(application: Application) -> None:
    """The command menu: English by default, Spanish for Spanish-speaking users."""
    bot = application.bot
    english = [BotCommand(name, description) for name, description in MENU["en"]]
    spanish = [BotCommand(name, description) for name, description in MENU["es"]]
    await bot.set_my_commands(english, scope=BotCommandScopeDefault())
    await bot.set_my_commands(spanish, scope=BotCommandScopeDefault(), language_code="es")
