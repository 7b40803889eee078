"""Dense blocks: a pair's value is one float in every path (pairs, ranking, the build), and a
built index's rows keep unit length with their dense blocks."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from movierec.recommend import build, dense
from movierec.recommend.dense import DenseBlock


def blocks(n: int = 60, seed: int = 7) -> tuple[DenseBlock, ...]:
    """A block over every film (some zero rows) and one over a subset."""
    rng = np.random.default_rng(seed)
    every = rng.integers(-127, 128, (n, 8)).astype(np.int8)
    every[::9] = 0  # films without words
    some = np.sort(rng.choice(n, n // 3, replace=False)).astype(np.int32)
    return (
        DenseBlock.of("semantic", np.arange(n), every, rng.random(n).astype(np.float32), n),
        DenseBlock.of(
            "collaborative",
            some,
            rng.integers(-127, 128, (len(some), 5)).astype(np.int8),
            rng.random(len(some)).astype(np.float32),
            n,
        ),
    )


def test_a_pair_is_one_float_alone_and_in_a_batch_and_the_ranking_agrees() -> None:
    chosen = blocks()
    n = 60
    a = np.arange(n)
    for seed in (0, 4, 13):
        alone = [dense.pairs(chosen, np.asarray([seed]), np.asarray([b]))[0] for b in range(n)]
        batch = dense.pairs(chosen, np.full(n, seed), a)
        assert np.array_equal(dense.pairs_with(chosen, seed, a), batch)
        ranked = dense.scores(chosen, [seed], n)
        assert ranked is not None
        assert np.array_equal(np.asarray(alone, dtype=np.float32), batch)
        np.testing.assert_allclose(ranked, batch, atol=1e-6 * np.abs(batch).max())  # rounding
        # symmetric, bit for bit
        assert np.array_equal(batch, dense.pairs(chosen, a, np.full(n, seed)))


def test_values_are_the_scaled_dot_products() -> None:
    chosen = blocks()
    semantic, collaborative = chosen
    a, b = int(collaborative.rows[0]), int(collaborative.rows[1])
    expected = 0.0
    for block in chosen:
        i, j = block.position[a], block.position[b]
        expected += block.scale[i] * block.scale[j] * float(block.steps[i] @ block.steps[j])
    got = dense.pairs(chosen, np.asarray([a]), np.asarray([b]))[0]
    assert got == pytest.approx(expected, rel=1e-6)
    outside = int(np.setdiff1d(np.arange(60), collaborative.rows)[0])
    only_semantic = dense.pairs(semantic and (semantic,), np.asarray([a]), np.asarray([outside]))
    assert dense.pairs(chosen, np.asarray([a]), np.asarray([outside]))[0] == only_semantic[0]


def test_several_seeds_add_up_and_no_block_is_nothing() -> None:
    chosen = blocks()
    both = dense.scores(chosen, [3, 8], 60)
    one, other = dense.scores(chosen, [3], 60), dense.scores(chosen, [8], 60)
    assert both is not None and one is not None and other is not None
    np.testing.assert_allclose(both, one + other, rtol=1e-6, atol=1e-6)
    square = sum(
        float(dense.pairs(chosen, np.asarray([s]), np.asarray([t]))[0])
        for s in (3, 8)
        for t in (3, 8)
    )
    assert dense.square(both, [3, 8]) == pytest.approx(square, rel=1e-5)
    assert dense.scores((), [3], 60) is None and dense.square(None, [3]) == 0.0


def test_stored_and_read_back() -> None:
    chosen = blocks()
    arrays = dense.to_arrays(chosen, np.uint16)
    assert arrays["dense.semantic.steps"].dtype == np.int8
    assert "dense.semantic.rows" not in arrays  # every film: no rows stored
    again = dense.from_arrays(arrays, 60)
    assert [b.name for b in again] == ["semantic", "collaborative"]
    for old, new in zip(chosen, again, strict=True):
        assert np.array_equal(old.steps, new.steps) and np.array_equal(old.scale, new.scale)
        assert np.array_equal(old.position, new.position)
    assert dense.from_arrays({}, 60) == ()


def test_the_build_ranks_with_the_same_dense_values(monkeypatch) -> None:
    monkeypatch.setattr(build, "CHUNK", 7)
    n = 60
    rng = np.random.default_rng(3)
    matrix = sp.csr_matrix(normalize((rng.random((n, 15)) < 0.2) * rng.random((n, 15))))
    matrix = matrix.astype(np.float32)
    prior = build.quality_prior(rng.integers(0, 1000, n))
    chosen = blocks()
    rows = build.top_neighbours(matrix, prior, 10, dense=chosen)
    sparse = (matrix @ matrix.T).toarray()
    for row in range(n):
        extra = dense.pairs(chosen, np.full(n, row), np.arange(n))
        scores = (sparse[row] + extra) * prior
        scores[row] = -np.inf
        others = [c for c in range(n) if scores[c] > 0]
        others.sort(key=lambda c: (-scores[c], c))
        got = [int(r) for r in rows[row] if r >= 0]
        np.testing.assert_allclose(scores[got], scores[others[:10]], atol=1e-6)
