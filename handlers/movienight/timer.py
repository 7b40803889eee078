"""The clock of movie nights: closes votes that are due, also after a restart.

Telegram ends a poll by itself when its ``open_period`` (at most 10 minutes) runs out and tells
us with a ``poll`` update (handled in :mod:`handlers.movienight.close`). Longer votes, a poll
update that never came (the bot was down past it, a Bot API that does not send them) and
``/cerrar`` that nobody typed are this loop's job: every few seconds it reads the due times
from the store (one document, so a restarted process or another replica finds them) and closes
what is due. Closing is idempotent (see ``close_night``), so two replicas ticking at once
announce once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

from handlers.movienight import night as nights
from handlers.movienight.close import close_night
from handlers.services import KEY, Services

__all__ = ["TICK_SECONDS", "install", "tick"]

log = logging.getLogger(__name__)
TICK_SECONDS = 5.0
GRACE_SECONDS = 2.0  # let Telegram's own close (a poll update) come first when it can
TASK = "movienight.timer"

Hook = Callable[[Any], Awaitable[None]] | None


async def tick(application: Application, now: float | None = None) -> int:  # type: ignore[type-arg]
    """Close every night whose vote is due; return how many were closed."""
    s: Services = application.bot_data[KEY]
    now = time.time() if now is None else now
    closed = 0
    for chat_id, thread_id in await nights.due_nights(s.store, now - GRACE_SECONDS):
        try:
            if await close_night(application.bot, s, chat_id, thread_id):
                closed += 1
            else:  # closed elsewhere already: only the due entry was left
                await nights.change_due(s.store, f"{chat_id}:{thread_id}", None)
        except Exception:
            log.exception(
                "movie night %s/%s: closing failed; retrying next tick", chat_id, thread_id
            )
    return closed


async def _loop(application: Application) -> None:  # type: ignore[type-arg]
    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            await tick(application)
        except Exception as error:  # the store is down: the due times wait there
            log.warning("movie night timer: %s", type(error).__name__)


def install(application: Application) -> None:  # type: ignore[type-arg]
    """Run the timer between the application's post_init and post_shutdown (chained to
    whatever hooks the builder set, which still run first)."""
    before_init: Hook = application.post_init
    before_shutdown: Hook = application.post_shutdown

    async def start(app: Application) -> None:  # type: ignore[type-arg]
        if before_init is not None:
            await before_init(app)
        app.bot_data[TASK] = asyncio.get_running_loop().create_task(_loop(app))

    async def stop(app: Application) -> None:  # type: ignore[type-arg]
        task = app.bot_data.pop(TASK, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if before_shutdown is not None:
            await before_shutdown(app)

    application.post_init = start
    application.post_shutdown = stop
