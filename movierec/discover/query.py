"""What /descubrir, /azar and /saga answer: typed values, and why not when they cannot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "DiscoverItem",
    "DiscoverPage",
    "Draw",
    "Parsed",
    "Query",
    "Saga",
    "SagaFilm",
    "Unanswerable",
    "UnanswerableReason",
]

# Why a discover question cannot be answered; the edge has a text for each in every language.
UnanswerableReason = Literal[
    "empty",  # nothing typed where something is needed
    "too_long",
    "not_understood",  # words, but none of them a filter
    "unknown_movie",
    "no_collection",  # the film is not part of a saga
    "bad_page",
    "no_language_data",  # a language was asked, and this catalog build has no language column
]


@dataclass(frozen=True)
class Unanswerable:
    reason: UnanswerableReason


@dataclass(frozen=True)
class Query:
    """Filters, all of which a film must pass. ``None``/empty: no condition."""

    genres: tuple[str, ...] = ()  # TMDB names, every one required, in the order typed
    year_from: int | None = None  # inclusive
    year_to: int | None = None  # inclusive
    shorter_than: int | None = None  # minutes, strict
    longer_than: int | None = None  # minutes, strict
    min_votes: int = 0
    language: str | None = None  # ISO 639-1, as TMDB's original_language
    good: bool = False  # well rated: weighted rating at least GOOD_RATING
    unseen: bool = False  # the person asked for films they have not seen (the edge knows)

    @property
    def empty(self) -> bool:
        return self == Query()


@dataclass(frozen=True)
class Parsed:
    """How free text was understood: the query, and the words that meant nothing to us."""

    query: Query
    unknown: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DiscoverItem:
    movie_id: int
    title: str
    year: int
    vote_average: float
    vote_count: int
    rating: float  # the weighted rating the list is ordered by
    runtime: int | None


@dataclass(frozen=True)
class DiscoverPage:
    query: Query
    items: tuple[DiscoverItem, ...]
    offset: int  # how many came before this page
    total: int  # films matching the query
    more: bool


@dataclass(frozen=True)
class Draw:
    """One film drawn at random from the well-rated matches, and how many remain undrawn."""

    item: DiscoverItem | None  # None: every candidate was already drawn or excluded
    pool: int  # candidates before exclusions
    remaining: int  # candidates left after this draw


@dataclass(frozen=True)
class SagaFilm:
    movie_id: int
    title: str
    year: int
    release_date: dt.date
    vote_average: float


@dataclass(frozen=True)
class Saga:
    collection: str
    asked: int  # the TMDB id the question was about
    films: tuple[SagaFilm, ...]  # release order

    def next_to_watch(self, seen: frozenset[int]) -> SagaFilm | None:
        """The first film in release order not seen yet; ``None`` when all were seen."""
        return next((f for f in self.films if f.movie_id not in seen), None)
