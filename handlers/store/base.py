"""The state store's interface, rows and errors, shared by the SQLite and PostgreSQL backends.

Everything a chat owns lives here: settings (the language today), film lists with ratings,
group movie-night sessions (a JSON document per chat and topic, optimistically versioned) and a
key-value cache with expiry (photo file ids, bad-URL marks, TMDB responses). An *owner* is a
Telegram user id or a chat id (negative for groups), so one int keys both.

Every public method validates its arguments the same way for both backends (``ValueError`` for
a bad argument, before any database work) and then calls the backend. Database trouble is a
``StoreUnavailable``: the caller apologises and keeps the store, which reconnects by itself.
"""

from __future__ import annotations

import abc
import json
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import unquote, urlsplit, urlunsplit

log = logging.getLogger("movierec.store")

Clock = Callable[[], float]
"""Seconds since the epoch; injected so tests can move time (TTL expiry)."""

LANGUAGE = "language"
INT64 = 2**63
MAX_TEXT = 4096  # a setting's value
MAX_KEY_BYTES = 1024  # a cache key (a photo URL); PostgreSQL indexes at most ~2.7 kB per entry
MAX_VALUE = 10_000_000  # a cached value or a session document, in characters
MAX_PAGE = 1000
NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")  # setting names and list kinds
NAMESPACE = re.compile(r"[a-z][a-z0-9_.-]{0,63}")
REDACTED = "***"


# rows per transaction of list_write_many: well inside one statement's time limit
BATCH_ROWS = 500


class StoreError(Exception):
    """Base of the store's errors. ``str()`` is one line, safe to print: never a password."""


class StoreUnavailable(StoreError):
    """The database cannot be used now: unreachable, stopped, unreadable, or locked too long.

    Raised by ``open()`` and by any call. A read changed nothing; a write whose connection broke
    during the commit may or may not have been committed. The store recovers by itself (the
    pool reconnects, SQLite reopens): keep it, apologise to the user, and carry on.
    """


class StoreLocked(StoreUnavailable):
    """SQLite only: another process held the database lock for longer than ``lock_timeout``."""


class VersionConflict(StoreError):
    """``session_put`` lost a race: the stored version is not the one the caller read."""

    def __init__(self, chat_id: int, thread_id: int, expected: int, actual: int | None) -> None:
        self.chat_id, self.thread_id = chat_id, thread_id
        self.expected, self.actual = expected, actual
        found = "no session" if actual is None else f"version {actual}"
        super().__init__(
            f"session {chat_id}/{thread_id}: expected version {expected}, found {found}"
        )


@dataclass(frozen=True, slots=True)
class ListItem:
    """A film on one of an owner's lists (``kind``: "watchlist", "seen", ...)."""

    owner: int
    movie_id: int
    kind: str
    rating: int | None  # 1-10, or None when the list has no rating
    created_at: float  # epoch seconds: first added
    updated_at: float  # epoch seconds: last added or re-rated


@dataclass(frozen=True, slots=True)
class ListWrite:
    """One change of a batch (:meth:`Store.list_write_many`): set the film on ``kind`` with
    ``rating``, or take it off when ``remove``."""

    movie_id: int
    kind: str
    rating: int | None = None
    remove: bool = False


@dataclass(frozen=True, slots=True)
class Session:
    """A group's movie-night state: one JSON document per chat and topic (``thread_id`` 0 when
    the chat has no topics). ``version`` starts at 1 and grows by one per successful put."""

    chat_id: int
    thread_id: int
    version: int
    document: str
    updated_at: float


