"""The bot's state store: SQLite by default, PostgreSQL when ``MOVIEREC_DATABASE_URL`` is set.

    store = create_store(settings.database_url, settings.state_db)
    await store.open()            # StoreUnavailable: one line, never the password
    await store.set_language(owner, "es")
    await store.get_language(owner)   # "es"; StoreUnavailable while the database is down
    await store.close()

See ``base.Store`` for the whole interface, ``migrations`` for the schema.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from handlers.store.base import (
    LANGUAGE,
    Clock,
    ListItem,
    ListWrite,
    Session,
    Store,
    StoreError,
    StoreLocked,
    StoreUnavailable,
    VersionConflict,
    redact_url,
    url_secrets,
)
from handlers.store.sqlite import SQLiteStore

__all__ = [
    "LANGUAGE",
    "ListItem",
    "ListWrite",
    "SQLiteStore",
    "Session",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
    "VersionConflict",
    "check_database_url",
    "create_store",
    "redact_url",
    "url_secrets",
]

SCHEMES = ("postgresql", "postgres")


def check_database_url(url: str) -> str:
    """The URL if it names a PostgreSQL database, else ``ValueError`` (message redacted)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in SCHEMES or not (parts.netloc or parts.query):
        raise ValueError(
            f"expected postgresql://user:password@host:port/database, got {redact_url(url)!r}"
        )
    return url


def create_store(
    database_url: str | None, sqlite_path: Path | str | None, *, clock: Clock = time.time
) -> Store:
    """PostgreSQL when ``database_url`` is given, else SQLite at ``sqlite_path`` (None or
    ":memory:": in memory). Nothing is opened yet: call ``open()``."""
    if database_url:
        from handlers.store.postgres import PostgresStore  # psycopg only when it is used

        return PostgresStore(check_database_url(database_url), clock=clock)
    return SQLiteStore(sqlite_path, clock=clock)
