"""Films the catalog does not have, ranked against it through the recommender's own columns.

A live film (from TMDB, after the dataset ends) brings names — genres, keywords, directors,
cast, a collection, companies, countries and languages — a year and text. Each name is mapped
to the index's column with that label inside the same block, weighted the way the build
weighted that block, and the query ranks the catalog as a film row would: cosine × prior.

The index stores the final rows, not the build's IDF or block weights, so those are recovered
from the rows themselves (nothing in the build is imported: it needs scikit-learn):

- IDF is scikit-learn's smoothed ``ln((1 + n) / (1 + df)) + 1`` with ``df`` = the films having
  the column, which is what the build computed (pruning by min_df drops columns, it does not
  change the df of those kept).
- Block weights: a film row is its blocks, each L2-normalised and scaled by ``sqrt(weight)``,
  normalised again; so in one row the squared norms of two blocks stand in the ratio of their
  weights. The median ratio to the genres block over the films having both gives each weight
  (up to a common factor, which the final normalisation removes).
- Plot words: lower-cased ``\\w\\w+`` tokens (scikit-learn's default pattern) that the plot
  block has as columns, sublinear tf; stop words were never columns, so no list is needed.
- Cast: ``1 / (1 + CAST_DECAY × position)`` for the first ``CAST_DEPTH`` names, as the build.
- The dense blocks (semantic topics, collaborative factors) cannot be computed for a live film
  without the build's models, so the query is a cosine over the sparse blocks only: each
  catalog row's sparse part is rescaled to unit length (its dense part took a share of the
  unit, larger for films with collaborative factors, which would otherwise sink).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from movierec.catalog import Catalog
from movierec.recommend.index import SimilarityIndex
from movierec.recommend.recommender import (
    COLLECTION_CAP,
    MAX_K,
    MAX_REASONS,
    REASON_KINDS,
    VALUES_PER_REASON,
    WEAK_REASONS,
    capped_walk,
)
from movierec.results import Invalid, Reason, Recommendation

__all__ = ["CAST_DECAY", "CAST_DEPTH", "LiveFeatures", "Projector"]

# The build's billing weights (movierec.recommend.features; a test checks they agree)
CAST_DEPTH = 8
CAST_DECAY = 0.15
WORD = re.compile(r"(?u)\b\w\w+\b")
SHORTLIST = 8  # films ranked per film wanted, so the collection cap still leaves k


@dataclass(frozen=True)
class LiveFeatures:
    """What a film outside the catalog is described by, in the catalog's (English) names."""

    genres: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()  # billing order
    collection: str | None = None
    companies: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()  # production country names and spoken language names
    year: int | None = None
    plot: str = ""  # tagline and overview


Vector = dict[int, float]  # column → value


