"""The rows of ``bench/RESULTS.md`` and how figures read in them."""

from __future__ import annotations

from dataclasses import dataclass

from bench.measure import Latency

__all__ = ["Row", "latency_rows", "ms", "ratio", "verdict"]


@dataclass(frozen=True)
class Row:
    metric: str
    ours: str
    reference: str = "—"
    ratio: str = "—"
    target: str = ""
    met: str = ""


def ms(value: float) -> str:
    """A duration given in ms, in the unit that reads best."""
    if value < 1:
        return f"{value * 1000:.0f} µs"
    return f"{value:.2f} ms" if value < 10 else f"{value:,.1f} ms"


def ratio(reference: float, ours: float) -> str:
    """How much faster (or slower) movierec is, reference time ÷ movierec time."""
    if ours <= 0 or reference <= 0:
        return "—"
    factor = reference / ours
    if factor >= 1:
        return f"{factor:,.0f}× faster" if factor >= 10 else f"{factor:.1f}× faster"
    return f"{1 / factor:.1f}× slower"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def latency_rows(
    metric: str,
    ours: Latency,
    ref: Latency | None = None,
    p50_target: float | None = None,
    p99_target: float | None = None,
) -> list[Row]:
    """A p50 and a p99 row (CPU time per call), a target checked on each when given."""
    rows = []
    for pct, target in (("p50", p50_target), ("p99", p99_target)):
        mine = getattr(ours, f"{pct}_ms")
        theirs = getattr(ref, f"{pct}_ms") if ref else None
        failed = f" ({ref.failed}/{ref.n // max(len(ref.round_p50s), 1)} failed)" if ref else ""
        rows.append(
            Row(
                f"{metric} {pct}",
                ms(mine),
                ms(theirs) + (failed if pct == "p50" and ref and ref.failed else "")
                if theirs is not None
                else "—",
                ratio(theirs, mine) if theirs is not None else "—",
                f"≤ {ms(target)}" if target is not None else "",
                verdict(mine <= target) if target is not None else "",
            )
        )
    return rows
