"""TMDB settings from the environment: live data is on only with a key or a token."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DEFAULT_API_URL", "DEFAULT_IMAGE_URL", "TmdbSettings"]

DEFAULT_API_URL = "https://api.themoviedb.org/3"
DEFAULT_IMAGE_URL = "https://image.tmdb.org/t/p"
SPANISH = ("es-MX", "es-ES")  # TMDB's regional Spanish; titles and posters differ by region
MAX_TIMEOUT = 1.5  # seconds: a live answer never delays the local one by more


@dataclass(frozen=True)
class TmdbSettings:
    # secrets: never in a repr (a logged settings object would carry them)
    api_key: str | None = field(default=None, repr=False)  # v3 key: the api_key parameter
    access_token: str | None = field(default=None, repr=False)  # v4 token: Bearer header
    api_url: str = DEFAULT_API_URL
    image_url: str = DEFAULT_IMAGE_URL
    spanish: str = "es-MX"  # what Spanish-speaking users get (TMDB_LANGUAGE_ES)
    timeout: float = MAX_TIMEOUT  # per question, every request included
    concurrency: int = 8  # requests in flight per process
    failures_to_open: int = 5  # consecutive failures that open the circuit breaker
    open_seconds: float = 60.0  # how long it stays open
    cache_seconds: float = 7 * 24 * 3600.0  # films change little; searches the same

    @property
    def enabled(self) -> bool:
        return bool(self.api_key or self.access_token)

    @property
    def secrets(self) -> list[str]:
        """What the log formatter must redact."""
        return [s for s in (self.api_key, self.access_token) if s]

    def language(self, lang: str) -> str:
        """TMDB's language for one of ours ("es" → the Spanish setting, else en-US)."""
        return self.spanish if lang == "es" else "en-US"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TmdbSettings:
        """Unknown or odd values fall back to the defaults: live data is optional, so a typo
        in its settings must never stop the bot."""

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        spanish = text("TMDB_LANGUAGE_ES")
        timeout = _number(text("TMDB_TIMEOUT"), MAX_TIMEOUT)
        return cls(
            api_key=text("TMDB_API_KEY"),
            access_token=text("TMDB_ACCESS_TOKEN"),
            api_url=(text("TMDB_API_URL") or DEFAULT_API_URL).rstrip("/"),
            image_url=(text("TMDB_IMAGE_URL") or DEFAULT_IMAGE_URL).rstrip("/"),
            spanish=spanish if spanish in SPANISH else "es-MX",
            timeout=min(max(timeout, 0.05), MAX_TIMEOUT),
        )


def _number(value: str | None, default: float) -> float:
    try:
        number = float(value) if value is not None else default
    except ValueError:
        return default
    return number if math.isfinite(number) else default
