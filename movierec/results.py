"""Typed results that cross the boundary between the engine and whoever renders them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Literal

__all__ = [
    "Ambiguous",
    "Candidate",
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

EntityKind = Literal["movie", "actor", "director"]
Role = Literal["actor", "director"]
# Why a question cannot be answered; the edge has a text for each code in every language.
InvalidReason = Literal[
    "empty",
    "too_long",
    "no_letters",
    "unknown_month",
    "unknown_weekday",
    "unknown_movie",
    "unknown_person",
    "no_movie",
    "no_features",
    "unknown_genre",
    "bad_k",
    "bad_page",
]
# Why a film is recommended: the kind of feature both films share.
ReasonKind = Literal[
    "collection", "director", "cast", "keywords", "genres", "companies", "origin", "era", "plot"
]


@dataclass(frozen=True, slots=True)
class Invalid:
    """The input cannot be answered; ``reason`` is a code the renderer turns into words."""

    reason: InvalidReason


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: EntityKind
    key: int  # TMDB id for films, index into People.names for people
    label: str  # title or name
    year: int | None = None  # films: release year
    films: int = 0  # people: number of films in that role
    known_for: str | None = None  # people: their most-voted film


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate


@dataclass(frozen=True, slots=True)
class Ambiguous:
    query: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class NotFound:
    query: str
    suggestions: tuple[Candidate, ...]


Resolution = Match | Ambiguous | NotFound | Invalid


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: int  # 1-12
    count: int


@dataclass(frozen=True, slots=True)
class WeekdayCount:
    weekday: int  # 0 = Monday
    count: int


@dataclass(frozen=True, slots=True)
class Score:
    movie_id: int
    title: str
    year: int
    popularity: float
    vote_average: float


@dataclass(frozen=True, slots=True)
class Votes:
    movie_id: int
    title: str
    year: int
    vote_count: int
    vote_average: float
    meets_threshold: bool  # the contract answers only from MIN_VOTES votes on
    threshold: int


@dataclass(frozen=True, slots=True)
class PersonFilm:
    movie_id: int
    title: str
    release_date: dt.date
    return_: float  # 0 when unknown
    budget: int
    revenue: int


@dataclass(frozen=True, slots=True)
class PersonReport:
    """The actor and director questions share one shape; ``films`` is sorted by date."""

    role: Role
    name: str
    film_count: int
    films_with_return: int
    total_return: float
    average_return: float
    # the contract's total is a sum of ratios; this is the career's total revenue ÷ total budget
    overall_return: float
    films: tuple[PersonFilm, ...]


@dataclass(frozen=True, slots=True)
class MovieCard:
    movie_id: int
    title: str
    year: int
    release_date: dt.date
    genres: tuple[str, ...]
    directors: tuple[str, ...]
    cast: tuple[str, ...]
    popularity: float
    vote_average: float
    vote_count: int
    runtime: int | None
    budget: int
    revenue: int
    return_: float
    collection: str | None
    imdb_id: str | None
    # From the extras (None / empty when the catalog was built without them)
    image_url: str | None = None  # https URL Telegram may fetch; never fetched by us
    overview: str | None = None
    overview_source: str | None = None  # "tmdb" (Kaggle's), "wikipedia"
    overview_url: str | None = None  # attribution link, to show with the text
    alt_titles: tuple[tuple[str, str], ...] = ()  # (title, ISO 639-1 or "")
    local_title: str | None = None  # the title in the asked language when it differs


# Reasons and recommendations are made by the dozen per answer: their __init__ sets each slot
# through its descriptor, a third cheaper than the frozen dataclass's object.__setattr__.
@dataclass(frozen=True, slots=True, init=False)
class Reason:
    kind: ReasonKind
    values: tuple[str, ...]

    def __init__(self, kind: ReasonKind, values: tuple[str, ...]) -> None:
        _SET_REASON[0](self, kind)
        _SET_REASON[1](self, values)


@dataclass(frozen=True, slots=True, init=False)
class Recommendation:
    movie_id: int
    title: str
    year: int
    score: float  # cosine × quality prior: what the list is ordered by
    similarity: float  # the plain cosine
    reasons: tuple[Reason, ...]

    def __init__(
        self,
        movie_id: int,
        title: str,
        year: int,
        score: float,
        similarity: float,
        reasons: tuple[Reason, ...],
    ) -> None:
        s = _SET_RECOMMENDATION
        s[0](self, movie_id)
        s[1](self, title)
        s[2](self, year)
        s[3](self, score)
        s[4](self, similarity)
        s[5](self, reasons)


def _setters(cls: type) -> tuple[Callable[[object, object], None], ...]:
    return tuple(getattr(cls, f.name).__set__ for f in fields(cls))


_SET_REASON = _setters(Reason)
_SET_RECOMMENDATION = _setters(Recommendation)


@dataclass(frozen=True, slots=True)
class Recommendations:
    """One page of a film's (or several films') recommendations."""

    seeds: tuple[int, ...]  # TMDB ids asked about
    items: tuple[Recommendation, ...]
    offset: int  # how many came before this page
    more: bool  # whether a next page exists


@dataclass(frozen=True, slots=True)
class Filters:
    """What recommendations may be: years, a genre, minimum votes.

    ``genre`` is one of the catalog's own (English, TMDB) genre names, in any case and with or
    without accents; a name the catalog does not have is ``Invalid("unknown_genre")``, never a
    silently empty list.
    """

    year_from: int | None = None
    year_to: int | None = None
    genre: str | None = None
    min_votes: int = 0

    @property
    def active(self) -> bool:
        return self != Filters()
