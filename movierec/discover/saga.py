"""A film's saga: every film of its TMDB collection, in release order."""

from __future__ import annotations

import functools

from movierec.catalog import Catalog
from movierec.discover.query import Saga, SagaFilm, Unanswerable

__all__ = ["Sagas"]


class Sagas:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    @functools.cached_property
    def _rows(self) -> dict[str, tuple[int, ...]]:
        """Collection name → its film rows by release date (then id), built on first use."""
        c = self._catalog
        grouped: dict[str, list[int]] = {}
        for row, name in enumerate(c.collection):
            if name:
                grouped.setdefault(name, []).append(row)
        return {
            name: tuple(sorted(rows, key=lambda r: (c.dates[r], int(c.ids[r]))))
            for name, rows in grouped.items()
        }

    def saga(self, movie_id: int) -> Saga | Unanswerable:
        c = self._catalog
        row = c.row(movie_id)
        if row is None:
            return Unanswerable("unknown_movie")
        name = c.collection[row]
        if not name:
            return Unanswerable("no_collection")
        films = tuple(
            SagaFilm(
                movie_id=int(c.ids[r]),
                title=c.titles[r],
                year=int(c.years[r]),
                release_date=c.dates[r].item(),
                vote_average=float(c.vote_average[r]),
            )
            for r in self._rows[name]
        )
        return Saga(collection=name, asked=movie_id, films=films)
