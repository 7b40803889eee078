"""The SQL both backends share: settings, the key-value cache, lists and sessions.

Statements are written once, with ``?`` placeholders; each backend runs them through its own
``_one``/``_all``/``_exec`` (PostgreSQL turns ``?`` into ``%s``). What differs between the two
(connections, transactions, migrations, ``forget``) stays in each backend.
"""

from __future__ import annotations

import abc
from typing import Any

from handlers.store.base import (
    ITEM_COLUMNS,
    SESSION_COLUMNS,
    ListItem,
    Session,
    Store,
    VersionConflict,
    item_from_row,
    session_from_row,
)

__all__ = ["SqlStore"]


class SqlStore(Store):
    @abc.abstractmethod
    async def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None: ...

    @abc.abstractmethod
    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]: ...

    @abc.abstractmethod
    async def _exec(self, sql: str, params: tuple[Any, ...]) -> int:
        """Run a statement; how many rows it changed."""

    @abc.abstractmethod
    async def _exec_many(self, batches: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
        """Run each statement over its rows, all in one transaction."""

    async def _get_setting(self, owner: int, name: str) -> str | None:
        row = await self._one(
            "SELECT value FROM settings WHERE owner = ? AND name = ?", (owner, name)
        )
        return None if row is None else str(row[0])

    async def _set_setting(self, owner: int, name: str, value: str, now: float) -> None:
        await self._exec(
            "INSERT INTO settings (owner, name, value, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (owner, name) DO UPDATE "
            "SET value = excluded.value, updated_at = excluded.updated_at",
            (owner, name, value, now),
        )

    async def _delete_setting(self, owner: int, name: str) -> None:
        await self._exec("DELETE FROM settings WHERE owner = ? AND name = ?", (owner, name))

    async def _kv_get(self, namespace: str, key: str, now: float) -> str | None:
        row = await self._one(
            "SELECT value FROM kv WHERE namespace = ? AND key = ? "
            "AND (expires_at IS NULL OR expires_at > ?)",
            (namespace, key, now),
        )
        return None if row is None else str(row[0])

    async def _kv_set(self, namespace: str, key: str, value: str, expires_at: float | None) -> None:
        await self._exec(
            "INSERT INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (namespace, key) DO UPDATE "
            "SET value = excluded.value, expires_at = excluded.expires_at",
            (namespace, key, value, expires_at),
        )

    async def _kv_delete(self, namespace: str, key: str) -> None:
        await self._exec("DELETE FROM kv WHERE namespace = ? AND key = ?", (namespace, key))

    async def _purge_expired(self, now: float) -> int:
        return await self._exec("DELETE FROM kv WHERE expires_at <= ?", (now,))

    async def _list_set(
        self, owner: int, movie_id: int, kind: str, rating: int | None, now: float
    ) -> ListItem:
        row = await self._one(
            "INSERT INTO list_items (owner, movie_id, kind, rating, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, kind, movie_id) DO UPDATE "
            "SET rating = excluded.rating, updated_at = excluded.updated_at "
            f"RETURNING {ITEM_COLUMNS}",
            (owner, movie_id, kind, rating, now, now),
        )
        assert row is not None
        return item_from_row(row)

    async def _list_write_many(
        self,
        sets: list[tuple[int, int, str, int | None, float]],
        removes: list[tuple[int, int, str]],
    ) -> None:
        upsert = (
            "INSERT INTO list_items (owner, movie_id, kind, rating, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, kind, movie_id) DO UPDATE "
            "SET rating = excluded.rating, updated_at = excluded.updated_at"
        )
        delete = "DELETE FROM list_items WHERE owner = ? AND movie_id = ? AND kind = ?"
        await self._exec_many(
            [(upsert, [(*row, row[-1]) for row in sets]), (delete, list(removes))]
        )

    async def _list_get(self, owner: int, movie_id: int, kind: str) -> ListItem | None:
        row = await self._one(
            f"SELECT {ITEM_COLUMNS} FROM list_items WHERE owner = ? AND kind = ? AND movie_id = ?",
            (owner, kind, movie_id),
        )
        return None if row is None else item_from_row(row)

    async def _list_remove(self, owner: int, movie_id: int, kind: str) -> bool:
        return (
            await self._exec(
                "DELETE FROM list_items WHERE owner = ? AND kind = ? AND movie_id = ?",
                (owner, kind, movie_id),
            )
            > 0
        )

    async def _list_items(self, owner: int, kind: str, limit: int, offset: int) -> list[ListItem]:
        rows = await self._all(
            f"SELECT {ITEM_COLUMNS} FROM list_items WHERE owner = ? AND kind = ? "
            "ORDER BY updated_at DESC, movie_id DESC LIMIT ? OFFSET ?",
            (owner, kind, limit, offset),
        )
        return [item_from_row(row) for row in rows]

    async def _list_count(self, owner: int, kind: str) -> int:
        row = await self._one(
            "SELECT count(*) FROM list_items WHERE owner = ? AND kind = ?", (owner, kind)
        )
        return 0 if row is None else int(row[0])

    async def _session_get(self, chat_id: int, thread_id: int) -> Session | None:
        row = await self._one(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        )
        return None if row is None else session_from_row(row)

    async def _session_put(
        self, chat_id: int, thread_id: int, document: str, expected: int, now: float
    ) -> Session:
        if expected == 0:
            sql = (
                "INSERT INTO sessions (chat_id, thread_id, version, document, updated_at) "
                f"VALUES (?, ?, 1, ?, ?) ON CONFLICT DO NOTHING RETURNING {SESSION_COLUMNS}"
            )
            params: tuple[Any, ...] = (chat_id, thread_id, document, now)
        else:
            sql = (
                "UPDATE sessions SET version = version + 1, document = ?, updated_at = ? "
                f"WHERE chat_id = ? AND thread_id = ? AND version = ? RETURNING {SESSION_COLUMNS}"
            )
            params = (document, now, chat_id, thread_id, expected)
        row = await self._one(sql, params)
        if row is not None:
            return session_from_row(row)
        current = await self._session_get(chat_id, thread_id)
        raise VersionConflict(
            chat_id, thread_id, expected, None if current is None else current.version
        )

    async def _session_delete(self, chat_id: int, thread_id: int) -> None:
        await self._exec(
            "DELETE FROM sessions WHERE chat_id = ? AND thread_id = ?", (chat_id, thread_id)
        )
