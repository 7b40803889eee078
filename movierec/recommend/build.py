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

from movierec import catalog as catalog_module
from movierec import npz
from movierec.recommend import collaborative, features, semantic
from movierec.recommend import dense as dense_module
from movierec.recommend.dense import DenseBlock
from movierec.recommend.index import FILE_NAME, TOP_N, Csr, SimilarityIndex
from movierec.search.lookup import StringTable
from movierec.search.text import fold

__all__ = [
    "CHUNK",
    "DENSE_WEIGHTS",
    "PRIOR_ALPHA",
    "PRIOR_FLOOR",
    "build",
    "build_step",
    "dense_blocks",
    "genre_rows",
    "quality_prior",
    "save",
    "top_neighbours",
]

CHUNK = 512  # films per sparse product while building
# Weights of the dense blocks, on the sparse blocks' scale (features.DEFAULT_WEIGHTS: genres
# 1.0…), chosen on the evaluation's validation users (README, "Evaluation"); 0: left out.
DENSE_WEIGHTS = {"semantic": 0.3, "collaborative": 3.0}
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
    dense: tuple[DenseBlock, ...] = (),
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
        for block in dense:  # the same floats as dense.pairs (exact integer dot products)
            mine = block.position[first:last]
            inside = np.flatnonzero(mine >= 0)
            at = mine[inside]
            dots = block.steps[at] @ block.steps.T
            part = (block.scale[at][:, np.newaxis] * block.scale[np.newaxis, :]) * dots
            scores[inside[:, np.newaxis], block.rows[np.newaxis, :]] += part
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


def dense_blocks(
    folder: Path, fields: features.FilmFields, source: Path | None
) -> dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.int8]]]:
    """Each dense block's films and int8 unit vectors: the semantic topics of every film's
    words, and the collaborative factors when ``source`` holds MovieLens ratings."""
    n = len(fields.ids)
    topics = semantic.topics(
        semantic.documents(fields, semantic.lead_paragraphs(folder, fields.ids))
    )
    # every film, a zero row for those without words: a block over every film is ranked with
    # one product and no scatter (see dense.scores)
    out = {"semantic": (np.arange(n, dtype=np.int32), semantic.quantise(topics))}
    frame = None
    if source is not None:
        frame = collaborative.training_ratings(source, catalog_module.load(folder))
    if frame is not None:
        rows, vectors = collaborative.factors(frame, n)
        out["collaborative"] = (rows, semantic.quantise(vectors))
    return {name: block for name, block in out.items() if len(block[0]) and block[1].shape[1]}


def build(
    folder: Path,
    weights: dict[str, float] | None = None,
    alpha: float = PRIOR_ALPHA,
    precompute: bool = True,
    fields: features.FilmFields | None = None,
    source: Path | None = None,
    dense_weights: dict[str, float] | None = None,
    blocks: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.int8]]] | None = None,
) -> SimilarityIndex:
    """The index of the catalog in ``folder``; ``source``: where MovieLens ratings are (the
    Kaggle folder) for the collaborative block; ``blocks``: :func:`dense_blocks` already made
    (the evaluation tries several weights on the same ones)."""
    fields = fields or features.read_fields(folder)
    n = len(fields.ids)
    chosen = {**DENSE_WEIGHTS, **(dense_weights or {})}
    if blocks is None:
        blocks = dense_blocks(folder, fields, source)
    stored = {name: block for name, block in blocks.items() if chosen.get(name, 0) > 0}
    extra = np.zeros(n)
    for name, (rows, steps) in stored.items():
        extra[rows[np.abs(steps).sum(axis=1) > 0]] += chosen[name]
    feature_matrix = features.build(fields, weights, extra)
    norms = feature_matrix.norms if feature_matrix.norms is not None else np.ones(n)
    dense = []
    for name, (rows, steps) in stored.items():
        length = np.linalg.norm(steps.astype(np.float64), axis=1)
        scale = np.sqrt(chosen[name]) / np.maximum(norms[rows] * length, 1e-12)
        scale[length == 0] = 0
        dense.append(DenseBlock.of(name, rows, steps, scale.astype(np.float32), n))
    matrix = _rounded(feature_matrix.matrix)
    votes = pq.read_table(folder / "movies.parquet", columns=["vote_count"])["vote_count"]
    prior = quality_prior(votes.to_numpy(), alpha)
    neighbours = top_neighbours(matrix, prior, dense=tuple(dense)) if precompute else None
    return SimilarityIndex(
        ids=fields.ids.astype(np.int32),
        matrix=Csr.of(matrix),
        prior=prior,
        neighbours=neighbours,
        block_names=feature_matrix.block_names,
        block_starts=feature_matrix.block_starts,
        labels=StringTable.of(feature_matrix.labels),
        genres=genre_rows(fields.genres),
        dense=tuple(dense),
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
            **dense_module.to_arrays(index.dense, row_type),
        ),
    )


def build_step(staging: Path, source: Path | None = None) -> dict[str, object]:
    """ETL derived step: write the index next to the freshly built catalog (``source``: the
    Kaggle folder, read for MovieLens ratings)."""
    index = build(staging, source=source)
    save(index, staging / FILE_NAME)
    return {
        "recommender": {
            "file": FILE_NAME,
            "films": len(index.ids),
            "features": int(index.matrix.shape[1]),
            "top_n": TOP_N,
            "films_without_features": int((np.diff(index.matrix.indptr) == 0).sum()),
            "dense_blocks": {b.name: [len(b.rows), int(b.steps.shape[1])] for b in index.dense},
        }
    }
