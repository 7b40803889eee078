"""Per-user flood control: one polite "slow down", then silence until the cool-down ends.

Runs before every other handler (group -1). Other users are never affected: each owner (a
user, or the chat of a shared sender, see :func:`handlers.dialog.owner_id`) has their own
window. Inline queries are left to Telegram (they come per keystroke and are cached).

**Memory.** Only what can still change a verdict is kept, and it expires by time:

- an owner who is not in a cool-down is remembered by the times of their last updates, at most
  ``limit`` of them and only those younger than ``window`` (a small circular buffer of floats
  that grows with use and is pruned as it is read); an owner idle for ``window`` seconds has
  nothing left and is forgotten;
- an owner in a cool-down is remembered by one number, when it ends, and forgotten then (after
  a cool-down the count starts from zero, so a forgotten owner and a fresh one are the same).

Both tables are ordered by expiry (last update, end of the cool-down), so every check first
pops what has expired from their fronts: amortised O(1), no scan, no timer. ``max_users``
bounds the table only as far as it is safe: past it, the owner idle the longest who is *not*
in a cool-down is forgotten early (at worst they get up to ``limit`` more updates served);
owners in a cool-down are never forgotten early, so the table can exceed ``max_users`` only by
the number of owners silenced in the last ``cooldown`` seconds.
"""

from __future__ import annotations

import math
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable
from enum import StrEnum

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers import dialog, texts
from handlers.services import services


class Verdict(StrEnum):
    OK = "ok"  # serve it
    WARN = "warn"  # over the limit: say "slow down" once, then ignore
    DROP = "drop"  # in a cool-down: ignore quietly


class _Recent:
    """The times of an owner's latest updates, oldest first, within one window.

    A circular buffer: ``times[(start + i) % len(times)]`` for ``i < count``. It starts with
    room for one and doubles up to ``limit``, so most owners (a few updates) cost a few floats.
    """

    __slots__ = ("count", "start", "times")

    def __init__(self) -> None:
        self.times = array("d", bytes(8))  # room for one
        self.start = 0
        self.count = 0

    @property
    def last(self) -> float:
        """The latest time (an owner in the table always has one)."""
        return self.times[(self.start + self.count - 1) % len(self.times)]

    def forget_until(self, horizon: float) -> None:
        """Forget the times at or before ``horizon``."""
        times, size = self.times, len(self.times)
        while self.count and times[self.start] <= horizon:
            self.start = (self.start + 1) % size
            self.count -= 1

    def add(self, now: float, limit: int) -> None:
        size = len(self.times)
        if self.count == size:  # full but under the limit: grow, oldest first again
            ordered = [self.times[(self.start + i) % size] for i in range(self.count)]
            self.times = array("d", ordered + [0.0] * (min(2 * size, limit) - size))
            self.start, size = 0, len(self.times)
        self.times[(self.start + self.count) % size] = now
        self.count += 1


class FloodGuard:
    def __init__(
        self,
        limit: int,
        window: float,
        cooldown: float,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 100_000,
    ) -> None:
        self.limit, self.window, self.cooldown = limit, window, cooldown
        self.clock = clock
        self.max_users = max_users
        # owner → their recent updates, least recently seen first
        self._recent: OrderedDict[int, _Recent] = OrderedDict()
        # owner → when their cool-down ends, soonest first (the cool-down is the same for all)
        self._quiet: OrderedDict[int, float] = OrderedDict()

    def __len__(self) -> int:
        """Owners remembered (those whose next verdict may depend on their past)."""
        return len(self._recent) + len(self._quiet)

    @property
    def quiet(self) -> int:
        """Owners in a cool-down."""
        return len(self._quiet)

    def expire(self, now: float) -> None:
        """Forget every owner whose past can no longer change a verdict at ``now``."""
        quiet = self._quiet
        while quiet:
            owner, until = next(iter(quiet.items()))
            if until > now:
                break
            del quiet[owner]
        recent = self._recent
        horizon = now - self.window
        while recent:
            owner, state = next(iter(recent.items()))
            if state.last > horizon:
                break
            del recent[owner]

    def check(self, owner_id: int) -> Verdict:
        """Count one update from ``owner_id`` and say what to do with it."""
        now = self.clock()
        self.expire(now)
        until = self._quiet.get(owner_id)
        if until is not None:
            if now < until:
                return Verdict.DROP
            del self._quiet[owner_id]  # over (only reached if the clock went backwards)
        state = self._recent.get(owner_id)
        if state is None:
            if len(self) >= self.max_users and self._recent:
                # bounded memory under a botnet: forget the longest-idle owner who is not in
                # a cool-down; never cut a cool-down short
                self._recent.popitem(last=False)
            state = self._recent[owner_id] = _Recent()
        else:
            self._recent.move_to_end(owner_id)
        state.forget_until(now - self.window)
        if state.count >= self.limit:  # this one makes limit + 1 within the window
            del self._recent[owner_id]
            self._quiet[owner_id] = now + self.cooldown
            return Verdict.WARN
        state.add(now, self.limit)
        return Verdict.OK

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        owner = dialog.owner_id(update)
        if owner is None or update.inline_query is not None:
            return
        verdict = self.check(owner)
        if verdict is Verdict.OK:
            return
        if verdict is Verdict.WARN:
            lang = await dialog.language(update, services(context))
            notice = texts.count(lang, "slow_down", math.ceil(self.cooldown))
            if update.callback_query is not None:
                await update.callback_query.answer(notice)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(notice)
        raise ApplicationHandlerStop
