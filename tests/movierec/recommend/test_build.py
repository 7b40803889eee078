"""Building the neighbour lists, against brute force on small matrices: no catalog needed."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from movierec.recommend import build
from movierec.recommend.build import quality_prior, top_neighbours


def brute_force(matrix: sp.csr_matrix, prior: np.ndarray, top_n: int) -> list[list[int]]:
    scores = (matrix @ matrix.T).toarray() * prior[np.newaxis, :]
    out = []
    for row in range(matrix.shape[0]):
        others = [c for c in range(matrix.shape[0]) if c != row and scores[row, c] > 0]
        others.sort(key=lambda c: (-scores[row, c], c))
        out.append(others[:top_n])
    return out


@pytest.mark.parametrize(("n", "top_n", "chunk"), [(40, 5, 7), (12, 20, 512), (1, 3, 4)])
def test_top_neighbours_equal_brute_force(monkeypatch, n: int, top_n: int, chunk: int) -> None:
    monkeypatch.setattr(build, "CHUNK", chunk)  # several chunks, and a last short one
    rng = np.random.default_rng(n)
    dense = (rng.random((n, 15)) < 0.2) * rng.random((n, 15))
    matrix = sp.csr_matrix(normalize(dense).astype(np.float32))
    prior = quality_prior(rng.integers(0, 1000, n))
    rows = top_neighbours(matrix, prior, top_n)
    assert rows.shape == (n, top_n) and rows.dtype == np.int32
    got = [[int(r) for r in line if r >= 0] for line in rows]
    assert got == brute_force(matrix, prior, top_n)


def test_the_prior_sinks_obscure_films_without_removing_them() -> None:
    prior = quality_prior(np.array([0, 1, 10, 100, 10_000]))
    assert prior.dtype == np.float32
    assert np.all(np.diff(prior) > 0) and prior[-1] == pytest.approx(1.0)
    assert prior[0] > 0  # floored: a zero-vote film can still be recommended
    assert quality_prior(np.zeros(3, dtype=np.int64)).tolist() == pytest.approx([0.05**0.6] * 3)
