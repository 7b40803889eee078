"""What every handler needs, built once at start-up and kept in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import InlineQueryResultArticle
from telegram.ext import ContextTypes

from handlers import viewer
from handlers.answer_memory import AnswerMemory
from handlers.buttons import ButtonCodec
from handlers.memo import Memo
from handlers.preferences import Preferences
from handlers.prompts import OpenPrompts
from handlers.store import Store
from handlers.tmdb.client import TmdbClient
from movierec.engine import Engine

KEY = "services"
# a poster's file id, or a URL Telegram refused, as another replica stored it, may take this
# long to be seen here (meanwhile this replica sends the URL, or tries it once)
PHOTO_MEMORY_SECONDS = 600.0
PHOTO_MEMORY_ENTRIES = 50_000
INLINE_MEMORY_SECONDS = 300.0  # as long as Telegram may cache an answer (handlers/inline.py)
INLINE_MEMORY_ENTRIES = 200  # a page of ten articles weighs ~55 KiB as PTB objects: 11 MiB


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
    # short-lived copies of what nearly every update reads from the store (handlers/memo.py):
    # each person's lists for their cards, and posters' Telegram file ids and refusals
    viewers: Memo[int, viewer.Viewer] = field(
        default_factory=lambda: Memo(viewer.CACHE_TTL, viewer.CACHE_ENTRIES)
    )
    photos: Memo[tuple[str, str], str | None] = field(
        default_factory=lambda: Memo(PHOTO_MEMORY_SECONDS, PHOTO_MEMORY_ENTRIES)
    )
    # replies that are the same for everyone, rendered once (handlers/answer_memory.py)
    answers: AnswerMemory = field(default_factory=AnswerMemory)
    # inline articles by (language, text typed): the same for everyone, for a few minutes
    inline_results: Memo[tuple[str, str], tuple[tuple[InlineQueryResultArticle, ...], bool]] = (
        field(default_factory=lambda: Memo(INLINE_MEMORY_SECONDS, INLINE_MEMORY_ENTRIES))
    )


def services(context: ContextTypes.DEFAULT_TYPE | Any) -> Services:
    found: Services = context.bot_data[KEY]
    return found