class Projector:
    """Ranks the catalog for :class:`LiveFeatures`; everything it derives is built on first
    use (about a second's arrays), so an engine that never sees a live film pays nothing."""

    def __init__(
        self, catalog: Catalog, index: SimilarityIndex, collection_cap: int = COLLECTION_CAP
    ) -> None:
        self.catalog = catalog
        self.index = index
        self.collection_cap = collection_cap
        self._lock = threading.Lock()
        self._ready = False
        self._columns: dict[str, dict[str, int]] = {}
        self._idf: npt.NDArray[np.float32] = np.empty(0, dtype=np.float32)
        self._weights: dict[str, float] = {}
        self._owners: npt.NDArray[np.int32] = np.empty(0, dtype=np.int32)
        # per film: 1 / the length of its sparse part (see the module's docstring)
        self._rescale: npt.NDArray[np.float32] = np.empty(0, dtype=np.float32)

    # -- the query ------------------------------------------------------------------------

    def query(self, features: LiveFeatures) -> Vector:
        """The features as an L2-normalised row of the index (column → value)."""
        self._prepare()
        parts: dict[str, Counter[str]] = {
            "genres": Counter(set(features.genres)),
            "keywords": Counter(set(features.keywords)),
            "directors": Counter(set(features.directors)),
            "collection": Counter([features.collection] if features.collection else []),
            "companies": Counter(set(features.companies)),
            "origin": Counter(set(features.origin)),
            "decade": Counter([f"{features.year // 10 * 10}s"] if features.year else []),
            "plot": Counter(WORD.findall(features.plot.lower())),
        }
        vector: Vector = {}
        for block, weight in self._weights.items():
            if block == "cast":
                raw = self._cast(features.cast)
            elif block in parts:
                # sublinear tf as the build: 1 + ln(tf); names occur once
                raw = {
                    col: (1.0 + math.log(tf)) * float(self._idf[col])
                    for label, tf in parts[block].items()
                    if (col := self._columns[block].get(label)) is not None
                }
            else:
                continue
            norm = math.sqrt(sum(v * v for v in raw.values()))
            if norm > 0:
                scale = math.sqrt(weight) / norm
                vector.update({col: v * scale for col, v in raw.items()})
        total = math.sqrt(sum(v * v for v in vector.values()))
        return {col: v / total for col, v in vector.items()} if total > 0 else {}

    def _cast(self, cast: tuple[str, ...]) -> Vector:
        raw: Vector = {}
        for position, name in enumerate(cast[:CAST_DEPTH]):
            col = self._columns["cast"].get(name)
            if col is not None:
                raw[col] = raw.get(col, 0.0) + float(self._idf[col]) / (1 + CAST_DECAY * position)
        return raw

    # -- ranking --------------------------------------------------------------------------

    def similar(self, features: LiveFeatures, k: int = 5) -> list[Recommendation] | Invalid:
        """The catalog's films most like ``features``, best first, each with its reasons."""
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
            return Invalid("bad_k")
        vector = self.query(features)
        if not vector:
            return Invalid("no_features")
        matrix = self.index.matrix
        dense = np.zeros(int(matrix.shape[1]), dtype=np.float32)
        dense[list(vector)] = list(vector.values())
        cosine = np.bincount(
            self._owners, weights=matrix.data * dense[matrix.indices], minlength=len(self.catalog)
        ).astype(np.float32)
        cosine *= self._rescale
        scores = cosine * self.index.prior
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k * SHORTLIST:
            kept = np.argpartition(-scores[candidates], k * SHORTLIST)[: k * SHORTLIST]
            candidates = candidates[kept]
        ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [self._recommend(int(r), vector, float(scores[r])) for r in self._pick(ranked, k)]

    def _pick(self, ranked: npt.NDArray[np.integer[Any]], k: int) -> list[int]:
        rows: list[int] = ranked.tolist()
        walk = capped_walk(rows, self.catalog.collection, self.collection_cap, set(), k)
        return [rows[i] for i in walk]

    def _recommend(self, row: int, vector: Vector, score: float) -> Recommendation:
        matrix = self.index.matrix
        start, end = int(matrix.indptr[row]), int(matrix.indptr[row + 1])
        shared = [
            (int(col), float(value) * vector[int(col)])
            for col, value in zip(matrix.indices[start:end], matrix.data[start:end], strict=True)
            if int(col) in vector
        ]
        cosine = min(max(sum(c for _, c in shared) * float(self._rescale[row]), 0.0), 1.0)
        return Recommendation(
            movie_id=int(self.catalog.ids[row]),
            title=self.catalog.titles[row],
            year=int(self.catalog.years[row]),
            score=score,
            similarity=cosine,
            reasons=self._reasons(shared),
        )

    def _reasons(self, shared: list[tuple[int, float]]) -> tuple[Reason, ...]:
        """Shared columns grouped by kind, strongest first; era, origin and plot words only
        when little else is shared (as for catalog films)."""
        if not shared:
            return ()
        blocks = self.index.block_of(np.asarray([col for col, _ in shared]))
        by_block: dict[int, list[tuple[float, int]]] = {}
        for block, (col, contribution) in zip(blocks.tolist(), shared, strict=True):
            by_block.setdefault(block, []).append((contribution, col))
        names = self.index.block_names

        def total(block: int) -> float:
            return -sum(c for c, _ in by_block[block])

        weak = sorted((b for b in by_block if REASON_KINDS[names[b]] in WEAK_REASONS), key=total)
        strong = sorted((b for b in by_block if b not in weak), key=total)
        reasons = []
        for block in (strong + (weak if len(strong) < 2 else []))[:MAX_REASONS]:
            best = sorted(by_block[block], key=lambda item: (-item[0], item[1]))
            labels = tuple(self.index.labels[col] for _, col in best[:VALUES_PER_REASON])
            reasons.append(Reason(REASON_KINDS[names[block]], labels))
        return tuple(reasons)

    # -- what the index does not store, recovered from it ---------------------------------

    def _prepare(self) -> None:
        with self._lock:
            if self._ready:
                return
            index, matrix = self.index, self.index.matrix
            n_rows, n_columns = int(matrix.shape[0]), int(matrix.shape[1])
            sizes = np.diff(np.asarray(matrix.indptr))
            self._owners = np.repeat(np.arange(n_rows, dtype=np.int32), sizes)
            df = np.bincount(np.asarray(matrix.indices), minlength=n_columns)
            self._idf = (np.log((1 + n_rows) / (1 + df)) + 1).astype(np.float32)
            square = np.bincount(
                self._owners,
                weights=np.asarray(matrix.data, dtype=np.float64) ** 2,
                minlength=n_rows,
            )
            norm = np.sqrt(square)
            self._rescale = np.divide(1.0, norm, out=np.zeros_like(norm), where=norm > 0).astype(
                np.float32
            )
            self._weights = self._block_weights()
            starts = [int(s) for s in index.block_starts]
            for b, name in enumerate(index.block_names):
                if name in REASON_KINDS:
                    labels = index.labels[starts[b] : starts[b + 1]]
                    self._columns[name] = {label: starts[b] + i for i, label in enumerate(labels)}
            self._ready = True

    def _block_weights(self) -> dict[str, float]:
        """Each known block's weight relative to genres (see the module's docstring)."""
        index, matrix = self.index, self.index.matrix
        n_blocks = len(index.block_names)
        blocks = index.block_of(np.asarray(matrix.indices))
        squares = np.bincount(
            self._owners.astype(np.int64) * n_blocks + blocks,
            weights=np.asarray(matrix.data, dtype=np.float64) ** 2,
            minlength=int(matrix.shape[0]) * n_blocks,
        ).reshape(-1, n_blocks)
        reference = index.block_names.index("genres") if "genres" in index.block_names else 0
        weights: dict[str, float] = {}
        for b, name in enumerate(index.block_names):
            both = (squares[:, b] > 0) & (squares[:, reference] > 0)
            if name in REASON_KINDS and both.any():
                weights[name] = float(np.median(squares[both, b] / squares[both, reference]))
        return weights
