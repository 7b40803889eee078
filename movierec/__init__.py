"""movierec: the domain behind the movie bot, with no Telegram in it.

The public API is :class:`Engine`, the one facade, and the typed values it answers with::

    from movierec import Engine, Filters, Match

    engine = Engine.load()  # the catalog in data/
    found = engine.resolve_title("heat 1995")  # Match | Ambiguous | NotFound | Invalid
    if isinstance(found, Match):
        engine.similar(found.candidate.key, k=5, filters=Filters(year_from=1990))

Subpackages: :mod:`movierec.search` (what people type), :mod:`movierec.recommend` (similar
films), :mod:`movierec.etl` (Kaggle's files to the catalog; ``python -m movierec.etl``).
Names are imported on first use, so ``import movierec`` alone loads nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from movierec.engine import Engine
    from movierec.results import (
        Ambiguous,
        Candidate,
        EntityKind,
        Filters,
        Invalid,
        InvalidReason,
        Match,
        MonthCount,
        MovieCard,
        NotFound,
        PersonFilm,
        PersonReport,
        Reason,
        ReasonKind,
        Recommendation,
        Recommendations,
        Resolution,
        Role,
        Score,
        Votes,
        WeekdayCount,
    )

__all__ = [
    "Ambiguous",
    "Candidate",
    "Engine",
    "EntityKind",
    "Filters",
    "Invalid",
    "InvalidReason",
    "Match",
    "MonthCount",
    "MovieCard",
    "NotFound",
    "PersonFilm",
    "PersonReport",
    "Reason",
    "ReasonKind",
    "Recommendation",
    "Recommendations",
    "Resolution",
    "Role",
    "Score",
    "Votes",
    "WeekdayCount",
]


def _home(name: str) -> str:
    return "movierec.engine" if name == "Engine" else "movierec.results"


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'movierec' has no attribute {name!r}")
    value = getattr(importlib.import_module(_home(name)), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
