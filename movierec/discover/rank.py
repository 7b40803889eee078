"""Ranking the catalog by a weighted rating, filtered by a :class:`Query`; drawing at random.

The weighted rating is IMDb's Bayesian average: a film's mean vote pulled towards the catalog's
mean by ``PRIOR_VOTES`` imaginary average votes, so ten votes of 9.5 do not outrank thousands
of 8.3::

    rating = v / (v + m) · R + m / (v + m) · C

with ``v`` the film's vote count, ``R`` its average, ``m`` = PRIOR_VOTES and ``C`` the mean
average of the films with at least one vote. Ties go to more votes, then to the lower TMDB id,
so every list is deterministic.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from movierec.catalog import Catalog
from movierec.discover.languages import Loader
from movierec.discover.query import DiscoverItem, DiscoverPage, Draw, Query, Unanswerable

__all__ = ["DRAW_FALLBACK", "GOOD_RATING", "MAX_PER_PAGE", "PRIOR_VOTES", "Ranking"]

PRIOR_VOTES = 100  # m: about the 88th percentile of vote counts in the shipped catalog
GOOD_RATING = 6.5  # "good": ~2,900 films of 45,000 in the shipped catalog
DRAW_FALLBACK = 25  # when no match is "good", /azar draws from this many best matches
MAX_PER_PAGE = 50


class Ranking:
    def __init__(self, catalog: Catalog, languages: Loader | None = None) -> None:
        self._catalog = catalog
        self._load_languages = languages

    # Built on first use, not at start-up: most sessions never ask /descubrir.

    @functools.cached_property
    def rating(self) -> npt.NDArray[np.float64]:
        c = self._catalog
        voted = c.vote_count > 0
        mean = float(c.vote_average[voted].mean()) if voted.any() else 0.0
        votes = c.vote_count.astype(np.float64)
        weight = votes / (votes + PRIOR_VOTES)
        rating: npt.NDArray[np.float64] = weight * c.vote_average + (1.0 - weight) * mean
        return rating

    @functools.cached_property
    def order(self) -> npt.NDArray[np.intp]:
        """Rows best first: by rating, then votes, then TMDB id."""
        c = self._catalog
        return np.lexsort((c.ids, -c.vote_count, -self.rating))

    @functools.cached_property
    def _genre_masks(self) -> dict[str, npt.NDArray[np.bool_]]:
        masks: dict[str, npt.NDArray[np.bool_]] = {}
        for row, genres in enumerate(self._catalog.genres):
            for genre in genres:
                if genre not in masks:
                    masks[genre] = np.zeros(len(self._catalog), dtype=bool)
                masks[genre][row] = True
        return masks

    @functools.cached_property
    def _languages(self) -> npt.NDArray[np.str_] | None:
        return None if self._load_languages is None else self._load_languages()

    def matches(
        self, query: Query, exclude: Iterable[int] = ()
    ) -> npt.NDArray[np.intp] | Unanswerable:
        """Rows passing every filter of ``query``, best first, without the TMDB ids excluded."""
        c = self._catalog
        keep = np.ones(len(c), dtype=bool)
        for genre in query.genres:
            # a genre this catalog does not have matches nothing (the parser only names TMDB's)
            keep &= self._genre_masks.get(genre, np.zeros(len(c), dtype=bool))
        if query.year_from is not None:
            keep &= c.years >= query.year_from
        if query.year_to is not None:
            keep &= c.years <= query.year_to
        if query.shorter_than is not None:
            keep &= c.runtime < query.shorter_than  # unknown runtime (NaN) is never short
        if query.longer_than is not None:
            keep &= c.runtime > query.longer_than
        if query.min_votes:
            keep &= c.vote_count >= query.min_votes
        if query.good:
            keep &= self.rating >= GOOD_RATING
        if query.language is not None:
            languages = self._languages
            if languages is None:
                return Unanswerable("no_language_data")
            keep &= languages == query.language
        excluded = np.fromiter(exclude, dtype=np.int64)
        if excluded.size:
            keep &= ~np.isin(c.ids, excluded)
        ordered: npt.NDArray[np.intp] = self.order[keep[self.order]]
        return ordered

    def item(self, row: int) -> DiscoverItem:
        c = self._catalog
        runtime = float(c.runtime[row])
        return DiscoverItem(
            movie_id=int(c.ids[row]),
            title=c.titles[row],
            year=int(c.years[row]),
            vote_average=float(c.vote_average[row]),
            vote_count=int(c.vote_count[row]),
            rating=round(float(self.rating[row]), 3),
            runtime=None if np.isnan(runtime) else int(runtime),
        )

    def page(
        self, query: Query, page: int, per_page: int, exclude: Iterable[int] = ()
    ) -> DiscoverPage | Unanswerable:
        if page < 0 or not 1 <= per_page <= MAX_PER_PAGE:
            return Unanswerable("bad_page")
        rows = self.matches(query, exclude)
        if isinstance(rows, Unanswerable):
            return rows
        offset = page * per_page
        if offset and offset >= len(rows):
            return Unanswerable("bad_page")
        chosen = rows[offset : offset + per_page]
        return DiscoverPage(
            query=query,
            items=tuple(self.item(int(r)) for r in chosen),
            offset=offset,
            total=len(rows),
            more=len(rows) > offset + per_page,
        )

    def draw(self, query: Query, exclude: Iterable[int], seed: int) -> Draw | Unanswerable:
        """One of the well-rated matches at random, never one of ``exclude`` (drawn or seen)."""
        rows = self.matches(query)
        if isinstance(rows, Unanswerable):
            return rows
        good = rows[self.rating[rows] >= GOOD_RATING]
        pool = good if len(good) else rows[:DRAW_FALLBACK]
        excluded = np.fromiter(exclude, dtype=np.int64)
        left = pool[~np.isin(self._catalog.ids[pool], excluded)] if excluded.size else pool
        if not len(left):
            return Draw(item=None, pool=len(pool), remaining=0)
        row = int(left[np.random.default_rng(seed).integers(len(left))])
        return Draw(item=self.item(row), pool=len(pool), remaining=len(left) - 1)
