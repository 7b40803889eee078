"""Charts for /actor, /director, /mes and /dia: PNG bytes drawn with matplotlib.

matplotlib is imported inside the drawing functions, never at start-up: the bot's start-up
time and memory stay as they were until the first chart (bench/charts.py measures both). Its
object API with the Agg canvas is used, not pyplot: no global figure state, so worker threads
can draw at once. Renderers that attach charts run in a worker thread (``offload=True`` in
handlers/actions.py); each drawing is further bounded by CHART_SECONDS on a one-thread pool, and a
chart that is late, or fails, is left out: the text answer goes out without it.

Charts are cached per picture and catalog build (engine.fingerprint) in a small LRU.
"""

from __future__ import annotations

import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers import texts
from handlers.reply import Photo
from handlers.services import Services
from movierec.results import Invalid, PersonReport, Role

if TYPE_CHECKING:  # types only: matplotlib itself is imported on the first chart
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CACHE_SIZE",
    "CHART_SECONDS",
    "PersonPoint",
    "calendar_chart",
    "calendar_png",
    "clear_cache",
    "person_chart",
    "person_png",
]

log = logging.getLogger(__name__)
CHART_SECONDS = 5.0  # longer than this and the answer goes without its chart
CACHE_SIZE = 64  # charts kept (each 30-80 KB)
MAX_POINTS = 400  # films drawn for one person: a prolific actor stays fast and legible
WIDTH, HEIGHT, DPI = 9.0, 6.0, 100  # 900 × 600 px: sharp on a phone, well under 200 KB
TITLE, LABEL, TICKS = 22, 17, 14  # font sizes, large: phones show the chart small
ACCENT, MUTED, GOOD, BAD = "#d9480f", "#adb5bd", "#2b8a3e", "#c92a2a"

_cache: OrderedDict[Hashable, bytes] = OrderedDict()
_lock = threading.Lock()
# One drawing at a time: matplotlib's font and text caches are shared between figures and not
# documented as thread-safe; charts are cached, so one worker is plenty.
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")


