"""Typed results that cross the boundary between the engine and whoever renders them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

EntityKind = Literal["movie", "actor", "director"]


@dataclass(frozen=True)
class Invalid:
    """The input cannot be answered; ``reason`` is a code the renderer turns into words."""

    reason: str  # empty | too_long | no_letters | unknown_month | unknown_weekday | ...
    detail: str = ""


@dataclass(frozen=True)
class Candidate:
    kind: EntityKind
    key: int  # TMDB id for films, index into People.names for people
    label: str  # title or name
    year: int | None = None  # films: release year
    films: int = 0  # people: number of films in that role
    known_for: str | None = None  # people: their most-voted film


@dataclass(frozen=True)
class Match:
    candidate: Candidate


@dataclass(frozen=True)
class Ambiguous:
    query: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class NotFound:
    query: str
    suggestions: tuple[Candidate, ...]


Resolution = Match | Ambiguous | NotFound | Invalid


@dataclass(frozen=True)
class MonthCount:
    month: int  # 1-12
    count: int


@dataclass(frozen=True)
class WeekdayCount:
    weekday: int  # 0 = Monday
    count: int


@dataclass(frozen=True)
class Score:
    movie_id: int
    title: str
    year: int
    popularity: float
    vote_average: float


@dataclass(frozen=True)
class Votes:
    movie_id: int
    title: str
    year: int
    vote_count: int
    vote_average: float
    meets_threshold: bool  # the contract answers only from MIN_VOTES votes on
    threshold: int


@dataclass(frozen=True)
class PersonFilm:
    movie_id: int
    title: str
    release_date: dt.date
    return_: float  # 0 when unknown
    budget: int
    revenue: int


@dataclass(frozen=True)
class PersonReport:
    """The actor and director questions share one shape; ``films`` is sorted by date."""

    role: str
    name: str
    film_count: int
    films_with_return: int
    total_return: float
    average_return: float
    films: tuple[PersonFilm, ...]
