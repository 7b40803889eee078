"""State store: a settings read and a list write, SQLite vs PostgreSQL, in one run.

    python -m bench.store            # PostgreSQL from MOVIEREC_BENCH_DATABASE_URL or
                                     # MOVIEREC_TEST_DATABASE_URL, else a throwaway server
                                     # started by .ci/postgres.sh for the run
    python -m bench.store --quick    # a few hundred calls, for a smoke test

Both stores are opened as the bot opens them (defaults: SQLite with WAL and synchronous=FULL,
PostgreSQL through the pool on loopback TCP). The operations alternate between the backends
call by call (and which goes first alternates too), so drift in the machine's load hits both
alike. Latency is the wall time one ``await`` takes, as a handler waits for it; CPU is this
process's CPU time per call (the event loop, SQLite's worker thread and psycopg; the PostgreSQL
server's own CPU is another process and is not counted). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import numpy as np

from handlers.store import SQLiteStore, Store, redact_url
from handlers.store.postgres import PostgresStore

ROOT = Path(__file__).resolve().parent.parent
URL_VARIABLES = ("MOVIEREC_BENCH_DATABASE_URL", "MOVIEREC_TEST_DATABASE_URL")
OWNERS = 1000
SEED = 42


@dataclass(frozen=True)
class Figure:
    operation: str
    backend: str
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # mean CPU time of this process per call
    n: int


Operation = Callable[[Store, int], Awaitable[object]]


async def settings_read(store: Store, i: int) -> object:
    return await store.get_language(10_000 + i % OWNERS)


async def list_write(store: Store, i: int) -> object:
    return await store.list_set(10_000 + i % OWNERS, 1 + i, "watchlist", rating=1 + i % 10)


OPERATIONS: tuple[tuple[str, Operation], ...] = (
    ("settings read (get_language)", settings_read),
    ("list write (list_set)", list_write),
)


async def measure(stores: dict[str, Store], n: int, warmup: int) -> list[Figure]:
    figures: list[Figure] = []
    names = list(stores)
    for label, operation in OPERATIONS:
        wall: dict[str, list[int]] = {name: [] for name in names}
        cpu: dict[str, int] = dict.fromkeys(names, 0)
        for i in range(warmup + n):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                cpu_started = time.process_time_ns()
                started = time.perf_counter_ns()
                await operation(stores[name], i)
                elapsed = time.perf_counter_ns() - started
                used = time.process_time_ns() - cpu_started
                if i >= warmup:
                    wall[name].append(elapsed)
                    cpu[name] += used
        for name in names:
            samples = np.asarray(wall[name]) / 1e6
            figures.append(
                Figure(
                    label,
                    name,
                    float(np.percentile(samples, 50)),
                    float(np.percentile(samples, 99)),
                    cpu[name] / n / 1e6,
                    n,
                )
            )
    return figures


async def run(url: str | None, n: int, warmup: int) -> list[Figure]:
    """Fresh databases: a temp SQLite file, and a schema of its own in PostgreSQL."""
    schema = f"bench_{os.getpid()}"
    if url:
        await _admin(url, f"CREATE SCHEMA {schema}")
    try:
        with tempfile.TemporaryDirectory(prefix="movierec-bench-") as folder:
            stores: dict[str, Store] = {"SQLite": SQLiteStore(Path(folder) / "bench.sqlite3")}
            if url:
                option = quote(f"-c search_path={schema}", safe="")
                stores["PostgreSQL"] = PostgresStore(
                    f"{url}{'&' if '?' in url else '?'}options={option}"
                )
            for store in stores.values():
                await store.open()
            try:
                rng = random.Random(SEED)
                languages = [rng.choice(["es", "en", None]) for _ in range(OWNERS)]
                for store in stores.values():  # the settings the reads find (or miss)
                    for owner, language in enumerate(languages):
                        await store.set_language(10_000 + owner, language)
                return await measure(stores, n, warmup)
            finally:
                for store in stores.values():
                    await store.close()
    finally:
        if url:
            await _admin(url, f"DROP SCHEMA {schema} CASCADE")


async def _admin(url: str, statement: str) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(statement.encode())


def table(figures: list[Figure]) -> str:
    lines = [
        "| operation | backend | p50 | p99 | CPU per call (this process) |",
        "|---|---|---|---|---|",
    ]
    for f in figures:
        lines.append(
            f"| {f.operation} | {f.backend} | {f.p50_ms:.3f} ms | {f.p99_ms:.3f} ms "
            f"| {f.cpu_ms:.3f} ms |"
        )
    return "\n".join(lines)


async def server_settings(url: str) -> str:
    import psycopg

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        shown = []
        for name in ("server_version", "fsync", "synchronous_commit"):
            row = await (await conn.execute(f"SHOW {name}".encode())).fetchone()
            shown.append(f"{name}={row[0] if row else '?'}")
    return " ".join(shown)


def machine(url: str | None) -> str:
    import sqlite3

    import psycopg

    where = "no PostgreSQL"
    if url:
        where = f"PostgreSQL {redact_url(url)} ({asyncio.run(server_settings(url))})"
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version} (WAL, synchronous=FULL), psycopg {psycopg.__version__}; {where}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="calls per operation and backend")
    parser.add_argument("--quick", action="store_true", help="300 calls, for a smoke test")
    parser.add_argument(
        "--sqlite-only", action="store_true", help="do not look for or start PostgreSQL"
    )
    args = parser.parse_args(argv)
    n, warmup = (300, 30) if args.quick else (args.n, max(100, args.n // 20))
    url = None
    if not args.sqlite_only:
        url = next((os.environ[v] for v in URL_VARIABLES if os.environ.get(v)), None)
        if url is None and not os.environ.get("MOVIEREC_BENCH_CHILD"):
            # no server given: run again under a throwaway one (.ci/postgres.sh), if we can
            child = subprocess.run(
                [
                    "bash",
                    str(ROOT / ".ci" / "postgres.sh"),
                    "run",
                    sys.executable,
                    "-m",
                    "bench.store",
                    *(argv if argv is not None else sys.argv[1:]),
                ],
                cwd=ROOT,
                env={**os.environ, "MOVIEREC_BENCH_CHILD": "1", "MOVIEREC_PG_FSYNC": "on"},
            )
            if child.returncode == 0:
                return 0
            print("bench.store: no PostgreSQL could be started; SQLite only", file=sys.stderr)
    figures = asyncio.run(run(url, n, warmup))
    print(f"State store, {n} calls per operation and backend, alternating ({machine(url)})\n")
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