@dataclass(frozen=True)
class PersonPoint:
    year: float  # the release date as a fractional year
    rating: float  # vote average, 0-10
    return_: float  # revenue ÷ budget, 0 when unknown
    budget: float


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _cached(key: Hashable, draw: Callable[[], bytes]) -> bytes | None:
    """The chart under ``key``, drawn (within CHART_SECONDS) when it is not cached yet."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    future = _pool.submit(draw)
    try:
        png = future.result(timeout=CHART_SECONDS)
    except FutureTimeout:
        log.warning("chart %r took more than %.0f s: answered without it", key, CHART_SECONDS)
        # not wasted: when it finishes, the next answer about the same thing has it
        future.add_done_callback(lambda done: _keep_late(key, done))
        return None
    except Exception:  # a chart is an extra: never let it cost the answer
        log.exception("chart %r failed: answered without it", key)
        return None
    _keep(key, png)
    return png


def _keep(key: Hashable, png: bytes) -> None:
    with _lock:
        _cache[key] = png
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _keep_late(key: Hashable, done: Future[bytes]) -> None:
    if not done.cancelled() and done.exception() is None:
        _keep(key, done.result())


def _figure(rows: int = 1) -> tuple[Figure, list[Axes]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes: list[Axes] = figure.subplots(rows, 1, sharex=True, squeeze=False)[:, 0].tolist()
    for ax in axes:
        ax.tick_params(labelsize=TICKS)
        ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return figure, axes


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def person_png(lang: str, name: str, points: Sequence[PersonPoint]) -> bytes:
    """Films over time: rating on top (dot size: budget), return below when any is known."""
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    points = list(points)[-MAX_POINTS:]
    with_money = [p for p in points if p.return_ > 0]
    figure, axes = _figure(2 if with_money else 1)
    top = axes[0]
    largest = max((p.budget for p in points), default=0.0) or 1.0
    sizes = [40 + 560 * (p.budget / largest) ** 0.5 if p.budget else 40 for p in points]
    colours = [ACCENT if p.budget else MUTED for p in points]
    top.scatter([p.year for p in points], [p.rating for p in points], s=sizes, c=colours,
                alpha=0.7, edgecolors="white", linewidths=0.8)  # fmt: skip
    top.set_ylim(0, 10.5)
    top.set_ylabel(texts.raw(lang, "chart_rating"), fontsize=LABEL)
    top.set_title(name, fontsize=TITLE, fontweight="bold", loc="left")
    top.text(1.0, 1.01, texts.raw(lang, "chart_budget_note"), transform=top.transAxes,
             ha="right", va="bottom", fontsize=TICKS - 2, color="#495057")  # fmt: skip
    if with_money:
        bottom = axes[1]
        values = [p.return_ for p in with_money]
        bottom.bar([p.year for p in with_money], values, width=0.6,
                   color=[GOOD if v >= 1 else BAD for v in values])  # fmt: skip
        bottom.axhline(1.0, color="#495057", linewidth=1, linestyle="--")
        bottom.set_yscale("log")
        # 1×, 2×, 5×, 10×…: a narrow range still gets a few labels
        bottom.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}×"))
        bottom.yaxis.set_minor_formatter(NullFormatter())
        bottom.set_ylabel(texts.raw(lang, "chart_return"), fontsize=LABEL)
    axes[-1].xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    return _png(figure)


def calendar_png(lang: str, title: str, labels: Sequence[str], counts: Sequence[int],
                 highlight: int) -> bytes:  # fmt: skip
    """Bars per month or weekday, the asked one in colour with its count on top."""
    figure, (ax,) = _figure(1)
    colours = [ACCENT if i == highlight else MUTED for i in range(len(counts))]
    bars = ax.bar(range(len(counts)), counts, color=colours)
    ax.set_xticks(range(len(labels)), labels, fontsize=TICKS)
    ax.set_title(title, fontsize=TITLE, fontweight="bold", loc="left")
    asked = bars[highlight]
    ax.annotate(texts.number(lang, counts[highlight]), (asked.get_x() + asked.get_width() / 2,
                asked.get_height()), ha="center", va="bottom", fontsize=LABEL,
                fontweight="bold", color=ACCENT)  # fmt: skip
    ax.set_ylim(0, max(counts, default=0) * 1.15 or 1)
    return _png(figure)


def _points(s: Services, report: PersonReport) -> list[PersonPoint]:
    points = []
    for film in report.films:
        score = s.engine.score(film.movie_id)
        rating = 0.0 if isinstance(score, Invalid) else score.vote_average
        day = film.release_date
        year = day.year + (day.timetuple().tm_yday - 1) / 366
        points.append(PersonPoint(year, rating, film.return_, float(film.budget)))
    return points


def person_chart(
    s: Services, lang: str, role: Role, person: int, report: PersonReport | Invalid | None = None
) -> Photo | None:
    """The person's chart as a photo to attach, or None (no films, late, failed).
    ``report``: the engine's, when the caller has it already."""
    if report is None:
        report = s.engine.person(role, person)
    if isinstance(report, Invalid) or not report.films:
        return None
    key = ("person", role, person, lang, s.engine.fingerprint)
    png = _cached(key, lambda: person_png(lang, report.name, _points(s, report)))
    return None if png is None else Photo(data=png, name="chart.png")


def calendar_chart(s: Services, lang: str, kind: str, highlight: int) -> Photo | None:
    """Releases per month (``kind`` "month", highlight 0-11) or weekday ("weekday", 0-6)."""
    names = texts.MONTHS[lang] if kind == "month" else texts.WEEKDAYS[lang]
    key = ("calendar", kind, highlight, lang, s.engine.fingerprint)

    def draw() -> bytes:
        counts = []
        for name in names:
            found = s.engine.month(name) if kind == "month" else s.engine.weekday(name)
            counts.append(0 if isinstance(found, Invalid) else found.count)
        labels = [n[:3].capitalize() for n in names]
        title = texts.raw(lang, "chart_months" if kind == "month" else "chart_weekdays")
        return calendar_png(lang, title, labels, counts, highlight)

    png = _cached(key, draw)
    return None if png is None else Photo(data=png, name="chart.png")