class Store(abc.ABC):
    """The state store. Use as ``async with store:`` or ``await store.open()`` ... ``close()``.

    ``open()`` applies the schema migrations and raises ``StoreUnavailable`` (one line) when the
    database cannot be used. The store stays usable after that: every later call tries again
    (at most once per ``reopen_interval``) and raises ``StoreUnavailable`` until it works.
    ``close()`` is always safe, also after a failed ``open()``.
    """

    backend: ClassVar[str]

    # -- lifecycle ------------------------------------------------------------------------

    @abc.abstractmethod
    async def open(self) -> None: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def ping(self) -> None:
        """Return when the database answers; raise ``StoreUnavailable`` otherwise."""

    @abc.abstractmethod
    async def schema_versions(self) -> list[int]:
        """The migrations applied to this database, in order (one row each, never twice)."""

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.close()

    # -- settings ---------------------------------------------------------------------------

    async def get_setting(self, owner: int, name: str) -> str | None:
        return await self._get_setting(_owner(owner), _name(name, "name"))

    async def set_setting(self, owner: int, name: str, value: str | None) -> None:
        """Store ``value`` (``None`` removes the setting)."""
        owner, name = _owner(owner), _name(name, "name")
        if value is None:
            await self._delete_setting(owner, name)
        else:
            await self._set_setting(owner, name, _text(value, "value", MAX_TEXT), self._now())

    async def get_language(self, owner: int) -> str | None:
        return await self.get_setting(owner, LANGUAGE)

    async def set_language(self, owner: int, language: str | None) -> None:
        await self.set_setting(owner, LANGUAGE, language)

    async def forget(self, owner: int) -> None:
        """Delete everything the owner has: settings, lists, and sessions of that chat.

        The key-value cache is not owner data (photo ids, API responses) and stays: never put
        anything personal there."""
        await self._forget(_owner(owner))

    # -- key-value cache with expiry ---------------------------------------------------------

    async def kv_get(self, namespace: str, key: str) -> str | None:
        """The value, or ``None`` when missing or expired."""
        return await self._kv_get(_namespace(namespace), _key(key), self._now())

    async def kv_set(
        self, namespace: str, key: str, value: str, ttl_seconds: float | None = None
    ) -> None:
        """Store ``value``; with ``ttl_seconds`` it expires that many seconds from now."""
        if ttl_seconds is not None:
            if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, int | float):
                raise TypeError("ttl_seconds: expected a number of seconds or None")
            if not (math.isfinite(ttl_seconds) and ttl_seconds > 0):
                raise ValueError("ttl_seconds: expected a positive, finite number of seconds")
        now = self._now()
        expires = None if ttl_seconds is None else now + float(ttl_seconds)
        await self._kv_set(
            _namespace(namespace), _key(key), _text(value, "value", MAX_VALUE), expires
        )

    async def kv_delete(self, namespace: str, key: str) -> None:
        await self._kv_delete(_namespace(namespace), _key(key))

    async def purge_expired(self) -> int:
        """Delete expired cache entries (reads already ignore them); return how many."""
        return await self._purge_expired(self._now())

    # -- film lists --------------------------------------------------------------------------

    async def list_set(
        self, owner: int, movie_id: int, kind: str, rating: int | None = None
    ) -> ListItem:
        """Add the film to the list, or update its rating; keeps the first ``created_at``."""
        if rating is not None:
            rating = _int(rating, "rating", 1, 10)
        return await self._list_set(
            _owner(owner), _movie(movie_id), _name(kind, "kind"), rating, self._now()
        )

    async def list_get(self, owner: int, movie_id: int, kind: str) -> ListItem | None:
        return await self._list_get(_owner(owner), _movie(movie_id), _name(kind, "kind"))

    async def list_remove(self, owner: int, movie_id: int, kind: str) -> bool:
        """Remove the film from the list; ``False`` when it was not on it."""
        return await self._list_remove(_owner(owner), _movie(movie_id), _name(kind, "kind"))

    async def list_items(
        self, owner: int, kind: str, limit: int = 50, offset: int = 0
    ) -> list[ListItem]:
        """One page of the list, most recently added or rated first."""
        return await self._list_items(
            _owner(owner),
            _name(kind, "kind"),
            _int(limit, "limit", 1, MAX_PAGE),
            _int(offset, "offset", 0, INT64 - 1),
        )

    async def list_count(self, owner: int, kind: str) -> int:
        return await self._list_count(_owner(owner), _name(kind, "kind"))

    async def list_write_many(self, owner: int, writes: Sequence[ListWrite]) -> None:
        """Apply many changes (an import), BATCH_ROWS per transaction: a round trip per batch
        instead of one per film, each batch within the store's usual time limit (a single
        transaction for 5,000 films could outlast it and mark the database down for everyone).
        Rows are all checked before the first batch; a failure leaves the batches before it."""
        owner = _owner(owner)
        now = self._now()
        sets, removes = [], []
        for w in writes:
            movie, kind = _movie(w.movie_id), _name(w.kind, "kind")
            if w.remove:
                removes.append((owner, movie, kind))
            else:
                rating = None if w.rating is None else _int(w.rating, "rating", 1, 10)
                sets.append((owner, movie, kind, rating, now))
        for start in range(0, max(len(sets), len(removes)), BATCH_ROWS):
            end = start + BATCH_ROWS
            await self._list_write_many(sets[start:end], removes[start:end])

    # -- group sessions ----------------------------------------------------------------------

    async def session_get(self, chat_id: int, thread_id: int = 0) -> Session | None:
        return await self._session_get(_owner(chat_id), _thread(thread_id))

    async def session_put(
        self, chat_id: int, thread_id: int, document: str, expected_version: int
    ) -> Session:
        """Write the session if its stored version is still ``expected_version`` (0: there must
        be none yet) and return it with the next version; else raise ``VersionConflict``:
        read it again, reapply the change and retry."""
        text = _text(document, "document", MAX_VALUE)
        try:
            json.loads(text)
        except ValueError:
            raise ValueError("document: expected a JSON text") from None
        return await self._session_put(
            _owner(chat_id),
            _thread(thread_id),
            text,
            _int(expected_version, "expected_version", 0, INT64 - 1),
            self._now(),
        )

    async def session_delete(self, chat_id: int, thread_id: int = 0) -> None:
        await self._session_delete(_owner(chat_id), _thread(thread_id))

    # -- what a backend implements: arguments arrive validated ---------------------------------

    clock: Clock  # set by each backend's constructor

    def _now(self) -> float:
        return float(self.clock())

    @abc.abstractmethod
    async def _get_setting(self, owner: int, name: str) -> str | None: ...

    @abc.abstractmethod
    async def _set_setting(self, owner: int, name: str, value: str, now: float) -> None: ...

    @abc.abstractmethod
    async def _delete_setting(self, owner: int, name: str) -> None: ...

    @abc.abstractmethod
    async def _forget(self, owner: int) -> None: ...

    @abc.abstractmethod
    async def _kv_get(self, namespace: str, key: str, now: float) -> str | None: ...

    @abc.abstractmethod
    async def _kv_set(
        self, namespace: str, key: str, value: str, expires_at: float | None
    ) -> None: ...

    @abc.abstractmethod
    async def _kv_delete(self, namespace: str, key: str) -> None: ...

    @abc.abstractmethod
    async def _purge_expired(self, now: float) -> int: ...

    @abc.abstractmethod
    async def _list_set(
        self, owner: int, movie_id: int, kind: str, rating: int | None, now: float
    ) -> ListItem: ...

    @abc.abstractmethod
    async def _list_get(self, owner: int, movie_id: int, kind: str) -> ListItem | None: ...

    @abc.abstractmethod
    async def _list_remove(self, owner: int, movie_id: int, kind: str) -> bool: ...

    @abc.abstractmethod
    async def _list_items(
        self, owner: int, kind: str, limit: int, offset: int
    ) -> list[ListItem]: ...

    @abc.abstractmethod
    async def _list_count(self, owner: int, kind: str) -> int: ...

    @abc.abstractmethod
    async def _list_write_many(
        self,
        sets: list[tuple[int, int, str, int | None, float]],
        removes: list[tuple[int, int, str]],
    ) -> None:
        """``sets``: (owner, movie, kind, rating, now); ``removes``: (owner, movie, kind)."""

    @abc.abstractmethod
    async def _session_get(self, chat_id: int, thread_id: int) -> Session | None: ...

    @abc.abstractmethod
    async def _session_put(
        self, chat_id: int, thread_id: int, document: str, expected: int, now: float
    ) -> Session: ...

    @abc.abstractmethod
    async def _session_delete(self, chat_id: int, thread_id: int) -> None: ...


