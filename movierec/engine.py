"""One object that answers everything: loaded once, shared by the bot, console and benchmarks."""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from movierec import catalog as catalog_module
from movierec.catalog import Catalog
from movierec.matching import KeyTables, PersonResolver, TitleResolver
from movierec.queries import Queries
from movierec.results import Candidate, Invalid, Resolution

CARD_CAST = 5
log = logging.getLogger(__name__)


@dataclass(frozen=True)
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


class Engine:
    def __init__(self, catalog: Catalog, tables: dict[str, KeyTables] | None = None) -> None:
        """Build the search indexes, or take them ready-made from the runtime snapshot."""
        tables = tables or {}
        self.catalog = catalog
        self.queries = Queries(catalog)
        self.titles = TitleResolver(catalog, tables.get("title"))
        self._people = {
            "actor": PersonResolver(catalog, catalog.actors, tables.get("actor")),
            "director": PersonResolver(catalog, catalog.directors, tables.get("director")),
        }
        self._popular = np.argsort(-catalog.vote_count, kind="stable")[:50]

    @classmethod
    def load(cls, folder: Path = catalog_module.DEFAULT_DATA) -> Engine:
        """From the runtime snapshot when the ETL made one, else built from the tables."""
        from movierec import snapshot

        if (folder / snapshot.FILE_NAME).is_file():
            try:
                return snapshot.load(folder / snapshot.FILE_NAME)
            except snapshot.StaleSnapshot as stale:
                # still right, only slower: rebuild from the tables
                log.warning("%s; building the indexes from the tables instead", stale)
        return cls(catalog_module.load(folder))

    def key_tables(self) -> dict[str, KeyTables]:
        return {
            "title": self.titles.tables,
            "actor": self._people["actor"].tables,
            "director": self._people["director"].tables,
        }

    def resolve_title(self, query: str | None) -> Resolution:
        return self.titles.resolve(query)

    def resolve_person(self, role: str, query: str | None) -> Resolution:
        return self._people[role].resolve(query)

    def popular(self, limit: int = 10) -> tuple[Candidate, ...]:
        return tuple(self.titles.candidate(int(r)) for r in self._popular[:limit])

    def card(self, movie_id: int) -> MovieCard | Invalid:
        c = self.catalog
        row = c.row(movie_id)
        if row is None:
            return Invalid("unknown_movie")
        runtime = float(c.runtime[row])
        return MovieCard(
            movie_id=movie_id,
            title=c.titles[row],
            year=int(c.years[row]),
            release_date=c.dates[row].item(),
            genres=c.genres[row],
            directors=tuple(c.director_names(row)),
            cast=tuple(c.cast_names(row)[:CARD_CAST]),
            popularity=float(c.popularity[row]),
            vote_average=float(c.vote_average[row]),
            vote_count=int(c.vote_count[row]),
            runtime=None if math.isnan(runtime) else int(runtime),
            budget=int(c.budget[row]),
            revenue=int(c.revenue[row]),
            return_=float(c.returns[row]),
            collection=c.collection[row],
            imdb_id=c.imdb_id[row],
        )
