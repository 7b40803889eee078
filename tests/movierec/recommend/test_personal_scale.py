"""/parami's cost grows with the number of liked films, not with its square.

A Letterboxd import brings thousands of likes; the profile used to be built from every pair
of them (5,000 likes: about 4.4 GB). The reference below is that first implementation, kept
to check the linear one computes the same cosines.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from movierec.recommend import dense, personal
from movierec.recommend.personal import Rating


def reference_cosines(recommender, rows, seeds):
    """The quadratic original: every pair of seeds for the dense part of the squared length."""
    matrix, blocks = recommender.index.matrix, recommender.index.dense
    vector = np.zeros(matrix.shape[1], dtype=np.float32)
    extra = np.zeros(matrix.shape[0], dtype=np.float32)
    for row in rows:
        start, end = int(matrix.indptr[row]), int(matrix.indptr[row + 1])
        vector[matrix.indices[start:end]] += abs(seeds[row]) * matrix.data[start:end]
        dots = dense.scores(blocks, [row], matrix.shape[0])
        if dots is not None:
            extra += abs(seeds[row]) * dots
    weights = np.asarray([abs(seeds[r]) for r in rows], dtype=np.float32)
    first, second = np.repeat(rows, len(rows)), np.tile(rows, len(rows))
    pair_weights = np.repeat(weights, len(rows)) * np.tile(weights, len(rows))
    square = float(vector @ vector) + float(pair_weights @ dense.pairs(blocks, first, second))
    indptr = np.asarray(matrix.indptr)
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    products = np.asarray(matrix.data) * vector[np.asarray(matrix.indices)]
    filled = np.diff(indptr) > 0
    out[filled] = np.add.reduceat(products, indptr[:-1][filled])
    return (out + extra) / np.float32(np.sqrt(square))


def most_voted(engine, count: int) -> list[int]:
    catalog = engine.catalog
    featured = np.diff(np.asarray(engine._recommender.index.matrix.indptr)) > 0
    order = [r for r in np.argsort(-catalog.vote_count, kind="stable") if featured[r]]
    return [int(r) for r in order[:count]]


def test_the_profile_is_the_same_as_summing_every_pair(shipped_engine) -> None:
    recommender = shipped_engine._recommender
    rows = most_voted(shipped_engine, 40)
    seeds = {row: (1.5, 1.0, -1.0, -1.5)[i % 4] for i, row in enumerate(rows)}
    for group in ([r for r in rows if seeds[r] > 0], [r for r in rows if seeds[r] < 0]):
        expected = reference_cosines(recommender, group, seeds)
        found = personal._cosines(recommender, sorted(group), seeds)
        assert found.dtype == np.float32
        np.testing.assert_allclose(found, expected, rtol=1e-4, atol=1e-6)


def test_explanations_name_the_seed_that_pulls_most(shipped_engine) -> None:
    liked = sorted(most_voted(shipped_engine, 12))
    ids = [int(shipped_engine.catalog.ids[r]) for r in liked]
    stars = {m: 5 if i % 2 else 4 for i, m in enumerate(ids)}
    picks = shipped_engine.for_you([Rating(m, s) for m, s in stars.items()])
    assert not isinstance(picks, personal.Invalid) and picks
    for pick in picks:
        target = pick.recommendation.movie_id
        similarity = shipped_engine.similarity
        pull = {m: personal.weight(s) * similarity(m, target) for m, s in stars.items()}
        assert pull[pick.because[0]] == pytest.approx(max(pull.values()), abs=1e-5)


def test_thousands_of_likes_cost_memory_linear_in_them(shipped_engine) -> None:
    rows = most_voted(shipped_engine, 3_100)
    ids = [int(shipped_engine.catalog.ids[r]) for r in rows]
    profile = [Rating(m, 5 if i % 3 else 4) for i, m in enumerate(ids[:3_000])]
    profile += [Rating(m, 1) for m in ids[3_000:]]
    shipped_engine.for_you(profile[:3], k=10)  # lazy state loaded outside the measure
    tracemalloc.start()
    try:
        picks = shipped_engine.for_you(profile, k=10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not isinstance(picks, personal.Invalid) and len(picks) == 10
    assert not {p.recommendation.movie_id for p in picks} & set(ids)
    # the catalog-wide arrays (one float per stored value) are the floor; pairs of 3,000 likes
    # would need 1.7 GB
    assert peak < 30_000_000, f"{peak / 1e6:.0f} MB"
