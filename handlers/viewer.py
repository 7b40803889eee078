"""Whose films these are: one person's seen and watch-later lists, and the card's state row.

Renderers are synchronous; the lists live in the async store. So the async step that knows
the person (a command, a text, a press) loads their lists once into a frozen :class:`Viewer`
and puts it in a context variable for the rest of that update; a renderer reads
:func:`current` (nobody's lists when none was loaded: every button shows "off", nothing is
left out). asyncio tasks and ``asyncio.to_thread`` copy the context, so concurrent updates
never see each other's viewer.

Store rows (the movie-night feature reads the same names): kind ``"seen"`` with a rating 1-5
or None (4-5 liked, 1-2 disliked), kind ``"later"`` for watch later.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from contextvars import ContextVar
from dataclasses import dataclass, field

from handlers.buttons import ButtonCodec, Press
from handlers.memo import Memo
from handlers.reply import Button
from handlers.store import Store
from handlers.store.base import ListItem, StoreError
from handlers.texts import raw

__all__ = [
    "CACHE_ENTRIES",
    "CACHE_TTL",
    "DISLIKE",
    "EMPTY",
    "LATER",
    "LATER_KIND",
    "LIKE",
    "OPS",
    "RATE",
    "SEEN",
    "SEEN_KIND",
    "SET_LATER",
    "SET_SEEN",
    "SHOWS_LISTS",
    "Viewer",
    "apply",
    "current",
    "enter",
    "items",
    "label",
    "load",
    "lock",
    "relabel",
    "start_update",
    "state_row",
    "use",
]

log = logging.getLogger(__name__)
SEEN_KIND, LATER_KIND = "seen", "later"
LIKED, DISLIKED = 4, 2  # ratings from 4 up are liked, from 2 down disliked
PAGE_ROWS = 1000  # the store's largest page
CACHE_TTL = 10.0  # seconds another replica's list write may take to show on cards here
CACHE_ENTRIES = 20_000
MAX_ITEMS = 20_000  # a profile larger than this is read no further (imports are capped lower)

# What a "mark" button does, carried in its page number. Toggles undo when pressed again.
SEEN, LIKE, DISLIKE, LATER = 0, 1, 2, 3  # card toggles
RATE = 10  # 11-15: rate n/5 (pressing the current rating again leaves it unrated)
SET_SEEN = 20  # 20: seen, 21-25: seen and rated n/5 (choices of /vista: set, never toggle)
SET_LATER = 30  # choices of /pendiente
OPS = frozenset(
    {SEEN, LIKE, DISLIKE, LATER, SET_LATER}
    | set(range(RATE + 1, RATE + 6))
    | set(range(SET_SEEN, SET_SEEN + 6))
)


@dataclass(frozen=True)
class Viewer:
    """One person's lists as the renderers need them. ``ratings``: seen film → rating."""

    ratings: dict[int, int | None] = field(default_factory=dict)
    later: frozenset[int] = frozenset()

    def seen(self, movie_id: int) -> bool:
        return movie_id in self.ratings

    def on(self, movie_id: int, op: int) -> bool:
        """Whether the button ``op`` for this film shows as pressed."""
        rating = self.ratings.get(movie_id)
        if op == SEEN:
            return self.seen(movie_id)
        if op == LIKE:
            return rating is not None and rating >= LIKED
        if op == DISLIKE:
            return rating is not None and rating <= DISLIKED
        if op == LATER:
            return movie_id in self.later
        if RATE < op <= RATE + 5:
            return rating == op - RATE
        return False


EMPTY = Viewer()
_current: ContextVar[Viewer] = ContextVar("viewer", default=EMPTY)


def current() -> Viewer:
    return _current.get()


def use(viewer: Viewer) -> None:
    """The viewer for the rest of this update (this task and the threads it starts)."""
    _current.set(viewer)


async def start_update(_update: object, _context: object) -> None:
    """Nobody's lists, until this update loads its asker's (handlers/__init__.py runs it
    before anything else). The per-chat processor gives each update a task of its own, but
    updates processed one after another in one task (tests, the console chat) would otherwise
    carry one person's lists into the next update, and into answers remembered for everyone."""
    _current.set(EMPTY)


async def load(store: Store, owner: int) -> Viewer:
    ratings: dict[int, int | None] = {}
    for item in await items(store, owner, SEEN_KIND):
        ratings[item.movie_id] = item.rating
    later = frozenset(i.movie_id for i in await items(store, owner, LATER_KIND))
    return Viewer(ratings, later)


async def items(store: Store, owner: int, kind: str) -> list[ListItem]:
    """The whole list, newest first (pages of the store's largest size)."""
    out: list[ListItem] = []
    while len(out) < MAX_ITEMS:
        page = await store.list_items(owner, kind, PAGE_ROWS, len(out))
        out += page
        if len(page) < PAGE_ROWS:
            break
    return out


