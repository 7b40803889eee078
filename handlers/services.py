"""What every handler needs, built once at start-up and kept in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import ContextTypes

from handlers.buttons import ButtonCodec
from handlers.preferences import Preferences
from handlers.prompts import OpenPrompts
from handlers.store import Store
from handlers.tmdb.client import TmdbClient
from movierec.engine import Engine

KEY = "services"


@dataclass
class Services:
    engine: Engine
    store: Store
    codec: ButtonCodec
    preferences: Preferences
    prompts: OpenPrompts
    bot_username: str = "movierec_bot"
    load_seconds: float = 0.0
    tmdb: TmdbClient | None = None  # live TMDB data, only with a key (handlers/tmdb)


def services(context: ContextTypes.DEFAULT_TYPE | Any) -> Services:
    found: Services = context.bot_data[KEY]
    return found
