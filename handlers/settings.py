"""Every setting, read once from the environment, validated, with a clear message when wrong."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from handlers.store import check_database_url
from movierec.catalog import DEFAULT_DATA

PROJECT = Path(__file__).resolve().parent.parent

# Formats Telegram itself uses; these check configuration, never user messages.
TOKEN_FORMAT = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(ValueError):
    """A setting is present but unusable; the message names it and says what is expected."""


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    webhook_url: str | None = None
    port: int = 8443
    listen: str = "0.0.0.0"
    webhook_secret: str | None = None
    api_url: str | None = None
    data_dir: Path = DEFAULT_DATA
    state_db: Path | None = None  # None: in memory only; from_env picks the default file
    database_url: str | None = None  # PostgreSQL; when set, state_db is not used
    concurrency: int = 32  # updates processed at once (different chats; one chat in order)
    callback_secret: bytes = b"movierec-console"
    # Bot API rate limits (AIORateLimiter) and retries after a 429
    overall_rate: float = 30.0
    group_rate: float = 20.0
    rate_retries: int = 3
    # per-user flood control: at most flood_limit updates per flood_window seconds
    flood_limit: int = 20
    flood_window: float = 10.0
    flood_cooldown: float = 30.0
    log_level: int = logging.INFO

    @property
    def console(self) -> bool:
        return self.token is None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        token = get("TELEGRAM_BOT_TOKEN")
        if token is not None and not TOKEN_FORMAT.fullmatch(token):
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN: expected the token @BotFather gave, digits, a colon and 35 "
                "letters, digits, - or _ (like 110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw)"
            )
        webhook_url = get("WEBHOOK_URL")
        if webhook_url is not None:
            parsed = urlparse(webhook_url)
            if parsed.scheme != "https" or not parsed.netloc:
                raise SettingsError("WEBHOOK_URL: expected an https:// URL Telegram can reach")
            if token is None:
                raise SettingsError("WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not")
        secret = get("WEBHOOK_SECRET")
        if secret is not None and not SECRET_FORMAT.fullmatch(secret):
            raise SettingsError("WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
        api_url = get("TELEGRAM_API_URL")
        if api_url is not None and urlparse(api_url).scheme not in ("http", "https"):
            raise SettingsError(
                "TELEGRAM_API_URL: expected http(s)://host:port of a Bot API server"
            )
        callback = get("MOVIEREC_CALLBACK_SECRET")
        # buttons must survive restarts: derive the key from the token unless one is given
        callback_secret = (
            callback.encode()
            if callback
            else hashlib.sha256(token.encode()).digest()
            if token
            else cls.callback_secret
        )
        state = get("MOVIEREC_STATE_DB")
        database_url = get("MOVIEREC_DATABASE_URL")
        if database_url is not None:
            try:
                check_database_url(database_url)
            except ValueError as error:
                raise SettingsError(f"MOVIEREC_DATABASE_URL: {error}") from None
        return cls(
            token=token,
            webhook_url=webhook_url,
            port=_number(get("PORT"), "PORT", 8443, int, 1, 65535),
            listen=get("MOVIEREC_LISTEN") or cls.listen,
            webhook_secret=secret,
            api_url=api_url.rstrip("/") if api_url else None,
            data_dir=Path(get("MOVIEREC_DATA") or DEFAULT_DATA),
            state_db=None
            if state == ":memory:"
            else Path(state)
            if state
            else default_state_db(env),
            database_url=database_url,
            concurrency=_number(
                get("MOVIEREC_CONCURRENCY"), "MOVIEREC_CONCURRENCY", 32, int, 1, 1024
            ),
            callback_secret=callback_secret,
            flood_limit=_number(get("MOVIEREC_FLOOD_LIMIT"), "MOVIEREC_FLOOD_LIMIT", 20, int, 1),
            flood_window=_number(
                get("MOVIEREC_FLOOD_WINDOW"), "MOVIEREC_FLOOD_WINDOW", 10.0, float, 0.1
            ),
            log_level=_log_level(get("MOVIEREC_LOG_LEVEL")),
            flood_cooldown=_number(
                get("MOVIEREC_FLOOD_COOLDOWN"), "MOVIEREC_FLOOD_COOLDOWN", 30.0, float, 0.0
            ),
        )


def _number(raw: str | None, name: str, default, kind, low=None, high=None):
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a number, got {raw[:20]!r}") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise SettingsError(f"{name}: expected a value between {low} and {high}, got {value}")
    return value


def _log_level(raw: str | None) -> int:
    if raw is None:
        return logging.INFO
    level = logging.getLevelName(raw.upper())
    if not isinstance(level, int):
        raise SettingsError("MOVIEREC_LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR")
    return level


def default_state_db(env: Mapping[str, str]) -> Path:
    """$XDG_STATE_HOME/movierec/ when set, else state/ in the project: never the cwd."""
    xdg = env.get("XDG_STATE_HOME", "").strip()
    folder = Path(xdg) / "movierec" if xdg and Path(xdg).is_absolute() else PROJECT / "state"
    return folder / "movierec.sqlite3"
