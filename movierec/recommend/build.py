"""Building the recommender index from the catalog tables (ETL time: scikit-learn, pyarrow).

The bot never imports this module: it loads what :func:`save` wrote through
:mod:`movierec.recommend.index`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq
import scipy.sparse as sp

from movierec import npz
from movierec.recommend import features
from movierec.recommend.index import FILE_NAME, TOP_N, Csr, SimilarityIndex
from movierec.search.lookup import StringTable
from movierec.search.text import fold

__all__ = [
    "CHUNK",
    "PRIOR_ALPHA",
    "PRIOR_FLOOR",
    "build",
    "build_step",
    "genre_rows",
    "quality_prior",
    "save",
    "top_neighbours",
]

CHUNK = 512  # films per sparse product while building
PRIOR_ALPHA = 0.6  # how much the vote count weighs against pure similarity
PRIOR_FLOOR = 0.05


def quality_prior(
    vote_count: npt.NDArray[np.integer[Any]], alpha: float = PRIOR_ALPHA
) -> npt.NDArray[np.float32]:
    """(log votes / log max votes) ** alpha, floored: zero-vote obscurities sink, not vanish."""
    scale = np.log1p(max(float(vote_count.max(initial=0)), 1.0))
    base = np.log1p(vote_count.astype(np.float64)) / scale
    prior: npt.NDArray[np.float32] = np.maximum(base, PRIOR_FLOOR).astype(np.float32)
    return prior ** np.float32(alpha)


def top_neighbours(
    matrix: sp.csr_matrix,
    prior: npt.NDArray[np.float32],
    top_n: int = TOP_N,
    rows: range | None = None,
) -> npt.NDArray[np.int32]:
    """Each row's best ``top_n`` other rows by cosine × prior, in chunks (never n × n).

    Rows best first, equal scores by row; -1 pads a list of fewer related films. ``rows``:
    only these films' lists (the benchmark times a sample of the build with it).
    """
    n = matrix.shape[0]
    wanted = rows if rows is not None else range(n)
    width = min(top_n, max(n - 1, 0))
    rows_out = np.full((len(wanted), top_n), -1, dtype=np.int32)
    scores_out = np.zeros((len(wanted), top_n), dtype=np.float32)
    transposed = matrix.T.tocsc()
    for chunk_start in range(0, len(wanted), CHUNK):
        chunk = wanted[chunk_start : chunk_start + CHUNK]
        first, last = chunk.start, chunk.stop
        out = slice(chunk_start, chunk_start + len(chunk))
        scores = (matrix[first:last] @ transposed).toarray()
        scores *= prior[np.newaxis, :]
        scores[np.arange(last - first), np.arange(first, last)] = -np.inf  # never itself
        if width == 0:
            continue
        part = np.argpartition(-scores, width - 1, axis=1)[:, :width]
        part_scores = np.take_along_axis(scores, part, axis=1)
        # best first; equal scores by row so the order is reproducible
        order = np.lexsort((part, -part_scores), axis=1)
        rows_out[out, :width] = np.take_along_axis(part, order, axis=1)
        scores_out[out, :width] = np.take_along_axis(part_scores, order, axis=1)
    rows_out[~(scores_out > 0)] = -1  # nothing in common is no recommendation
    return rows_out


def _rounded(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The matrix as stored (float16 values): build neighbours from exactly what is served."""
    stored = matrix.copy()
    stored.data = stored.data.astype(np.float16).astype(np.float32)
    return stored


def genre_rows(genres: list[list[str]]) -> dict[str, npt.NDArray[np.integer[Any]]]:
    """Folded genre name → the rows of its films, ascending: the genre filter's masks."""
    rows: dict[str, list[int]] = {}
    for row, names in enumerate(genres):
        for name in dict.fromkeys(fold(n) for n in names):
            rows.setdefault(name, []).append(row)
    return {name: np.asarray(rows[name], dtype=np.int32) for name in sorted(rows)}


def build(
    folder: Path,
    weights: dict[str, float] | None = None,
    alpha: float = PRIOR_ALPHA,
    precompute: bool = True,
    fields: features.FilmFields | None = None,
) -> SimilarityIndex:
    fields = fields or features.read_fields(folder)
    feature_matrix = features.build(fields, weights)
    matrix = _rounded(feature_matrix.matrix)
    votes = pq.read_table(folder / "movies.parquet", columns=["vote_count"])["vote_count"]
    prior = quality_prior(votes.to_numpy(), alpha)
    neighbours = top_neighbours(matrix, prior) if precompute else None
    return SimilarityIndex(
        ids=fields.ids.astype(np.int32),
        matrix=Csr.of(matrix),
        prior=prior,
        neighbours=neighbours,
        block_names=feature_matrix.block_names,
        block_starts=feature_matrix.block_starts,
        labels=StringTable.of(feature_matrix.labels),
        genres=genre_rows(fields.genres),
    )


def save(index: SimilarityIndex, path: Path) -> None:
    if index.neighbours is None:
        raise ValueError("only an index with precomputed neighbours is saved")
    matrix = index.matrix
    label_blob, label_offsets = index.labels.arrays()
    # film rows fit in uint16 while the catalog has fewer than 65,535 films
    row_type = np.uint16 if len(index.ids) < np.iinfo(np.uint16).max else np.int32
    neighbours = np.where(index.neighbours < 0, np.iinfo(row_type).max, index.neighbours)
    genres = index.genres or {}
    genre_sizes = [len(rows) for rows in genres.values()]
    npz.write(
        path,
        dict(
            ids=index.ids,
            data=matrix.data.astype(np.float16),
            indices=matrix.indices.astype(np.int32),
            indptr=matrix.indptr.astype(np.int64),
            shape=np.asarray(matrix.shape, dtype=np.int64),
            prior=index.prior,
            neighbours=neighbours.astype(row_type),
            block_names=np.asarray(index.block_names),
            block_starts=index.block_starts,
            label_blob=label_blob,
            label_offsets=label_offsets,
            # the genre filter's films, so the bot does not walk the catalog to find them
            genre_names=np.asarray(list(genres), dtype=str),
            genre_starts=np.concatenate(([0], np.cumsum(genre_sizes, dtype=np.int64))),
            genre_rows=np.concatenate([np.zeros(0, np.int32), *genres.values()]).astype(row_type),
        ),
    )


def build_step(staging: Path) -> dict[str, object]:
    """ETL derived step: write the index next to the freshly built catalog."""
    index = build(staging)
    save(index, staging / FILE_NAME)
    return {
        "recommender": {
            "file": FILE_NAME,
            "films": len(index.ids),
            "features": int(index.matrix.shape[1]),
            "top_n": TOP_N,
            "films_without_features": int((np.diff(index.matrix.indptr) == 0).sum()),
        }
    }