# Presses on one person's lists are read-modify-write: two at once (a double tap, two cards)
# must not both read "off" and both write "on". One lock per owner, dropped when unused.
_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()


def lock(owner: int) -> asyncio.Lock:
    found = _locks.get(owner)
    if found is None:
        found = _locks[owner] = asyncio.Lock()
    return found


async def apply(
    store: Store, owner: int, movie_id: int, op: int, memo: Memo[int, Viewer] | None = None
) -> Viewer:
    """Do what the button ``op`` says to this film; return the lists afterwards (and remember
    them in ``memo``, the cards' short-lived copy).

    Marking a film seen (any way) takes it off watch later: it has been watched. 👍 rates it
    5/5 and 👎 1/5; pressed again, each leaves the film seen but unrated."""
    if memo is not None:
        memo.forget(owner)  # from now on the copy is old, also if a write below fails
    async with lock(owner):
        seen = await store.list_get(owner, movie_id, SEEN_KIND)
        later = await store.list_get(owner, movie_id, LATER_KIND)
        rating = seen.rating if seen else None
        target: tuple[bool, int | None]  # (seen, rating) to write
        if op == SEEN:
            target = (seen is None, None)
        elif op == LIKE:
            target = (True, None if rating is not None and rating >= LIKED else 5)
        elif op == DISLIKE:
            target = (True, None if rating is not None and rating <= DISLIKED else 1)
        elif RATE < op <= RATE + 5:
            target = (True, None if rating == op - RATE else op - RATE)
        elif SET_SEEN <= op <= SET_SEEN + 5:
            target = (True, (op - SET_SEEN) or rating)
        elif op in (LATER, SET_LATER):
            if later is not None and op == LATER:
                await store.list_remove(owner, movie_id, LATER_KIND)
            elif later is None:
                await store.list_set(owner, movie_id, LATER_KIND)
            return await _reload(store, owner, memo)
        else:
            raise ValueError(f"unknown list operation {op}")
        wanted_seen, wanted_rating = target
        if not wanted_seen:
            await store.list_remove(owner, movie_id, SEEN_KIND)
        elif seen is None or seen.rating != wanted_rating:
            await store.list_set(owner, movie_id, SEEN_KIND, wanted_rating)
        if wanted_seen and later is not None:
            await store.list_remove(owner, movie_id, LATER_KIND)
        return await _reload(store, owner, memo)


async def _reload(store: Store, owner: int, memo: Memo[int, Viewer] | None) -> Viewer:
    fresh = await load(store, owner)
    if memo is not None:
        memo.put(owner, fresh)
    return fresh


def label(lang: str, op: int, on: bool) -> str:
    """A mark button's label: its symbol, with ✓ when it is on for this person."""
    if RATE < op <= RATE + 5:
        text = "⭐" * (op - RATE)
    else:
        key = {SEEN: "button_seen", LIKE: "button_like", DISLIKE: "button_dislike"}
        text = raw(lang, key.get(op, "button_later"))
    return f"{text} ✓" if on else text


def state_row(codec: ButtonCodec, lang: str, movie_id: int) -> tuple[Button, ...]:
    """✅ 👍 👎 🕒 under a film's card, showing the current viewer's state."""
    viewer = current()
    return tuple(
        Button(label(lang, op, viewer.on(movie_id, op)), data=codec.encode("mark", movie_id, op))
        for op in (SEEN, LIKE, DISLIKE, LATER)
    )


def relabel(codec: ButtonCodec, lang: str, rows: list[list[Button]], viewer: Viewer) -> None:
    """Refresh, in place, the labels of every mark button in ``rows`` for ``viewer``."""
    for row in rows:
        for i, button in enumerate(row):
            press: Press | None = codec.decode(button.data)
            if press is not None and press.action == "mark" and press.page < SET_SEEN:
                on = viewer.on(press.key, press.page)
                row[i] = Button(label(lang, press.page, on), data=button.data)


SHOWS_LISTS = frozenset({"card", "recommend"})  # answers that show or leave out your films


async def enter(
    store: Store, owner: int | None, action: str, memo: Memo[int, Viewer] | None = None
) -> None:
    """Load ``owner``'s lists for this update when ``action`` shows them (None: a group or no
    one, whose cards show nobody's state). A store outage leaves nobody's lists, not an error.

    ``memo`` keeps each person's lists for a few seconds: two reads of the store on every card
    cost more than the card. This process refreshes it on every write it makes (``apply``) or
    forgets it (imports, deletions); another replica's write shows within the memo's TTL."""
    if owner is None or action not in SHOWS_LISTS:
        return
    remembered = memo.get(owner) if memo is not None else None
    if remembered is not None:
        use(remembered[0])
        return
    stamp = memo.stamp() if memo is not None else 0
    try:
        fresh = await load(store, owner)
    except StoreError as error:
        log.debug("lists unavailable (%s)", type(error).__name__)
        return
    if memo is not None:
        memo.fill(owner, fresh, stamp)  # not over a press that wrote meanwhile
    use(fresh)
