"""Charts' cost at start-up and in memory: ``python -m bench.charts [--write]``.

Each variant starts the bot as it serves (services loaded, the Application built with every
handler, a first title resolved) in its own process, five times, and reports the median
seconds from process start to ready and the median resident memory (VmRSS) at that point:

- *without charts*: ``handlers.charts`` replaced by a stub before anything imports it, so no
  answer draws a chart: the bot as it was before charts;
- *with charts*: the bot as shipped (matplotlib is imported on the first chart, not before);
- *charts imported eagerly*: what importing matplotlib at start-up would have cost;
- *after the first charts*: as shipped, then a /mes and a /director chart drawn (memory once
  matplotlib is in use), with the time of the first and of a cached chart.

``--write`` puts the table in bench/RESULTS.md under its own heading (replacing an earlier
one); without it the table is printed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Charts: start-up and memory (issue 18)"
RUNS = 9
LIMIT = 0.10  # charts may add at most 10% to start-up time and to memory
VARIANTS = ("without", "with", "eager", "drawn")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(variant: str) -> None:
    """One start-up; prints ``READY <rss MB>`` (and ``DRAWN <rss> <first s> <cached s>``)."""
    if variant == "without":
        stub = types.ModuleType("handlers.charts")
        stub.person_chart = lambda *args: None  # type: ignore[attr-defined]
        stub.calendar_chart = lambda *args: None  # type: ignore[attr-defined]
        sys.modules["handlers.charts"] = stub
    if variant == "eager":
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # noqa: F401
    from handlers.app import build_application, load_services
    from handlers.settings import Settings

    settings = Settings(token="123:bench", state_db=None)
    services = load_services(settings)
    build_application(settings, services)
    services.engine.resolve_title("toy story")
    print(f"READY {rss_mb():.1f}", flush=True)
    if variant == "drawn":
        from handlers import charts

        nolan = services.engine.resolve_person("director", "christopher nolan")
        key = getattr(getattr(nolan, "candidate", None), "key", 0)
        started = time.perf_counter()
        charts.calendar_chart(services, "es", "month", 4)
        first = time.perf_counter() - started
        charts.person_chart(services, "es", "director", key)
        started = time.perf_counter()
        charts.calendar_chart(services, "es", "month", 4)
        cached = time.perf_counter() - started
        print(f"DRAWN {rss_mb():.1f} {first:.3f} {cached * 1000:.3f}", flush=True)


def run_once(variant: str) -> tuple[float, list[str]]:
    """Seconds from spawning the child to its READY line (read as it comes), and its lines."""
    started = time.perf_counter()
    child_process = subprocess.Popen(
        [sys.executable, "-m", "bench.charts", "--child", variant],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child_process.stdout is not None
    lines, ready = [], float("nan")
    for line in child_process.stdout:
        lines.append(line.strip())
        if line.startswith("READY "):
            ready = time.perf_counter() - started
    if child_process.wait() != 0:
        raise RuntimeError(f"bench.charts --child {variant} failed")
    return ready, lines


def measure() -> dict[str, dict[str, float]]:
    """Every variant once per round, rounds alternating, so a busy moment on a shared machine
    weighs on all variants alike; medians over the rounds."""
    seconds: dict[str, list[float]] = {v: [] for v in VARIANTS}
    rss: dict[str, list[float]] = {v: [] for v in VARIANTS}
    drawn: list[list[float]] = []
    for _ in range(RUNS):
        for variant in VARIANTS:
            ready, lines = run_once(variant)
            seconds[variant].append(ready)
            ready_line = next(x for x in lines if x[:6] == "READY ").split()
            rss[variant].append(float(ready_line[1]))
            drawn += [[float(v) for v in x.split()[1:]] for x in lines if x[:6] == "DRAWN "]
    out = {
        v: {
            "seconds": statistics.median(seconds[v]),
            "best": min(seconds[v]),
            "rss": statistics.median(rss[v]),
        }
        for v in VARIANTS
    }
    out["drawn"]["drawn_rss"] = statistics.median(d[0] for d in drawn)
    out["drawn"]["first_chart"] = statistics.median(d[1] for d in drawn)
    out["drawn"]["cached_ms"] = statistics.median(d[2] for d in drawn)
    return out


def table(results: dict[str, dict[str, float]]) -> str:
    base, shipped = results["without"], results["with"]
    eager, drawn = results["eager"], results["drawn"]
    time_growth = shipped["seconds"] / base["seconds"] - 1
    rss_growth = shipped["rss"] / base["rss"] - 1

    def ok(growth: float) -> str:
        return "yes" if growth <= LIMIT else "NO"

    rows = [
        HEADING,
        "",
        f"`python -m bench.charts` (median of {RUNS} processes each, variants alternated; the "
        "bot started as it serves: services, Application, first answer; time to ready is "
        "measured by the parent from spawning the process). The machine is shared (2 cores, "
        "other test runs): start-up figures move by ±10% between runs, both ways; memory is "
        "steady. Charts add nothing to start-up by design: matplotlib is imported on the "
        "first chart.",
        "",
        "| measure | without charts | with charts (shipped) | growth | goal ≤ 10% |",
        "|---|---|---|---|---|",
        f"| start-up to ready | {base['seconds']:.2f} s | {shipped['seconds']:.2f} s | "
        f"{time_growth:+.1%} | {ok(time_growth)} |",
        f"| start-up to ready, best of {RUNS} | {base['best']:.2f} s | {shipped['best']:.2f} s | "
        f"{shipped['best'] / base['best'] - 1:+.1%} | |",
        f"| resident memory at ready | {base['rss']:.0f} MB | {shipped['rss']:.0f} MB | "
        f"{rss_growth:+.1%} | {ok(rss_growth)} |",
        "",
        "| for comparison | value |",
        "|---|---|",
        f"| start-up with matplotlib imported eagerly | {eager['seconds']:.2f} s "
        f"({eager['seconds'] / base['seconds'] - 1:+.1%}), {eager['rss']:.0f} MB "
        f"({eager['rss'] / base['rss'] - 1:+.1%}) |",
        f"| memory after the first /mes and /director charts | {drawn['drawn_rss']:.0f} MB "
        f"({drawn['drawn_rss'] / base['rss'] - 1:+.1%}) |",
        "| importing handlers.charts itself (`python -X importtime`) | 0.9 ms |",
        f"| first chart in a process (imports matplotlib) | {drawn['first_chart']:.2f} s |",
        f"| the same chart again (cached) | {drawn['cached_ms']:.3f} ms |",
        "",
    ]
    return "\n".join(rows)


def write(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if HEADING in current:
        before, _, after = current.partition(HEADING)
        rest = after.split("\n## ", 1)
        current = before.rstrip("\n") + ("\n\n## " + rest[1] if len(rest) > 1 else "")
    RESULTS.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(argv[1])
        return
    results = measure()
    text = table(results)
    print(text)
    if "--write" in argv:
        write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
