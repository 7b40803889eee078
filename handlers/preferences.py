"""Per-user settings (the language) in SQLite, so they survive restarts.

WAL mode and one short transaction per write: a crash right after ``/lang`` keeps it. A
corrupt or unwritable database never stops the bot: it falls back to memory and logs why.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class Preferences:
    def __init__(self, path: Path | None) -> None:
        self._memory: dict[int, str | None] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.problem: str | None = None
        if path is not None:
            self._open(path)

    def _open(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS preferences "
                "(user_id INTEGER PRIMARY KEY, language TEXT NOT NULL)"
            )
            db.execute("SELECT count(*) FROM preferences").fetchone()
        except (sqlite3.Error, OSError) as exc:
            self.problem = f"{path}: {exc}"
            log.warning("preferences database unusable, keeping settings in memory: %s", exc)
            return
        self._db = db

    def language(self, user_id: int) -> str | None:
        if user_id in self._memory:
            return self._memory[user_id]
        if self._db is None:
            return None
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT language FROM preferences WHERE user_id = ?", (user_id,)
                ).fetchone()
        except sqlite3.Error as exc:
            log.warning("could not read preferences: %s", exc)
            return None
        # remember misses too: most users never set a language, and this runs on every update
        self._memory[user_id] = row[0] if row else None
        return self._memory[user_id]

    def set_language(self, user_id: int, language: str) -> None:
        self._memory[user_id] = language
        if self._db is None:
            return
        try:
            with self._lock:
                self._db.execute(
                    "INSERT INTO preferences (user_id, language) VALUES (?, ?) "
                    "ON CONFLICT(user_id) DO UPDATE SET language = excluded.language",
                    (user_id, language),
                )
        except sqlite3.Error as exc:
            log.warning("could not save preferences (kept in memory): %s", exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
