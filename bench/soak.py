"""``python -m bench.soak``: does memory come back after many users have come and gone?

300,000 updates through the real Application (update queue, per-chat processor, flood guard,
handlers, state store in memory, an offline Bot API): first 200,000 from 50,000 users, then
100,000 from 100,000 new ones, in a mix of commands, commands that ask for their argument,
private text, group commands, button presses and inline queries, plus 20 users who flood.
RSS (psutil, after ``gc.collect()``) is sampled at the start (after a warm-up), every 50,000
updates, and after a pause; the verdict is whether RSS after the pause is within 30 MiB of the
start. Not part of ``make test`` (about 9 minutes on a 2-core machine); ``--quick`` runs a
1/100 version in seconds.

**Time.** Every component with an injectable clock (the flood guard, the preferences cache,
the lists and photo memories, the open prompts, the state store) reads the real clock plus a
skew; the pause adds two hours to the skew (longer than every TTL in the bot: flood window and
cool-down, the caches, open prompts) and then a few updates from new users let whatever
sweeps lazily run. So "after a pause" means "after every per-user entry has expired",
without waiting for it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from telegram import Update

from handlers.app import build_application, load_services
from handlers.console.offline import ApiLog, OfflineRequest
from handlers.console.updates import callback_update, inline_update, message_update
from handlers.flood import FloodGuard
from handlers.settings import Settings
from movierec.catalog import DEFAULT_DATA

MIB = 1024 * 1024
TARGET_MIB = 30
PAUSE = 2 * 3600.0  # seconds added to every injectable clock by the pause
# one of these per update answered (a callback query is also acknowledged: not counted)
ANSWERS = {
    "sendMessage",
    "sendPhoto",
    "editMessageText",
    "editMessageCaption",
    "editMessageMedia",
    "answerInlineQuery",
}
FLOODERS, FLOOD_BURST = 20, 40  # each sends 40 messages at once: 20 served, 1 notice, 19 dropped
GROUPS = 2_000


@dataclass(frozen=True)
class Plan:
    first_updates: int = 200_000
    first_users: int = 50_000
    second_updates: int = 100_000  # each from a new user
    every: int = 50_000  # RSS sampled every this many updates
    batch: int = 1_000  # updates queued before waiting for them all to be processed
    warmup: int = 2_000


QUICK = Plan(2_000, 500, 1_000, 500, 100, 200)


class Errors(logging.Handler):
    """Counts what the bot logs at ERROR (an apology is an answer, but not a good one)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                self.first += f" ({type(error).__name__}: {error})"


class Skew:
    """Clocks that run ``value`` seconds ahead of the ones they wrap."""

    def __init__(self) -> None:
        self.value = 0.0

    def wrap(self, clock: Callable[[], float]) -> Callable[[], float]:
        return lambda: clock() + self.value


def update_mix(services) -> list[Callable[[int], dict]]:
    codec = services.codec
    catalog = services.engine.catalog
    directors = catalog.directors.names
    director = directors.index("Pedro Almodóvar") if "Pedro Almodóvar" in directors else 0
    film = int(catalog.ids[0])

    def group(text: str) -> Callable[[int], dict]:
        return lambda u: message_update(
            text, user_id=u, chat_id=-1_000_000 - u % GROUPS, chat_type="group"
        )

    return [
        lambda u: message_update("/mes enero", user_id=u),
        lambda u: message_update("/dia viernes", user_id=u, language="en"),
        lambda u: message_update("/score toy story", user_id=u),
        lambda u: message_update("/score", user_id=u),  # asks "which film?": an open prompt
        lambda u: message_update("/votos titanic 1997", user_id=u),
        lambda u: message_update("/actor tom hanks", user_id=u, language="en"),
        lambda u: message_update("/director almodovar", user_id=u),
        lambda u: message_update("/recomendar heat 1995", user_id=u),
        lambda u: message_update("the dark knigth", user_id=u, language="en"),
        group("/score@movierec_bot hamlet"),
        group("/recomendar@movierec_bot"),  # an open prompt in a group
        lambda u: inline_update("matrix", user_id=u),
        lambda u: callback_update(codec.encode("director", director, 1, True), user_id=u),
        lambda u: callback_update(codec.encode("card", film), user_id=u),
        lambda u: callback_update(codec.encode("recommend", film, 1, True), user_id=u),
    ]


def traffic(mix, users: Iterator[int], n: int) -> Iterator[dict]:
    makers = itertools.cycle(mix)
    for _ in range(n):
        yield next(makers)(next(users))


@dataclass
class Sample:
    point: str
    updates: int
    users: int
    rss: float
    flood: str
    quiet: str
    preferences: str
    prompts: str
    stored_prompts: str
    chat_data: int
    user_data: int


def size(thing: Any) -> str:
    try:
        return f"{len(thing):,}"
    except TypeError:
        return "—"


