"""The Telegram edge. This module wires every handler into an Application, in one place.

Order and groups matter:
- group -3 starts every update with nobody's lists (handlers.viewer.start_update);
- group -1, the flood guard, sees every update first and can stop it (ApplicationHandlerStop);
- group 0 holds one handler per kind of update, and PTB tries them in order until one takes
  the update, so each kind's handlers stay together in the order they need, and the kinds that
  come most and never meet a command go first: every command handler tried costs a check.
  Inline queries; buttons (the ones with a pattern, movie night's included, before the
  catch-all); private text and replies to our prompts (never a command); the commands of every
  action (handlers.actions), the meta commands, movie night's commands and poll updates; then
  any other command ("unknown"), which must come after every known command because
  CommandHandler only matches its own names; documents;
- movie night (handlers.movienight.wiring) also has a read-only context handler in group -2
  (whether the chat's night takes nominations: the card's 🍿 row), and replies to the night's
  message in group 1, after group 0's text handler has let group replies that are not prompts
  go by;
- edited messages are never answered again (filters.UpdateType.MESSAGE).
"""

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

from handlers import (
    about,
    conversation,
    discover,
    errors,
    foryou,
    inline,
    letterboxd,
    lists,
    mydata,
    presses,
    start,
    texts,
    viewer,
)
from handlers.actions import ACTIONS
from handlers.flood import FloodGuard
from handlers.movienight import wiring as movienight

# Commands that are not questions: (es name, en name, menu text key or None), handler.
META = (
    (("start", "start", None), start.start),
    (("ayuda", "help", "menu_help"), start.help_command),
    (("acerca", "about", "menu_about"), about.about),  # sources, licences, TMDB's line
    (("idioma", "lang", "menu_lang"), start.lang),
    # discover, roulette, sagas: they read the state store (handlers/discover.py)
    (("descubrir", "discover", "menu_discover"), discover.discover_command),
    (("azar", "random", "menu_random"), discover.random_command),
    (("saga", "collection", "menu_saga"), discover.saga_command),
    # your films: lists and personal data, answered in private (lists.py, foryou.py, mydata.py)
    (("vista", "seen", "menu_seen"), lists.seen),
    (("pendiente", "later", "menu_later"), lists.later),
    (("lista", "list", "menu_list"), lists.list_later),
    (("vistas", "watched", "menu_watched"), lists.list_seen),
    (("parami", "foryou", "menu_foryou"), foryou.for_you),
    (("misdatos", "mydata", "menu_mydata"), mydata.my_data),
    (("olvidame", "forgetme", "menu_forgetme"), mydata.forget_me),
)


def register(application: Application, flood: FloodGuard | None = None) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, viewer.start_update), group=-3)
    if flood is not None:
        application.add_handler(TypeHandler(Update, flood), group=-1)
    fresh = filters.UpdateType.MESSAGE
    application.add_handler(InlineQueryHandler(inline.inline_query))
    # buttons by pattern (the night's; list buttons, and cards and pages that need the
    # presser's lists; discover's), then every other button
    movienight.register_buttons(application)
    application.add_handler(CallbackQueryHandler(lists.press, pattern=lists.mine))
    application.add_handler(CallbackQueryHandler(discover.press, pattern=discover.mine))
    application.add_handler(CallbackQueryHandler(presses.press))
    application.add_handler(
        MessageHandler(fresh & filters.TEXT & ~filters.COMMAND, conversation.text)
    )
    for action in ACTIONS:
        if action.commands:
            application.add_handler(
                CommandHandler(action.commands, conversation.command(action), filters=fresh)
            )
    for (es, en, _menu), callback in META:
        application.add_handler(CommandHandler((es, en), callback, filters=fresh))
    # movie night: its commands, polls; a context handler (group -2), replies (group 1)
    movienight.register(application)
    application.add_handler(MessageHandler(fresh & filters.COMMAND, start.unknown_command))
    application.add_handler(MessageHandler(fresh & filters.Document.ALL, letterboxd.document))
    application.add_error_handler(errors.on_error)


def menu(lang: str) -> list[BotCommand]:
    """The command menu in ``lang``: each command by its name in that language."""
    commands = [
        BotCommand(getattr(action, lang), texts.raw(lang, f"menu_{action.name}"))
        for action in ACTIONS
        if getattr(action, lang)
    ]
    for (es, en, key), _callback in (*META, *movienight.COMMANDS):
        if key is not None:
            commands.append(BotCommand(es if lang == "es" else en, texts.raw(lang, key)))
    return commands


async def set_menu(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu: English by default, Spanish for Spanish-speaking users."""
    bot = application.bot
    await bot.set_my_commands(menu("en"), scope=BotCommandScopeDefault())
    await bot.set_my_commands(menu("es"), scope=BotCommandScopeDefault(), language_code="es")
