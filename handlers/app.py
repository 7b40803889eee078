"""Building the shared services and the PTB Application around them."""

from __future__ import annotations

import functools
import gc
import logging
import os
import time

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, Defaults
from telegram.request import BaseRequest

import handlers
from handlers.actions import BUTTON_CODES
from handlers.buttons import ButtonCodec
from handlers.flood import FloodGuard
from handlers.preferences import Preferences
from handlers.processor import build_processor
from handlers.prompts import OpenPrompts
from handlers.services import KEY, Services
from handlers.settings import Settings
from handlers.store import StoreUnavailable, create_store
from handlers.tmdb.client import TmdbClient
from handlers.tmdb.settings import TmdbSettings
from movierec.engine import Engine

CONSOLE_TOKEN = "1:console-chat-without-telegram"
log = logging.getLogger(__name__)


def load_services(settings: Settings) -> Services:
    """Load the catalog, indexes and recommender once; every handler shares them.

    The state store is created here and opened by :func:`open_services` (inside the event
    loop that will use it).
    """
    started = time.perf_counter()
    engine = Engine.load(settings.data_dir)
    store = create_store(settings.database_url, settings.state_db)
    tmdb = TmdbSettings.from_env(os.environ)  # optional live data: only with a key or token
    return Services(
        engine=engine,
        store=store,
        # buttons are only valid for the catalog they were made for
        codec=ButtonCodec(settings.callback_secret, engine.fingerprint, BUTTON_CODES),
        preferences=Preferences(store),
        prompts=OpenPrompts(store),
        load_seconds=time.perf_counter() - started,
        tmdb=TmdbClient(tmdb, store) if tmdb.enabled else None,
    )


async def open_services(services: Services) -> None:
    """Open the state store. PostgreSQL that cannot be reached stops the start
    (StoreUnavailable, one line); an unusable SQLite file only degrades it: settings answer
    from Telegram's language and the store retries on every call until the file is usable."""
    try:
        await services.store.open()
    except StoreUnavailable as error:
        if services.store.backend != "sqlite":
            raise
        log.warning("settings database unusable for now, serving with defaults: %s", error)
    if services.tmdb is not None:  # checks the key: a 401 is one line, then offline
        await services.tmdb.open()
    # before serving: the first typo would otherwise pay ~50 ms on the event loop
    services.engine.warm()
    _freeze_start_up()


@functools.cache  # once per process: the first start's objects are the long-lived ones
def _freeze_start_up() -> None:
    """Take what start-up loaded (the catalog, indexes, texts, handlers) out of the cyclic
    garbage collector's sight: it lives as long as the process, and each full collection
    walked all of it again, 100-180 ms of CPU every few thousand updates (measured with
    gc.callbacks on the bench's mixes; none with it frozen). Garbage is collected first, so
    no dead cycle is frozen for good (~30 ms, once)."""
    gc.collect()
    gc.freeze()


async def close_services(services: Services) -> None:
    if services.tmdb is not None:
        await services.tmdb.close()
    await services.store.close()


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    await close_services(application.bot_data[KEY])


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    services: Services = application.bot_data[KEY]
    await open_services(services)
    services.bot_username = application.bot.username or services.bot_username
    try:
        await handlers.set_menu(application)
    except TelegramError as error:  # a menu is nice to have; serving is not blocked by it
        log.warning("could not set the command menu: %s", error)


def build_application(
    settings: Settings,
    services: Services,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
) -> Application:
    builder = (
        Application.builder()
        .token(settings.token or CONSOLE_TOKEN)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=settings.overall_rate,
                group_max_rate=settings.group_rate,
                max_retries=settings.rate_retries,
            )
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        # different chats at once, one chat in order (see handlers.processor)
        .concurrent_updates(build_processor(settings.concurrency))
    )
    if settings.api_url:
        builder = builder.base_url(f"{settings.api_url}/bot").base_file_url(
            f"{settings.api_url}/file/bot"
        )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    application = builder.build()
    application.bot_data[KEY] = services
    flood = FloodGuard(settings.flood_limit, settings.flood_window, settings.flood_cooldown)
    handlers.register(application, flood)
    return application