def item_from_row(row: tuple[Any, ...]) -> ListItem:
    """(owner, movie_id, kind, rating, created_at, updated_at) as both backends select it."""
    owner, movie_id, kind, rating, created, updated = row
    rating = None if rating is None else int(rating)
    return ListItem(int(owner), int(movie_id), str(kind), rating, float(created), float(updated))


def session_from_row(row: tuple[Any, ...]) -> Session:
    """(chat_id, thread_id, version, document, updated_at) as both backends select it."""
    chat_id, thread_id, version, document, updated = row
    return Session(int(chat_id), int(thread_id), int(version), str(document), float(updated))


ITEM_COLUMNS = "owner, movie_id, kind, rating, created_at, updated_at"
SESSION_COLUMNS = "chat_id, thread_id, version, document, updated_at"


# -- argument checks: the same for both backends ------------------------------------------------


def _int(value: int, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}: expected an int, got {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{what}: expected {low}..{high}, got {value}")
    return value


def _owner(value: int) -> int:
    return _int(value, "owner", -INT64, INT64 - 1)


def _thread(value: int) -> int:
    return _int(value, "thread_id", 0, INT64 - 1)


def _movie(value: int) -> int:
    return _int(value, "movie_id", 1, 2**31 - 1)


def _text(value: str, what: str, limit: int) -> str:
    """Text both databases store unchanged: PostgreSQL refuses NUL, UTF-8 refuses surrogates."""
    if not isinstance(value, str):
        raise TypeError(f"{what}: expected a str, got {type(value).__name__}")
    if len(value) > limit:
        raise ValueError(f"{what}: longer than {limit} characters")
    if "\x00" in value:
        raise ValueError(f"{what}: contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what}: not valid Unicode (a lone surrogate)") from None
    return value


def _name(value: str, what: str) -> str:
    if not isinstance(value, str) or not NAME.fullmatch(value):
        raise ValueError(f"{what}: expected a-z, 0-9 and _, starting with a letter (max 32)")
    return value


def _namespace(value: str) -> str:
    if not isinstance(value, str) or not NAMESPACE.fullmatch(value):
        raise ValueError("namespace: expected a-z, 0-9, _, . and -, starting with a letter")
    return value


def _key(value: str) -> str:
    _text(value, "key", MAX_KEY_BYTES)
    if not value or len(value.encode("utf-8")) > MAX_KEY_BYTES:
        raise ValueError(f"key: expected 1 to {MAX_KEY_BYTES} bytes of UTF-8")
    return value


# -- messages: one line, never a password --------------------------------------------------------

_PASSWORD_PARAM = re.compile(r"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]+)")


def redact_url(url: str) -> str:
    """The URL (or libpq ``key=value`` string) with its password replaced by ``***``."""
    text = _PASSWORD_PARAM.sub(lambda m: m.group(1) + REDACTED, url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if parts.password is None:
        return text
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{name}:{REDACTED}@{host}"))


def url_secrets(url: str | None) -> list[str]:
    """The password in a database URL, for the log formatter's list of secrets."""
    if not url:
        return []
    found = [m.group(2).strip("'") for m in _PASSWORD_PARAM.finditer(url)]
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        found += [password, unquote(password)]
    return sorted({s for s in found if s}, key=len, reverse=True)


def one_line(error: BaseException | str, secrets: Iterable[str] = ()) -> str:
    """An error as one line, with every secret replaced."""
    text = " ".join(str(error).split()) or type(error).__name__
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class Health:
    """Logs a backend going down (a WARNING once, then at most once per ``interval``) and
    coming back (INFO), so callers need not log each ``StoreUnavailable`` they catch."""

    def __init__(self, what: str, interval: float = 60.0) -> None:
        self.what = what
        self.interval = interval
        self.problem: str | None = None
        self._logged_at = -math.inf

    def down(self, problem: str) -> None:
        now = time.monotonic()
        if self.problem is None or now - self._logged_at >= self.interval:
            log.warning("%s unavailable: %s", self.what, problem)
            self._logged_at = now
        self.problem = problem

    def up(self) -> None:
        if self.problem is not None:
            log.info("%s available again", self.what)
            self.problem = None
