"""Recommendations for one person: their ratings in, a ranked list with reasons out.

A profile is the films someone has seen, each rated 1-5 or unrated. Liked films (4-5) are the
seeds, weighted by how much they were liked (a 5 counts one and a half 4s); disliked films
(1-2) push down what is closer to them than to the likes. Neutral (3) and unrated films only
mark what was seen.
Nothing seen, disliked or excluded (a watch-later list) is ever recommended, filters are
respected, and the same profile always gives the same list, whatever order it arrives in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from movierec.catalog import Groups
from movierec.recommend import dense
from movierec.recommend.recommender import MAX_K, Recommender
from movierec.results import Filters, Invalid, Recommendation

__all__ = [
    "DISLIKED",
    "LIKED",
    "MAX_BECAUSE",
    "PUSH",
    "SECOND",
    "PersonalPick",
    "Rating",
    "for_you",
    "weight",
]

LIKED = 4  # ratings from here up are seeds
DISLIKED = 2  # ratings from here down push away
# How hard a film is pushed down for being closer to the dislikes than to the likes (by that
# margin, × PUSH). Only the margin counts: a plain penalty on any likeness to a disliked film
# cost a third of the hits on MovieLens (its people dislike films of the genres they watch).
PUSH = 1.0
MAX_BECAUSE = 2  # liked films named in "because you liked A and B"
SECOND = 0.7  # a film named after the first pulls at least this share of the first's pull


@dataclass(frozen=True)
class Rating:
    """One film someone has seen: ``rating`` 1-5, or None when seen without a rating."""

    movie_id: int
    rating: int | None = None


@dataclass(frozen=True)
class PersonalPick:
    """A recommended film and the liked films (TMDB ids) it is most like, strongest first."""

    recommendation: Recommendation
    because: tuple[int, ...]


def weight(rating: int | None) -> float:
    """A seed's pull: +1.5 for a 5, +1 for a 4, -1 for a 2, -1.5 for a 1, 0 otherwise.

    Half again for the extremes, so a 5 leads without drowning the 4s. On MovieLens (hide one
    liked film, validation users) 2:1 ranked worse than 1.5:1 (HR@10 0.196 vs 0.214); flat
    weights tied it (0.214, NDCG 0.120 vs 0.114: one hit's worth), so the choice is taste."""
    if rating is None or DISLIKED < rating < LIKED:
        return 0.0
    strength = 1.5 if rating in (1, 5) else 1.0
    return strength if rating >= LIKED else -strength


def for_you(
    recommender: Recommender,
    ratings: Iterable[Rating],
    k: int = 10,
    filters: Filters | None = None,
    exclude: Iterable[int] = (),
) -> list[PersonalPick] | Invalid:
    """Up to ``k`` films for someone with these ratings; ``exclude``: ids never to suggest.

    ``Invalid("no_movie")`` when no liked film is in the catalog with features to compare
    (films no longer in the catalog are skipped, not an error: a profile outlives catalogs).
    """
    if not (isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= MAX_K):
        return Invalid("bad_k")
    mask = recommender._mask(filters or Filters())
    if isinstance(mask, Invalid):
        return mask
    catalog = recommender.catalog
    has_features = np.diff(np.asarray(recommender.index.matrix.indptr)) > 0
    seen: set[int] = set()
    seeds: dict[int, float] = {}
    for item in sorted(ratings, key=lambda r: r.movie_id):  # order-independent
        row = catalog.row(item.movie_id)
        if row is None:
            continue
        seen.add(row)
        if has_features[row] and weight(item.rating) != 0:
            seeds[row] = weight(item.rating)
    seen.update(r for m in exclude if (r := catalog.row(m)) is not None)
    liked = sorted(r for r, w in seeds.items() if w > 0)
    if not liked:
        return Invalid("no_movie")
    disliked = sorted(r for r, w in seeds.items() if w < 0)
    scores = _scores(recommender, liked, disliked, seeds)
    candidates = np.flatnonzero(scores > 0)
    if mask is not None:
        candidates = candidates[mask[candidates]]
    ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
    picked = recommender._pick(ranked, seen, k)
    return _explain(recommender, liked, seeds, picked, scores)


# The feature matrix is read through its CSR arrays only (indptr, indices, data, shape), which
# scipy's csr_matrix and the index's own Csr both have: no sparse library is needed here.


def _vector(matrix: Any, row: int) -> tuple[npt.NDArray[Any], npt.NDArray[np.float32]]:
    start, end = int(matrix.indptr[row]), int(matrix.indptr[row + 1])
    return matrix.indices[start:end], matrix.data[start:end]


def _segments(
    matrix: Any, rows: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Where each row's values start in their concatenation, and the positions of those values
    in the matrix's ``indices``/``data``, rows one after another."""
    return Groups(np.asarray(matrix.indptr, dtype=np.int64), matrix.indices).segments(rows)


def _cosines(
    recommender: Recommender, rows: list[int], seeds: dict[int, float]
) -> npt.NDArray[np.float32]:
    """Every film's cosine to the weighted sum of these films' vectors (sparse features and
    dense blocks; rows are unit length).

    The profile is built once, in time and memory linear in the seeds: the sparse part by
    summing their stored values per column, each dense block's part as the weighted sum ``q``
    of their scaled rows, so a film's dense dot is ``scaled @ q`` and the block's share of the
    profile's squared length is ``q @ q`` (a Letterboxd import of 5,000 likes once built all
    25M pairs of them)."""
    matrix, blocks = recommender.index.matrix, recommender.index.dense
    films = matrix.shape[0]
    indptr, indices = np.asarray(matrix.indptr), np.asarray(matrix.indices)
    data = np.asarray(matrix.data)
    weights = np.asarray([abs(seeds[r]) for r in rows], dtype=np.float32)
    at = np.asarray(rows, dtype=np.int64)
    starts, stored = _segments(matrix, at)
    lengths = np.diff(np.append(starts, len(stored)))
    vector = np.bincount(
        indices[stored],
        weights=np.repeat(weights, lengths) * data[stored],
        minlength=matrix.shape[1],
    ).astype(np.float32)
    extra = np.zeros(films, dtype=np.float32)  # dense part of each film's dot
    square = float(vector @ vector)
    for block in blocks:
        positions = block.position[at]
        inside = positions >= 0
        if not inside.any():
            continue
        query = weights[inside] @ block.scaled[positions[inside]]
        square += float(query @ query)
        if len(block.rows) == films:  # every film in order: no scatter
            extra += block.scaled @ query
        else:
            extra[block.rows] += block.scaled @ query
    if square <= 0:
        return extra * 0
    out = np.zeros(films, dtype=np.float32)
    products = data * vector[indices]
    filled = np.diff(indptr) > 0
    if products.size:
        # segments start where each non-empty row does; empty rows in between add nothing
        out[filled] = np.add.reduceat(products, indptr[:-1][filled])
    return np.asarray((out + extra) / np.float32(np.sqrt(square)), dtype=np.float32)


def _scores(
    recommender: Recommender, liked: list[int], disliked: list[int], seeds: dict[int, float]
) -> npt.NDArray[np.float32]:
    """Per film: cosine to the liked profile, minus PUSH × how much closer it is to the
    disliked one, × the popularity prior."""
    toward = _cosines(recommender, liked, seeds)
    if disliked:
        away = _cosines(recommender, disliked, seeds)
        toward -= PUSH * np.maximum(away - toward, 0.0)
    return np.asarray(toward * recommender.index.prior, dtype=np.float32)


def _explain(
    recommender: Recommender,
    liked: list[int],
    seeds: dict[int, float],
    picked: Sequence[int],
    scores: npt.NDArray[np.float32],
) -> list[PersonalPick]:
    """Each pick with the liked films it is most like and the features it shares with the
    closest one (the same reasons /recomendar gives)."""
    if not picked:
        return []
    matrix, blocks = recommender.index.matrix, recommender.index.dense
    # cosine of every liked seed to every pick, weighted by how much the seed was liked: one
    # vectorised pass over the seeds' stored values per pick (every seed has features, so no
    # segment is empty)
    at = np.asarray(liked, dtype=np.int64)
    starts, stored = _segments(matrix, at)
    columns, values = np.asarray(matrix.indices)[stored], np.asarray(matrix.data)[stored]
    weights = np.asarray([seeds[seed] for seed in liked])
    pulls = np.zeros((len(liked), len(picked)))
    for column, row in enumerate(picked):
        full = np.zeros(matrix.shape[1], dtype=np.float32)
        pick_columns, pick_values = _vector(matrix, row)
        full[pick_columns] = pick_values
        sparse = np.add.reduceat(values * full[columns], starts)
        extra = dense.pairs(blocks, at, np.full(len(liked), row))
        pulls[:, column] = weights * (sparse + extra)
    catalog = recommender.catalog
    out = []
    for column, row in enumerate(picked):
        order = sorted(range(len(liked)), key=lambda i: (-pulls[i, column], liked[i]))
        # a second film is named only when it pulls about as hard as the first: Heat shares a
        # decade with Toy Story 2, which is no reason to name it
        best = pulls[order[0], column]
        strongest = [liked[i] for i in order[:MAX_BECAUSE] if pulls[i, column] >= SECOND * best > 0]
        closest = strongest[0] if strongest else liked[order[0]]
        shared, contribution = recommender._shared(closest, row)
        extra = dense.pairs(blocks, np.asarray([closest]), np.asarray([row]))[0]
        cosine = np.float32(contribution.sum()) + extra
        recommendation = Recommendation(
            movie_id=int(catalog.ids[row]),
            title=catalog.titles[row],
            year=int(catalog.years[row]),
            score=float(scores[row]),
            similarity=min(max(float(cosine), 0.0), 1.0),
            reasons=recommender._reasons(shared, contribution),
        )
        out.append(PersonalPick(recommendation, tuple(int(catalog.ids[r]) for r in strongest)))
    return out
