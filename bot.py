"""movierec: start the Telegram bot (polling or webhook), or a console chat without a token.

make run                       # console chat on a fresh clone
TELEGRAM_BOT_TOKEN=… make run  # long polling
WEBHOOK_URL=https://… PORT=8443 WEBHOOK_SECRET=… TELEGRAM_BOT_TOKEN=… make run
"""

from __future__ import annotations

import logging
import os
import sys
from urllib.parse import urlparse

from telegram import Update
from telegram.error import TelegramError

from handlers import logs, texts
from handlers.app import build_application, load_services
from handlers.console import chat as console
from handlers.settings import Settings, SettingsError
from handlers.store import StoreError, url_secrets
from handlers.tmdb.settings import TmdbSettings
from movierec.catalog import CatalogError
from movierec.npz import NpzError
from movierec.recommend.index import IndexLoadError

log = logging.getLogger("movierec")


def main() -> int:
    logs.setup([], level=logging.INFO)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        print(f"movierec: {error}", file=sys.stderr)
        return 2
    secrets = [
        settings.token,
        settings.webhook_secret,
        os.environ.get("MOVIEREC_CALLBACK_SECRET"),
        *url_secrets(settings.database_url),
        *TmdbSettings.from_env(os.environ).secrets,
    ]
    logs.setup(secrets, level=settings.log_level)
    try:
        services = load_services(settings)
    except (CatalogError, IndexLoadError, NpzError, OSError) as error:
        print(f"movierec: {error}", file=sys.stderr)
        return 2
    log.info("catalog, indexes and recommender loaded in %.2f s", services.load_seconds)
    if settings.console:  # one trusted local user: no flood limit, no Bot API pacing
        application, calls = console.build(settings, services)
        language = texts.language_for(os.environ.get("LANG"))
        return console.run(application, calls, language)
    application = build_application(settings, services)
    try:
        if settings.webhook_url:
            application.run_webhook(
                listen=settings.listen,
                port=settings.port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                secret_token=settings.webhook_secret,
                webhook_url=settings.webhook_url,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except (TelegramError, StoreError, OSError) as error:
        # a rejected token, an unreachable Bot API or database, a port in use: one line, no
        # secret
        reason = logs.redact(str(error), [s for s in secrets if s])
        print(f"movierec: could not start: {type(error).__name__}: {reason}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
