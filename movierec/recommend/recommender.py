"""Five films like this one: precomputed neighbours, a collection cap, filters, and reasons.

Requests answer typed values: a list of :class:`~movierec.results.Recommendation`, or
:class:`~movierec.results.Invalid` saying why not. :class:`~movierec.engine.Engine` owns one.

Serving costs what it answers: a film's list walks its stored neighbours and only the films
returned are explained (:meth:`page`), the first ones from reasons precomputed when the index
was unpacked (:mod:`.explained`); ranking on the fly (filters, several films, a short stored
list) scores the sparse columns the seeds have plus one small dense product per dense block
(:mod:`.vectors`, :mod:`.dense`). Answers are identical, float for float, to the whole-matrix
code (``tests/movierec/recommend/seed_recommender.py``, the tests' oracle).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from movierec.catalog import Catalog
from movierec.recommend import vectors
from movierec.recommend.explained import (
    MAX_REASONS,
    REASON_KINDS,
    VALUES_PER_REASON,
    WEAK_REASONS,
    reasons,
)
from movierec.recommend.index import TOP_N, Csr, IndexLoadError, SimilarityIndex, by_column
from movierec.results import Filters, Invalid, Reason, ReasonKind, Recommendation
from movierec.search.lookup import int_view
from movierec.search.text import fold

Mask = npt.NDArray[np.bool_]  # per film row

__all__ = [
    "COLLECTION_CAP",
    "MAX_K",
    "MAX_REASONS",
    "REASON_KINDS",
    "VALUES_PER_REASON",
    "WEAK_REASONS",
    "Recommender",
    "capped_walk",
]

MAX_K = TOP_N  # a list never goes beyond what the index stores per film
COLLECTION_CAP = 2  # at most this many films of one collection (saga) in a list


class Recommender:
    def __init__(
        self, catalog: Catalog, index: SimilarityIndex, collection_cap: int = COLLECTION_CAP
    ) -> None:
        if not np.array_equal(catalog.ids, index.ids):
            raise IndexLoadError("recommender index does not match the catalog")
        self.catalog = catalog
        self.index = index
        self.collection_cap = collection_cap
        self._has_features = np.diff(index.matrix.indptr) > 0
        # what every request reads per film, as list-fast views (no numpy call per value)
        self._featured = self._has_features.tobytes()
        self._ids, self._years = int_view(catalog.ids), int_view(catalog.years)
        prior = np.ascontiguousarray(index.prior, dtype=np.float32)
        self._prior: Sequence[float] = prior.data.cast("B").cast("f")
        self._columns: Csr | None = index.columns
        self._genres: dict[str, Mask] | None = None
        self._block_starts: list[int] = index.block_starts.tolist()
        self._kinds: list[ReasonKind] = [REASON_KINDS[name] for name in index.block_names]
        self._explaining = (self._block_starts, self._kinds, index.labels)  # reasons() needs

    # -- requests -------------------------------------------------------------------------

    def similar(
        self, movie_id: int, k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid:
        return self.similar_to_many([movie_id], k, filters)

    def similar_to_many(
        self, movie_ids: Sequence[int], k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid:
        if not _valid_k(k):
            rows = self._rows(movie_ids)
            return rows if isinstance(rows, Invalid) else Invalid("bad_k")
        found = self._select(movie_ids, k, filters)
        if isinstance(found, Invalid):
            return found
        rows, picked, slots = found
        return self._recommend(rows, picked, slots)

    def page(
        self, movie_id: int, offset: int, count: int, filters: Filters | None = None
    ) -> tuple[list[Recommendation], bool] | Invalid:
        """Films ``offset + 1`` to ``offset + count`` of the film's list, and whether more
        follow: the same films as ``similar(movie_id, offset + count + 1)[offset:]``, but only
        the page is explained, so page n costs one page."""
        if not (_valid_k(count) and isinstance(offset, int) and 0 <= offset <= MAX_K - count):
            return Invalid("bad_page")
        wanted = min(offset + count + 1, MAX_K)  # one more than the page: is there a next one?
        found = self._select([movie_id], wanted, filters)
        if isinstance(found, Invalid):
            return found
        rows, picked, slots = found
        shown = slice(offset, offset + count)
        items = self._recommend(rows, picked[shown], slots[shown] if slots else None)
        return items, len(picked) > offset + count

    def similarity(self, a: int, b: int) -> float | Invalid:
        """The cosine of two films' features: symmetric, in [0, 1], 1.0 for a film itself."""
        rows = self._rows([a, b])
        if isinstance(rows, Invalid):
            return rows
        if len(rows) == 1:  # the same film twice
            return 1.0
        total, _reasons = self._explain(rows[0], [rows[1]], explain=False)[0]
        return min(max(total, 0.0), 1.0)

    # -- choosing the films ---------------------------------------------------------------

    def _select(
        self, movie_ids: Sequence[int], k: int, filters: Filters | None
    ) -> tuple[list[int], list[int], list[int] | None] | Invalid:
        """The seeds' rows, the rows of the best ``k`` films for them, and where each sits in
        the seed's stored neighbours (None: ranked on the fly)."""
        rows = self._rows(movie_ids)
        if isinstance(rows, Invalid):
            return rows
        mask = self._mask(filters) if filters is not None else None
        if isinstance(mask, Invalid):
            return mask
        neighbours = self.index.neighbours
        if len(rows) == 1 and mask is None and neighbours is not None:
            width = neighbours.shape[1]
            # the first few stored films are usually enough (the cap skips a few sequels)
            stored = self.index.neighbours_of(rows[0], 2 * k + 8)
            slots = self._walk(stored, set(rows), k)
            if len(slots) < k and len(stored) == min(2 * k + 8, width):
                stored = self.index.neighbours_of(rows[0])
                slots = self._walk(stored, set(rows), k)
            # a short stored list holds every related film; a full one may have been cut
            if len(slots) == k or len(stored) < width:
                return rows, [stored[i] for i in slots], slots
        return rows, self._ranked_pick(rows, mask, k), None

    def _rows(self, movie_ids: Sequence[int]) -> list[int] | Invalid:
        if not movie_ids:
            return Invalid("no_movie")
        rows: list[int] = []
        for movie_id in movie_ids:
            row = self.catalog.row(movie_id) if isinstance(movie_id, int | np.integer) else None
            if row is None:
                return Invalid("unknown_movie")
            if not self._featured[row]:
                return Invalid("no_features")
            if row not in rows:  # the same film twice counts once
                rows.append(row)
        return rows

    def _mask(self, filters: Filters) -> Mask | Invalid | None:
        """Which films the filters allow (None: all of them)."""
        if not filters.active:
            return None
        c = self.catalog
        mask = c.vote_count >= filters.min_votes
        if filters.year_from is not None:
            mask &= c.years >= filters.year_from
        if filters.year_to is not None:
            mask &= c.years <= filters.year_to
        if filters.genre:
            genre = self._genre_masks().get(fold(filters.genre))
            if genre is None:
                return Invalid("unknown_genre")
            mask &= genre
        return mask

    def _genre_masks(self) -> dict[str, Mask]:
        """Folded genre name → the films of that genre; made on the first genre filter."""
        if self._genres is None:
            self._genres = vectors.genre_masks(self.index.genres, self.catalog.genres)
        return self._genres

    def _pick(
        self, ranked: Sequence[int] | npt.NDArray[np.integer[Any]], exclude: set[int], k: int
    ) -> list[int]:
        """Walk the ranking, skipping the seeds and capping each collection."""
        rows: Sequence[int] = ranked.tolist() if isinstance(ranked, np.ndarray) else ranked
        return [rows[i] for i in self._walk(rows, exclude, k)]

    def _walk(self, ranked: Sequence[int], exclude: set[int], k: int) -> list[int]:
        """Positions in ``ranked`` of the films ``_pick`` picks."""
        return capped_walk(ranked, self.catalog.collection, self.collection_cap, exclude, k)

    # -- ranking on the fly ---------------------------------------------------------------

    def _ranked_pick(self, rows: list[int], mask: Mask | None, k: int) -> list[int]:
        """The best ``k`` films by cosine × prior (ties by row), as ``_pick`` walks them."""
        if self._columns is None:  # not in the index (no unpacked copy): made once, here
            self._columns = by_column(self.index.matrix)
        index = self.index
        scored = vectors.scores(index.matrix, self._columns, index.prior, rows, index.dense)
        if scored is None:
            return []
        # the seeds are never picked; left in, their near-1 scores would set the first cut
        scored[rows] = 0
        exclude = set(rows)
        # sort a few more than k: the seeds and sequels over the cap are skipped
        size = 2 * k + len(rows) + 16
        return vectors.best_first(
            scored, mask, k, size, lambda ranked: self._pick(ranked, exclude, k)
        )

    # -- explaining -----------------------------------------------------------------------

    def _recommend(
        self, seeds: list[int], picked: list[int], slots: list[int] | None = None
    ) -> list[Recommendation]:
        if not picked:
            return []
        c = self.catalog
        stored = self.index.explained
        if slots is not None and stored is not None:  # one seed, its stored neighbours
            ahead = bisect.bisect_left(slots, stored.width)  # slots ascend
            explained = stored.lookup(seeds[0], slots[:ahead], *self._explaining)
            if ahead < len(picked):
                explained += self._explain(seeds[0], picked[ahead:])
        else:
            explained = self._explain(seeds[0], picked)
        for seed in seeds[1:]:
            # explain each film by the seed it is closest to ("like Heat: Michael Mann")
            other = self._explain(seed, picked)
            explained = [b if b[0] > a[0] else a for a, b in zip(explained, other, strict=True)]
        ids, years, prior, titles = self._ids, self._years, self._prior, c.titles
        cosines = [min(max(total, 0.0), 1.0) for total, _why in explained]
        return [
            Recommendation(ids[row], titles[row], years[row], cos * prior[row], cos, why)
            for row, cos, (_total, why) in zip(picked, cosines, explained, strict=True)
        ]

    def _explain(
        self, seed: int, rows: Sequence[int], explain: bool = True
    ) -> list[tuple[float, tuple[Reason, ...]]]:
        """Each row's cosine with ``seed`` (the float32 sum, unclipped; plus the dense blocks'
        part) and their reasons (shared sparse features: a dense block has no words to show)."""
        shared, values, bounds, totals = vectors.compare(
            self.index.matrix, seed, rows, self.index.dense
        )
        if not explain:
            return [(total, ()) for total in totals]
        return [
            (total, reasons(shared, values, lo, hi, *self._explaining))
            for total, lo, hi in zip(totals, bounds[:-1], bounds[1:], strict=True)
        ]

    # -- for callers that explain films themselves (personal lists) ----------------------

    def _shared(self, a: int, b: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """Columns both rows have, and each one's contribution to their cosine."""
        cols_a, data_a = self.index.matrix.row(a)
        cols_b, data_b = self.index.matrix.row(b)
        shared, in_a, in_b = np.intersect1d(cols_a, cols_b, assume_unique=True, return_indices=True)
        return shared, data_a[in_a] * data_b[in_b]

    def _reasons(
        self, shared: npt.NDArray[np.int32], contribution: npt.NDArray[np.float32]
    ) -> tuple[Reason, ...]:
        """The reasons for these shared columns (ascending) and their contributions."""
        return reasons(shared.tolist(), contribution.tolist(), 0, len(shared), *self._explaining)


def _valid_k(k: object) -> bool:
    return isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= MAX_K


def capped_walk(
    ranked: Sequence[int], collections: Sequence[str | None], cap: int, exclude: set[int], k: int
) -> list[int]:
    """Positions of the first ``k`` rows of ``ranked`` (-1 pads), past ``exclude`` and ``cap``
    films of one collection: a list never fills up with one saga."""
    per_collection: dict[str, int] = {}
    picked: list[int] = []
    for i, row in enumerate(ranked):
        if row < 0 or row in exclude:
            continue
        collection = collections[row]
        if collection is not None:
            seen = per_collection.get(collection, 0)
            if seen >= cap:
                continue
            per_collection[collection] = seen + 1
        picked.append(i)
        if len(picked) == k:
            break
    return picked
