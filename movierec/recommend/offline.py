"""Ranking many seed films at once from the build's matrices (evaluation and tuning only).

What the bot serves for a film is its stored neighbours walked with the collection cap; this
computes the same lists for a few thousand seeds straight from a feature matrix, so a choice
of blocks and weights is scored without building (and storing) every film's neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from movierec.recommend.recommender import COLLECTION_CAP, capped_walk

__all__ = ["CHUNK", "top_lists"]

CHUNK = 256  # seeds per product


def top_lists(
    matrix: sp.csr_matrix,
    dense: npt.NDArray[np.float32] | None,
    prior: npt.NDArray[np.float32],
    seeds: Sequence[int],
    collections: Sequence[str | None],
    k: int,
    extra: Any = None,
) -> dict[int, list[int]]:
    """Seed row → its best ``k`` rows by (sparse cosine + dense dot [+ ``extra(seeds)``]) ×
    prior, best first (ties by row), past the seed and the collection cap."""
    unique = sorted(set(seeds))
    transposed = matrix.T.tocsc()
    out: dict[int, list[int]] = {}
    width = min(8 * k + 16, matrix.shape[0] - 1)
    for start in range(0, len(unique), CHUNK):
        chunk = np.asarray(unique[start : start + CHUNK])
        scores = np.asarray((matrix[chunk] @ transposed).todense(), dtype=np.float32)
        if dense is not None and dense.shape[1]:
            scores += dense[chunk] @ dense.T
        if extra is not None:
            scores += extra(chunk)
        scores *= prior[np.newaxis, :]
        scores[np.arange(len(chunk)), chunk] = -np.inf
        part = np.argpartition(-scores, width - 1, axis=1)[:, :width]
        part_scores = np.take_along_axis(scores, part, axis=1)
        order = np.lexsort((part, -part_scores), axis=1)
        ranked = np.take_along_axis(part, order, axis=1)
        ranked_scores = np.take_along_axis(part_scores, order, axis=1)
        for i, seed in enumerate(chunk.tolist()):
            rows = [
                r if s > 0 else -1
                for r, s in zip(ranked[i].tolist(), ranked_scores[i], strict=True)
            ]
            picked = capped_walk(rows, collections, COLLECTION_CAP, {seed}, k)
            out[seed] = [rows[p] for p in picked]
    return out
