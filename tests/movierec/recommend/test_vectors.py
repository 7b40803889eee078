"""Feature-vector arithmetic: the sparse columns and the dense blocks of a ranking."""

from __future__ import annotations

import numpy as np

from movierec.recommend import dense, vectors
from movierec.recommend.dense import DenseBlock
from movierec.recommend.index import Csr, by_column


def test_seeds_with_only_a_dense_vector_rank_by_it() -> None:
    """A film with no sparse feature but a dense row (topics from its plot alone) still ranks
    films, by the dense part only: no sparse column to read is not an error."""
    matrix = Csr(np.array([0, 0, 1, 2]), np.array([0, 1], np.int32), np.ones(2, np.float32), (3, 2))
    steps = np.array([[1, 0], [1, 1], [0, 1]], np.int8)
    block = DenseBlock.of("semantic", np.arange(3), steps, np.ones(3, np.float32), 3)
    prior = np.array([1.0, 0.5, 0.25], np.float32)
    scored = vectors.scores(matrix, by_column(matrix), prior, [0], (block,))
    assert scored is not None
    part = dense.scores((block,), [0], 3)
    assert part is not None
    norm = vectors.query_norm(0.0, dense.square(part, [0]))
    np.testing.assert_array_equal(scored, part / norm * prior)
    assert scored[1] > 0 and scored[2] == 0  # film 1 shares the dense direction, film 2 not
