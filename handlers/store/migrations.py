"""Schema migrations, one list for both backends.

Each migration has a version, a name and its statements in each dialect; a database records the
versions it has in ``schema_migrations`` (one row per version, so a second application would
fail on the primary key rather than happen twice). The backends apply the missing ones at
``open()`` inside one transaction that also holds a lock (PostgreSQL: an advisory lock; SQLite:
``BEGIN IMMEDIATE``), so replicas starting together migrate once and the others wait and find
nothing to do.

Rules for new migrations: append, never edit an applied one; keep them additive (new tables,
new nullable columns) so that replicas still running the previous version keep working during a
rolling deploy. Times are epoch seconds from the store's clock in both dialects, so TTLs follow
one clock and tests can move it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


SQLITE_LEDGER = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
)
POSTGRES_LEDGER = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "settings, film lists, cache, group sessions",
        sqlite=(
            "CREATE TABLE settings ("
            " owner INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
            " updated_at REAL NOT NULL, PRIMARY KEY (owner, name)) WITHOUT ROWID",
            "CREATE TABLE list_items ("
            " owner INTEGER NOT NULL, kind TEXT NOT NULL, movie_id INTEGER NOT NULL,"
            " rating INTEGER CHECK (rating BETWEEN 1 AND 10),"
            " created_at REAL NOT NULL, updated_at REAL NOT NULL,"
            " PRIMARY KEY (owner, kind, movie_id)) WITHOUT ROWID",
            "CREATE INDEX list_items_recent ON list_items (owner, kind, updated_at, movie_id)",
            "CREATE TABLE kv ("
            " namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
            " expires_at REAL, PRIMARY KEY (namespace, key))",
            "CREATE INDEX kv_expiry ON kv (expires_at) WHERE expires_at IS NOT NULL",
            "CREATE TABLE sessions ("
            " chat_id INTEGER NOT NULL, thread_id INTEGER NOT NULL, version INTEGER NOT NULL,"
            " document TEXT NOT NULL, updated_at REAL NOT NULL,"
            " PRIMARY KEY (chat_id, thread_id))",
        ),
        postgres=(
            "CREATE TABLE settings ("
            " owner BIGINT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
            " updated_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (owner, name))",
            "CREATE TABLE list_items ("
            " owner BIGINT NOT NULL, kind TEXT NOT NULL, movie_id INTEGER NOT NULL,"
            " rating SMALLINT CHECK (rating BETWEEN 1 AND 10),"
            " created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL,"
            " PRIMARY KEY (owner, kind, movie_id))",
            "CREATE INDEX list_items_recent ON list_items (owner, kind, updated_at, movie_id)",
            "CREATE TABLE kv ("
            " namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
            " expires_at DOUBLE PRECISION, PRIMARY KEY (namespace, key))",
            "CREATE INDEX kv_expiry ON kv (expires_at) WHERE expires_at IS NOT NULL",
            "CREATE TABLE sessions ("
            " chat_id BIGINT NOT NULL, thread_id BIGINT NOT NULL, version BIGINT NOT NULL,"
            " document TEXT NOT NULL, updated_at DOUBLE PRECISION NOT NULL,"
            " PRIMARY KEY (chat_id, thread_id))",
        ),
    ),
    Migration(
        2,
        "languages saved before the store (SQLite table preferences)",
        # the bot's first settings table, one language per user id; PostgreSQL never had it
        sqlite=(
            "CREATE TABLE IF NOT EXISTS preferences ("
            " user_id INTEGER PRIMARY KEY, language TEXT NOT NULL)",
            "INSERT OR IGNORE INTO settings (owner, name, value, updated_at)"
            " SELECT user_id, 'language', language, :now FROM preferences",
        ),
        postgres=(),
    ),
)

LATEST = MIGRATIONS[-1].version
