"""Timing helpers: perf_counter_ns, warm-up, percentiles."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p99_ms: float
    n: int


T = TypeVar("T")


def latency(call: Callable[[T], object], inputs: Iterable[T], warmup: int = 20) -> Latency:
    items = list(inputs)
    for item in items[:warmup]:
        call(item)
    samples = []
    for item in items:
        started = time.perf_counter_ns()
        call(item)
        samples.append(time.perf_counter_ns() - started)
    values = np.asarray(samples) / 1e6
    return Latency(float(np.percentile(values, 50)), float(np.percentile(values, 99)), len(items))


def cold_start(which: str, data: Path, runs: int = 5) -> tuple[float, float]:
    """Median seconds from process start to ready, and median peak RSS (MB), over ``runs``."""
    seconds, rss = [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "bench.coldstart", which, str(data)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
        )
        seconds.append(time.perf_counter() - started)
        ready = [line for line in child.stdout.splitlines() if line.startswith("READY ")]
        rss.append(int(ready[-1].split()[1]) / 1024)
    return statistics.median(seconds), statistics.median(rss)
