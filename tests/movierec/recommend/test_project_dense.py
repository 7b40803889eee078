"""Live films are compared over the sparse blocks only: the dense blocks' share of a catalog
row does not sink the films that have them (recommend/project.py)."""

from __future__ import annotations

import numpy as np
import pytest

from movierec.recommend.project import LiveFeatures, Projector


def test_a_rows_own_sparse_part_has_cosine_one_with_or_without_dense_blocks(
    shipped_engine,
) -> None:
    projector = Projector(shipped_engine.catalog, shipped_engine._recommender.index)
    projector.query(LiveFeatures(genres=("Drama",)))  # prepares what the index does not store
    index, matrix = projector.index, projector.index.matrix
    if not index.dense:
        pytest.skip("an index without dense blocks")
    partial = [b for b in index.dense if len(b.rows) < len(index.ids)]
    with_block = partial[0].rows[:10].tolist() if partial else []
    rows = with_block + np.flatnonzero(index.dense[0].position < 10)[:10].tolist()
    for row in rows:
        columns, values = matrix.row(int(row))
        if not len(values):
            continue
        unit = values / np.linalg.norm(values)
        vector = dict(zip(columns.tolist(), unit.tolist(), strict=True))
        found = projector._recommend(int(row), vector, 0.0)
        assert found.similarity == pytest.approx(1.0, abs=1e-3)
