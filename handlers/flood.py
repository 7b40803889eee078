"""Per-user flood control: one polite "slow down", then silence until the cool-down ends.

Runs before every other handler (group -1). Other users are never affected: each user has
their own window. Inline queries are left to Telegram (they come per keystroke and are cached).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers import dialog, texts
from handlers.services import services


@dataclass
class _Window:
    times: deque[float] = field(default_factory=deque)
    quiet_until: float = 0.0


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
        self._users: dict[int, _Window] = {}

    def check(self, user_id: int) -> str:
        """ "ok" to serve, "warn" to say slow down once, "drop" to ignore quietly."""
        now = self.clock()
        state = self._users.get(user_id)
        if state is None:
            if len(self._users) >= self.max_users:  # bounded memory under a botnet
                self._users.pop(next(iter(self._users)))
            state = self._users[user_id] = _Window()
        if now < state.quiet_until:
            return "drop"
        while state.times and state.times[0] <= now - self.window:
            state.times.popleft()
        state.times.append(now)
        if len(state.times) > self.limit:
            state.quiet_until = now + self.cooldown
            state.times.clear()
            return "warn"
        return "ok"

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        owner = dialog.owner_id(update)
        if owner is None or update.inline_query is not None:
            return
        verdict = self.check(owner)
        if verdict == "ok":
            return
        if verdict == "warn":
            lang = dialog.language(update, services(context))
            notice = texts.count(lang, "slow_down", math.ceil(self.cooldown))
            if update.callback_query is not None:
                await update.callback_query.answer(notice)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(notice)
        raise ApplicationHandlerStop
