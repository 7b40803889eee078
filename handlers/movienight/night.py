"""A movie night's state: one JSON document per chat and forum topic in the state store.

Nothing lives in memory: a restart, or another replica, picks the night up where it was. Writes
are optimistic (the store's session versions): read, change, write if nobody wrote meanwhile,
else read again and redo the change. Two lookups cannot be keyed by chat and live beside it:

* a ``poll_answer`` update carries only the poll id and the voter, so the poll id → night
  mapping is a cache entry (``kv`` namespace ``poll``) with an expiry;
* the timer must find nights whose vote is due without listing every chat, so the due times
  are one more session document, at chat 0 (never a Telegram chat id).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from telegram import Message

from handlers.store import Store
from handlers.store.base import VersionConflict

__all__ = [
    "DUE_CHAT",
    "POLLS",
    "Night",
    "Nomination",
    "change",
    "change_due",
    "load",
    "poll_night",
    "remember_poll",
    "where",
]

log = logging.getLogger(__name__)
T = TypeVar("T")
Status = Literal["open", "voting", "closed"]
POLLS = "poll"  # kv namespace: poll id → "chat:thread"
POLL_TTL = 7 * 24 * 3600.0  # a poll answered a week later has long been closed
DUE_CHAT = 0  # the session holding every voting night's closing time
RETRIES = 20  # optimistic writes lost in a row before giving up (then the update errs)
BACK_OFF_SECONDS = 0.01  # times the attempt: the most a lost write waits before the next
_LOCKS: dict[tuple[int, int], asyncio.Lock] = {}
_USERS: Counter[tuple[int, int]] = Counter()


@dataclass
class Nomination:
    movie_id: int
    user_id: int
    name: str  # as the member was called when nominating (shown on the board)


@dataclass
class Night:
    chat_id: int
    thread_id: int  # forum topic, 0 when the chat has none
    lang: str  # the opener's language: for what the bot says unprompted (timer, winner)
    per_member: int  # nominations each member may make
    opened_by: int
    opened_at: float = 0.0  # epoch seconds
    status: Status = "open"
    message_id: int | None = None  # the night's message: a reply to it nominates
    boards: list[int] = field(default_factory=list)  # the latest boards: replies nominate too
    nominations: list[Nomination] = field(default_factory=list)
    picks: list[int] = field(default_factory=list)  # compromise picks, in the poll after nominees
    options: list[int] = field(default_factory=list)  # the poll's films, in its order
    poll_id: str | None = None
    poll_message_id: int | None = None
    closes_at: float | None = None  # epoch seconds, while voting
    votes: dict[str, list[int]] = field(default_factory=dict)  # voter id → option indexes
    final: list[int] = field(default_factory=list)  # votes per option when it closed
    winner: int | None = None
    tied: list[int] = field(default_factory=list)  # films that tied for first (random pick)

    @property
    def active(self) -> bool:
        return self.status != "closed"

    def nominated(self, movie_id: int) -> Nomination | None:
        return next((n for n in self.nominations if n.movie_id == movie_id), None)

    def by(self, user_id: int) -> list[Nomination]:
        return [n for n in self.nominations if n.user_id == user_id]

    def tally(self) -> list[int]:
        """Votes per poll option, from the stored answers (a voter who left still counts)."""
        counts = [0] * len(self.options)
        for chosen in self.votes.values():
            for option in chosen:
                if 0 <= option < len(counts):
                    counts[option] += 1
        return counts

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Night:
        data: dict[str, Any] = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        data = {k: v for k, v in data.items() if k in known}  # a newer version's extra fields
        data["nominations"] = [Nomination(**n) for n in data.get("nominations", [])]
        return cls(**data)


def where(message: Message) -> tuple[int, int]:
    """The night a message belongs to: its chat and, in a forum, its topic."""
    thread = message.message_thread_id if message.is_topic_message else None
    return message.chat_id, thread or 0


async def load(store: Store, chat_id: int, thread_id: int) -> Night | None:
    session = await store.session_get(chat_id, thread_id)
    return None if session is None else Night.from_json(session.document)


async def change(
    store: Store,
    chat_id: int,
    thread_id: int,
    apply: Callable[[Night | None], tuple[Night | None, T]],
) -> T:
    """Read the night, ``apply`` the change (it returns the night to write, or None to write
    nothing, and its result), write it if nobody else did meanwhile; else redo it."""
    async with _one_writer((chat_id, thread_id)):
        for attempt in range(RETRIES):
            session = await store.session_get(chat_id, thread_id)
            current = None if session is None else Night.from_json(session.document)
            changed, result = apply(current)
            if changed is None:
                return result
            expected = 0 if session is None else session.version
            try:
                await store.session_put(chat_id, thread_id, changed.to_json(), expected)
            except VersionConflict:
                await _back_off(attempt)
                continue
            return result
    raise RuntimeError(f"movie night {chat_id}/{thread_id}: {RETRIES} write conflicts in a row")


@contextlib.asynccontextmanager
async def _one_writer(key: tuple[int, int]) -> AsyncIterator[None]:
    """One write at a time per night in this process. Thirty votes arriving together (each
    voter's updates run in their own lane) would otherwise race on one version, and the
    unlucky ones could lose every retry; the store's versions still guard against other
    replicas, which the retries (with a random back-off) absorb."""
    lock = _LOCKS.setdefault(key, asyncio.Lock())
    _USERS[key] += 1
    try:
        async with lock:
            yield
    finally:
        _USERS[key] -= 1
        if not _USERS[key]:  # nobody waiting: idle nights cost no memory
            del _USERS[key]
            _LOCKS.pop(key, None)


async def _back_off(attempt: int) -> None:
    await asyncio.sleep(random.uniform(0, BACK_OFF_SECONDS * (attempt + 1)))


async def remember_poll(store: Store, poll_id: str, chat_id: int, thread_id: int) -> None:
    await store.kv_set(POLLS, poll_id[:500], f"{chat_id}:{thread_id}", POLL_TTL)


async def poll_night(store: Store, poll_id: str) -> tuple[int, int] | None:
    """The (chat, thread) a poll of ours belongs to, or None for a poll we do not know."""
    found = await store.kv_get(POLLS, poll_id[:500])
    if not found:
        return None
    chat, _, thread = found.partition(":")
    return int(chat), int(thread)


async def change_due(store: Store, key: str, closes_at: float | None) -> None:
    """Set (or with None, clear) when the night ``"chat:thread"`` closes."""
    async with _one_writer((DUE_CHAT, 0)):
        for attempt in range(RETRIES):
            session = await store.session_get(DUE_CHAT, 0)
            due: dict[str, float] = {} if session is None else json.loads(session.document)
            if closes_at is None:
                if due.pop(key, None) is None:
                    return
            else:
                due[key] = closes_at
            expected = 0 if session is None else session.version
            try:
                await store.session_put(DUE_CHAT, 0, json.dumps(due), expected)
            except VersionConflict:
                await _back_off(attempt)
                continue
            return
    log.warning("movie night timer index: %d write conflicts in a row", RETRIES)


async def due_nights(store: Store, now: float) -> list[tuple[int, int]]:
    session = await store.session_get(DUE_CHAT, 0)
    due: dict[str, float] = {} if session is None else json.loads(session.document)
    found = []
    for key, closes_at in sorted(due.items(), key=lambda item: item[1]):
        if closes_at <= now:
            chat, _, thread = key.partition(":")
            found.append((int(chat), int(thread)))
    return found
