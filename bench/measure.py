"""Timing helpers: both sides alternated over rounds, CPU time per call, medians, start-ups.

The machine is shared (two cores, other tenants): wall time per call includes whatever else ran,
so every call is timed twice, with ``time.thread_time_ns`` (the CPU this thread used: what the
call costs) and ``time.perf_counter_ns`` (what it took). Percentiles and verdicts use CPU time;
wall p50 is shown beside it. Sides take turns, round after round, on the same inputs (the same
sample count each), so a burst of load hits both.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Latency:
    """One side's calls: CPU-time percentiles (ms), wall p50, sample count, failures."""

    p50_ms: float
    p99_ms: float
    wall_p50_ms: float
    n: int
    failed: int = 0
    round_p50s: tuple[float, ...] = ()

    @classmethod
    def of(cls, cpu_ns: Sequence[int], wall_ns: Sequence[int], **extra: Any) -> Latency:
        cpu, wall = np.asarray(cpu_ns) / 1e6, np.asarray(wall_ns) / 1e6
        return cls(
            float(np.percentile(cpu, 50)),
            float(np.percentile(cpu, 99)),
            float(np.percentile(wall, 50)),
            len(cpu),
            **extra,
        )


@dataclass
class _Side:
    call: Callable[[Any], object]
    cpu: list[int] = field(default_factory=list)
    wall: list[int] = field(default_factory=list)
    failed: int = 0
    round_p50s: list[float] = field(default_factory=list)


def _timed(side: _Side, inputs: Sequence[Any], failed: Callable[[object], bool]) -> None:
    cpu_clock, wall_clock = time.thread_time_ns, time.perf_counter_ns
    this_round = []
    for item in inputs:
        wall_start, cpu_start = wall_clock(), cpu_clock()
        try:
            result: object = side.call(item)
        except Exception:  # a failure is an answer too: timed and counted
            result = None
        cpu_end, wall_end = cpu_clock(), wall_clock()
        side.cpu.append(cpu_end - cpu_start)
        side.wall.append(wall_end - wall_start)
        this_round.append(cpu_end - cpu_start)
        side.failed += failed(result)
    side.round_p50s.append(float(np.median(this_round)) / 1e6)


def alternate(
    calls: dict[str, Callable[[Any], object]],
    inputs: Iterable[Any],
    rounds: int = 3,
    warmup: int | None = None,
    failed: Callable[[object], bool] = lambda result: result is None,
) -> dict[str, Latency]:
    """Every side on the same inputs, ``rounds`` times, the order of the sides turning each
    round; a call that raises or returns what ``failed`` says is a failure (still timed).
    Failures are counted in the first round.

    Each side first answers the first ``warmup`` inputs (all of them by default), untimed:
    these rows are the steady state of a running bot, whose memory-mapped pages and caches a
    first answer has touched; what a first call costs has rows of its own (start-up)."""
    items = list(inputs)
    sides = {name: _Side(call) for name, call in calls.items()}
    for side in sides.values():
        for item in items[:warmup]:
            try:
                side.call(item)
            except Exception:
                continue
    names = list(sides)
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            _timed(sides[name], items, failed)
    return {
        name: Latency.of(
            side.cpu,
            side.wall,
            failed=side.failed // rounds,
            round_p50s=tuple(side.round_p50s),
        )
        for name, side in sides.items()
    }


@dataclass(frozen=True)
class Start:
    """Median start-up of several processes: to the first answer, wall and CPU; peak RSS."""

    wall_s: float
    cpu_s: float
    rss_mb: float
    firsts_ms: dict[str, float]  # the first calls after start-up, CPU ms (median)


def _child(which: str, data: Path) -> tuple[float, float, float, dict[str, float]]:
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "bench.coldstart", which, str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    wall = time.perf_counter() - started
    fields = [line.split() for line in child.stdout.splitlines()]
    ready = next(f for f in fields if f and f[0] == "READY")
    firsts = {f[1]: float(f[2]) for f in fields if f and f[0] == "FIRST"}
    return wall, float(ready[2]), int(ready[1]) / 1024, firsts


def cold_starts(sides: Sequence[tuple[str, Path]], runs: int) -> list[Start]:
    """``runs`` processes per side, the sides taking turns; medians per side."""
    results: list[list[tuple[float, float, float, dict[str, float]]]] = [[] for _ in sides]
    for _ in range(runs):
        for i, (which, data) in enumerate(sides):
            results[i].append(_child(which, data))
    starts = []
    for runs_of_side in results:
        names = runs_of_side[0][3].keys()
        starts.append(
            Start(
                statistics.median(r[0] for r in runs_of_side),
                statistics.median(r[1] for r in runs_of_side),
                statistics.median(r[2] for r in runs_of_side),
                {k: statistics.median(r[3][k] for r in runs_of_side) for k in names},
            )
        )
    return starts


def cpu_seconds() -> float:
    """CPU time of this process so far (all threads), for rates per CPU-second."""
    return time.process_time()


def machine_speed(repeat: int = 5) -> float:
    """CPU milliseconds of a fixed workload (pure Python: integers, strings, a dict, a sort),
    median of ``repeat``. The same code on every run, so it says how fast this shared machine
    was running at that moment: CPU time guards against other tenants' pauses, not against a
    slower core, and on this machine the same work has taken 60% more CPU time in one hour
    than in another."""
    rng = np.random.default_rng(7)
    numbers = rng.integers(0, 1_000_000, 50_000).tolist()
    words = [f"word{n}" for n in numbers[:20_000]]

    def work() -> None:
        total = sum(n * n for n in numbers)
        index = {w: i for i, w in enumerate(words)}
        joined = ",".join(sorted(words, key=len))
        assert total > 0 and len(index) > 0 and joined

    times = []
    for _ in range(repeat):
        started = time.thread_time_ns()
        work()
        times.append((time.thread_time_ns() - started) / 1e6)
    return statistics.median(times)