class Soak:
    def __init__(self, data: Path, plan: Plan) -> None:
        self.plan = plan
        self.services = load_services(Settings(data_dir=data, state_db=None))
        self.log = ApiLog()
        settings = Settings(data_dir=data, state_db=None, overall_rate=1e9, group_rate=1e9)
        self.app = build_application(
            settings, self.services, OfflineRequest(self.log), OfflineRequest(self.log)
        )
        self.skew = Skew()
        self.guard = next(
            h.callback for h in self.app.handlers[-1] if isinstance(h.callback, FloodGuard)
        )
        self.guard.clock = self.skew.wrap(self.guard.clock)
        s = self.services
        parts = (
            s.preferences,
            s.prompts,
            s.store,
            s.viewers,
            s.photos,
            s.inline_results,
            s.answers,
        )
        for part in parts:
            if callable(getattr(part, "clock", None)):
                part.clock = self.skew.wrap(part.clock)
        self.mix = update_mix(self.services)
        self.updates = self.users = self.answered = self.expected = 0
        self.samples: list[Sample] = []
        self.rates: list[tuple[str, float]] = []
        self.errors = Errors()

    async def feed(self, updates: Iterator[dict], expected: int | None = None) -> int:
        """Queue ``updates`` in batches, wait for each batch; return how many were fed."""
        fed = 0
        while True:
            batch = list(itertools.islice(updates, self.plan.batch))
            if not batch:
                break
            for data in batch:
                self.app.update_queue.put_nowait(Update.de_json(data, self.app.bot))
            await self.app.update_queue.join()
            self.answered += sum(call.method in ANSWERS for call in self.log.calls)
            self.log.clear()  # the log would otherwise be the biggest thing in memory
            fed += len(batch)
        self.expected += fed if expected is None else expected
        return fed

    async def stored_prompts(self) -> str:
        run = getattr(self.services.store, "_run", None)  # SQLite only, for the table
        if run is None:
            return "—"
        try:
            count = await run(lambda conn: conn.execute("SELECT count(*) FROM kv").fetchone()[0])
        except Exception:  # a diagnostic: another store layout is not an error
            return "—"
        return f"{count:,}"

    async def sample(self, point: str) -> None:
        gc.collect()
        self.samples.append(
            Sample(
                point,
                self.updates,
                self.users,
                psutil.Process().memory_info().rss / MIB,
                size(self.guard),
                f"{self.guard.quiet:,}",
                size(self.services.preferences),
                size(self.services.prompts),
                await self.stored_prompts(),
                len(self.app.chat_data),
                len(self.app.user_data),
            )
        )
        last = self.samples[-1]
        print(f"  {point}: {last.rss:.1f} MiB after {last.updates:,} updates", flush=True)

    async def phase(self, name: str, users: Iterator[int], n: int, distinct: int) -> None:
        """``n`` updates from ``distinct`` users, taken in turn from ``users``."""
        started = time.perf_counter()
        done, before = 0, self.users
        while done < n:
            step = min(self.plan.every - self.updates % self.plan.every, n - done)
            done += await self.feed(traffic(self.mix, users, step))
            self.updates += step
            self.users = before + min(done, distinct)
            if self.updates % self.plan.every == 0:
                await self.sample(f"{self.updates:,} updates")
        self.rates.append((name, n / (time.perf_counter() - started)))

    async def run(self) -> None:
        plan, app = self.plan, self.app
        root = logging.getLogger()
        root.addHandler(self.errors)  # counted, not printed 300,000 times
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)  # opens the state store
        await app.start()  # the update queue and the per-chat processor, no polling
        try:
            warm = itertools.count(90_000_000)
            await self.feed(traffic(self.mix, warm, plan.warmup))
            await self.sample("start (after a warm-up)")
            self.answered = self.expected = 0
            # 20 flooders, each 40 messages at once
            floods = (
                message_update("/mes enero", user_id=10_000 + f)
                for f in range(FLOODERS)
                for _ in range(FLOOD_BURST)
            )
            await self.feed(floods, expected=FLOODERS * 21)
            first = (100_000 + i % plan.first_users for i in itertools.count())
            await self.phase("first", first, plan.first_updates, plan.first_users)
            second = itertools.count(1_000_000)
            await self.phase("second", second, plan.second_updates, plan.second_updates)
            self.skew.value += PAUSE
            await asyncio.sleep(1.0)
            await self.feed(traffic(self.mix, itertools.count(95_000_000), 20))
            await self.sample("after a pause (every TTL passed)")
        finally:
            await app.stop()
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
            root.removeHandler(self.errors)

    @property
    def healthy(self) -> bool:
        return self.errors.count == 0 and self.answered >= self.expected

    def report(self) -> str:
        head = (
            "| point | updates | users | RSS MiB | Δ start | flood table (quiet) | "
            "preferences cache | prompts in memory | prompts in store | chat_data | user_data |"
        )
        lines = [head, "|" + "---|" * 11]
        start = self.samples[0].rss
        for s in self.samples:
            lines.append(
                f"| {s.point} | {s.updates:,} | {s.users:,} | {s.rss:.1f} | {s.rss - start:+.1f} "
                f"| {s.flood} ({s.quiet}) | {s.preferences} | {s.prompts} | {s.stored_prompts} "
                f"| {s.chat_data:,} | {s.user_data:,} |"
            )
        growth = self.samples[-1].rss - start
        met = growth <= TARGET_MIB
        rates = ", ".join(f"{name} phase {rate:,.0f} updates/s" for name, rate in self.rates)
        errors = f"{self.errors.count:,} errors logged"
        if self.errors.first:
            errors += f", the first: {self.errors.first}"
        lines += [
            "",
            f"Answered {self.answered:,} of {self.expected:,} expected "
            f"(flooders: 20 served + 1 notice each); {errors}. {rates}.",
            "",
            f"Verdict: RSS after the run is {growth:+.1f} MiB from the start; target within "
            f"{TARGET_MIB} MiB: {'met' if met else 'NOT met'}."
            + ("" if self.healthy else " The run had failures: these figures do not count."),
        ]
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="catalog folder")
    parser.add_argument("--quick", action="store_true", help="a 1/100 smoke run")
    args = parser.parse_args(argv)
    soak = Soak(args.data, QUICK if args.quick else Plan())
    print(f"soak: {'quick' if args.quick else 'full'} run", flush=True)
    asyncio.run(soak.run())
    print()
    print(soak.report())
    return 0 if soak.healthy else 1  # memory figures of a failing bot are not figures


if __name__ == "__main__":
    raise SystemExit(main())
