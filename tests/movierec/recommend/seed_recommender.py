"""The recommender as it was before the speed work (scipy products, intersect1d, Counter), kept
verbatim as the oracle the fast one must equal: same films, same order, same floats, same reasons.

Only the inputs changed: it takes the scipy matrix and the plain arrays instead of the index.
Since the dense blocks (semantic, collaborative), every cosine adds their part, computed by
:mod:`movierec.recommend.dense` (exact integer dot products, the same float in every path).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from movierec.catalog import Catalog
from movierec.recommend import dense
from movierec.recommend.index import SimilarityIndex
from movierec.recommend.recommender import (
    COLLECTION_CAP,
    MAX_REASONS,
    REASON_KINDS,
    VALUES_PER_REASON,
    WEAK_REASONS,
)
from movierec.results import Filters, Invalid, Reason, Recommendation
from movierec.search.text import fold

Rows = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]


class SeedRecommender:
    def __init__(
        self, catalog: Catalog, index: SimilarityIndex, collection_cap: int = COLLECTION_CAP
    ) -> None:
        self.catalog = catalog
        self.index = index
        self.collection_cap = collection_cap
        self._matrix: sp.csr_matrix = index.matrix.to_scipy()
        self._has_features = np.diff(self._matrix.indptr) > 0
        self._neighbours = None
        if index.neighbours is not None:
            stored = index.neighbours.astype(np.int32)
            stored[index.neighbours == index.pad] = -1
            self._neighbours = stored
        self._genres: dict[str, Mask] | None = None

    def similar(
        self, movie_id: int, k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid:
        return self.similar_to_many([movie_id], k, filters)

    def similar_to_many(
        self, movie_ids: Sequence[int], k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid:
        rows = self._rows(movie_ids)
        if isinstance(rows, Invalid):
            return rows
        chosen_filters = filters or Filters()
        mask = self._mask(chosen_filters)
        if isinstance(mask, Invalid):
            return mask
        if len(rows) == 1 and not chosen_filters.active and self._neighbours is not None:
            stored = self._neighbours[rows[0]]
            picked = self._pick(stored, set(rows), k)
            if len(picked) == k or int((stored >= 0).sum()) < len(stored):
                return self._recommend(rows, picked)
        ranked = self._rank(rows, mask)
        return self._recommend(rows, self._pick(ranked, set(rows), k))

    def similarity(self, a: int, b: int) -> float | Invalid:
        rows = self._rows([a, b])
        if isinstance(rows, Invalid):
            return rows
        if len(rows) == 1:
            return 1.0
        return min(max(self._cosine(rows[0], rows[1]), 0.0), 1.0)

    def _cosine(self, a: int, b: int) -> float:
        contribution = self._shared(a, b)[1]
        sparse = contribution.sum() if len(contribution) else np.float32(0)
        extra = dense.pairs(self.index.dense, np.asarray([a]), np.asarray([b]))[0]
        return float(np.float32(sparse) + extra)

    def _rows(self, movie_ids: Sequence[int]) -> list[int] | Invalid:
        if not movie_ids:
            return Invalid("no_movie")
        rows: list[int] = []
        for movie_id in movie_ids:
            row = self.catalog.row(movie_id) if isinstance(movie_id, int | np.integer) else None
            if row is None:
                return Invalid("unknown_movie")
            if not self._has_features[row]:
                return Invalid("no_features")
            if row not in rows:
                rows.append(row)
        return rows

    def _mask(self, filters: Filters) -> Mask | Invalid | None:
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
        if self._genres is None:
            genres: dict[str, Mask] = {}
            for row, names in enumerate(self.catalog.genres):
                for name in names:
                    key = fold(name)
                    if key not in genres:
                        genres[key] = np.zeros(len(self.catalog), dtype=bool)
                    genres[key][row] = True
            self._genres = genres
        return self._genres

    def _rank(self, rows: list[int], mask: Mask | None) -> Rows:
        query = np.asarray(self._matrix[rows].sum(axis=0)).ravel()
        blocks = self.index.dense
        extra = dense.scores(blocks, rows, self._matrix.shape[0])
        square = dense.square(extra, rows)
        sparse_norm = np.float32(np.linalg.norm(query))
        norm = np.float32(np.sqrt(sparse_norm * sparse_norm + np.float32(square)))
        if norm == 0:
            return np.empty(0, dtype=np.intp)
        scores = (self._matrix @ (query / norm)).astype(np.float32)
        if extra is not None:
            scores += extra / norm
        scores = scores * self.index.prior
        candidates = np.flatnonzero(scores > 0)
        if mask is not None:
            candidates = candidates[mask[candidates]]
        order = np.lexsort((candidates, -scores[candidates]))
        return candidates[order]

    def _pick(self, ranked: npt.NDArray[np.integer[Any]], exclude: set[int], k: int) -> list[int]:
        per_collection: Counter[str] = Counter()
        picked: list[int] = []
        for row in ranked.tolist():
            if row < 0 or row in exclude:
                continue
            collection = self.catalog.collection[row]
            if collection is not None:
                if per_collection[collection] >= self.collection_cap:
                    continue
                per_collection[collection] += 1
            picked.append(row)
            if len(picked) == k:
                break
        return picked

    def _row_vector(self, row: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        start, end = self._matrix.indptr[row], self._matrix.indptr[row + 1]
        return self._matrix.indices[start:end], self._matrix.data[start:end]

    def _shared(self, a: int, b: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        (cols_a, data_a), (cols_b, data_b) = self._row_vector(a), self._row_vector(b)
        shared, in_a, in_b = np.intersect1d(cols_a, cols_b, assume_unique=True, return_indices=True)
        return shared, data_a[in_a] * data_b[in_b]

    def _recommend(self, seeds: list[int], picked: list[int]) -> list[Recommendation]:
        c = self.catalog
        out = []
        for row in picked:
            _seed, shared, contribution = max(
                ((seed, *self._shared(seed, row)) for seed in seeds),
                key=lambda item: self._cosine(item[0], row),
            )
            cosine = min(max(self._cosine(_seed, row), 0.0), 1.0)
            out.append(
                Recommendation(
                    movie_id=int(c.ids[row]),
                    title=c.titles[row],
                    year=int(c.years[row]),
                    score=cosine * float(self.index.prior[row]),
                    similarity=cosine,
                    reasons=self._reasons(shared, contribution),
                )
            )
        return out

    def _reasons(
        self, shared: npt.NDArray[np.int32], contribution: npt.NDArray[np.float32]
    ) -> tuple[Reason, ...]:
        if not len(shared):
            return ()
        blocks = self.index.block_of(shared)
        totals: Counter[int] = Counter()
        for block, value in zip(blocks.tolist(), contribution.tolist(), strict=True):
            totals[block] += value

        def weak(block: int) -> bool:
            return REASON_KINDS[self.index.block_names[block]] in WEAK_REASONS

        strong = sorted((b for b in totals if not weak(b)), key=lambda b: -totals[b])
        filler = sorted((b for b in totals if weak(b)), key=lambda b: -totals[b])
        kinds = strong + (filler if len(strong) < 2 else [])
        reasons = []
        for block in kinds[:MAX_REASONS]:
            in_block = np.flatnonzero(blocks == block)
            strongest = in_block[np.argsort(-contribution[in_block], kind="stable")]
            labels = [self.index.labels[int(shared[i])] for i in strongest[:VALUES_PER_REASON]]
            reasons.append(Reason(REASON_KINDS[self.index.block_names[block]], tuple(labels)))
        return tuple(reasons)
