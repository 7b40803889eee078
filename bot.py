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

from handlers import console, texts
from handlers.app import build_application, load_services
from handlers.offline import ApiLog, OfflineRequest
from handlers.settings import Settings, SettingsError
from movierec.catalog import CatalogError
from movierec.npz import NpzError
from movierec.similarity_index import IndexError_

log = logging.getLogger("movierec")


def main() -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines carry the token
    try:
        settings = Settings.from_env(os.environ)
        services = load_services(settings)
    except (SettingsError, CatalogError, IndexError_, NpzError, OSError) as error:
        print(f"movierec: {error}", file=sys.stderr)
        return 2
    log.info("catalog, indexes and recommender loaded in %.2f s", services.load_seconds)
    if services.preferences.problem:
        log.warning("starting with default settings: %s", services.preferences.problem)
    if settings.console:
        calls = ApiLog()
        application = build_application(
            settings, services, OfflineRequest(calls), OfflineRequest(calls)
        )
        language = texts.language_for(os.environ.get("LANG"))
        return console.run(application, calls, language)
    application = build_application(settings, services)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
