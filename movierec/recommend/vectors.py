"""Feature-vector arithmetic for serving, on the index's plain arrays (no scipy).

* :func:`scores`: cosine × prior of every film with a few seeds, touching only the films that
  share one of the seeds' columns (each column's films: :func:`.index.by_column`);
* :func:`best_first`: the best films of those scores without sorting them all;
* :func:`compare`: the features a film shares with others, and each one's part of the cosine.

The floats are those of the original whole-matrix code: the same float32 operations in the
same order (each film's terms in column order; ``np.sum`` of a pair's products in column order),
so rankings, scores and reasons are identical to it, not just close.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from movierec.recommend import dense as dense_module
from movierec.recommend.dense import DenseBlock
from movierec.recommend.index import Csr
from movierec.search.text import fold

__all__ = [
    "FIRST_CUT",
    "Compared",
    "best_first",
    "compare",
    "genre_masks",
    "query_norm",
    "scores",
]

Scores = npt.NDArray[np.float32]  # per film row
Mask = npt.NDArray[np.bool_]  # per film row
# Ranking sorts only films scoring at least this share of the best score (and every film tied
# with the last one kept); when that leaves too few, all films with a positive score.
FIRST_CUT = 0.5
# (shared columns, their contributions, where each film's start, each film's cosine)
Compared = tuple[list[int], list[float], list[int], list[float]]


def query_norm(sparse_norm: np.floating[Any] | float, dense_square: float) -> np.float32:
    """The length of the seeds' summed vector: its sparse and dense parts together."""
    sparse = np.float32(sparse_norm)
    return np.float32(np.sqrt(sparse * sparse + np.float32(dense_square)))


def scores(
    matrix: Csr,
    columns: Csr,
    prior: npt.NDArray[np.float32],
    rows: list[int],
    dense: Sequence[DenseBlock] = (),
) -> Scores | None:
    """Cosine with the seeds' summed features × prior, per film (0: nothing shared); None
    when the seeds have no features. Equal to ``((matrix @ (query / norm)).astype(float32) +
    dense / norm) * prior`` over the whole matrix, bit for bit (``dense``: the dense blocks'
    :func:`.dense.scores`, ``norm``: :func:`query_norm`)."""
    query = np.zeros(matrix.shape[1], dtype=np.float32)
    for row in rows:  # the seeds' rows added in order, as summing the rows does
        row_columns, values = matrix.row(row)
        query[row_columns] += values
    semantic = dense_module.scores(dense, rows, matrix.shape[0])
    norm = query_norm(np.linalg.norm(query), dense_module.square(semantic, rows))
    if norm == 0:
        return None
    if len(rows) == 1:
        used = matrix.row(rows[0])[0]
    else:
        used = np.unique(np.concatenate([matrix.row(row)[0] for row in rows]))
    weights = query[used] / norm
    starts = columns.indptr[used]
    lengths = columns.indptr[used + 1] - starts
    # every (film, column) term of the seeds' columns, column after column: each column's
    # films are one slice, so joining the slices reads them (no arange/repeat arithmetic to
    # build 100k positions and gather through them); an empty first slice keeps seeds with
    # no sparse column (a dense vector only) valid
    spans = [(0, 0), *zip(starts.tolist(), (starts + lengths).tolist(), strict=True)]
    films = np.concatenate([columns.indices[a:b] for a, b in spans]).astype(np.intp)
    terms = np.concatenate([columns.data[a:b] for a, b in spans]) * np.repeat(weights, lengths)
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    np.add.at(out, films, terms)  # in order: each film's in column order
    if semantic is not None:
        semantic /= norm
        out += semantic
    out *= prior
    return out


Pick = Callable[[npt.NDArray[np.integer[Any]]], list[int]]


def best_first(scored: Scores, mask: Mask | None, k: int, size: int, pick: Pick) -> list[int]:
    """``pick`` (which wants ``k`` films) applied to the films with a positive score, best
    first (ties by row): the same as ranking them all, but only the best ``size`` are sorted,
    four times more while ``pick`` finds fewer than ``k`` in them. ``mask``: films allowed."""
    if mask is not None:
        np.multiply(scored, mask, out=scored)
    best = float(scored.max(initial=0))
    if best <= 0:
        return []
    pool = np.flatnonzero(scored >= np.float32(best * FIRST_CUT))
    everything = False  # whether `pool` holds every film with a positive score
    while True:
        if len(pool) < size and not everything:  # too few above the cut: all of them
            pool, everything = np.flatnonzero(scored > 0), True
        chosen = pool
        if len(pool) > size:  # only the best `size`, and every film tied with the last
            pool_scores = scored[pool]
            top = np.argpartition(-pool_scores, size - 1)[:size]
            chosen = pool[pool_scores >= pool_scores[top].min()]
        picked = pick(chosen[np.lexsort((chosen, -scored[chosen]))])
        if len(picked) >= k or (everything and len(chosen) == len(pool)):
            return picked
        size *= 4


def compare(
    matrix: Csr, seed: int, rows: Sequence[int], dense: Sequence[DenseBlock] = ()
) -> Compared:
    """The columns each of ``rows`` shares with ``seed`` (ascending), each column's product
    of the two values (float32, as Python floats), where each row's columns start (plus the
    end), and each row's cosine with the seed (the float32 sum, unclipped, plus the ``dense``
    blocks' part: :func:`.dense.pairs`)."""
    indptr, indices = matrix.indptr, matrix.indices
    first, end = int(indptr[seed]), int(indptr[seed + 1])
    in_seed = {column: i for i, column in enumerate(indices[first:end].tolist(), first)}
    seed_at: list[int] = []  # matching positions in the seed's row and in each row
    row_at: list[int] = []
    shared: list[int] = []
    bounds = [0]
    for row in rows:
        start = int(indptr[row])
        for i, column in enumerate(indices[start : int(indptr[row + 1])].tolist(), start):
            j = in_seed.get(column)
            if j is not None:
                seed_at.append(j)
                row_at.append(i)
                shared.append(column)
        bounds.append(len(shared))
    products = matrix.data[seed_at] * matrix.data[row_at]  # float32, as the product computes
    totals = [
        float(products[lo:hi].sum()) if hi > lo else 0.0 for lo, hi in itertools.pairwise(bounds)
    ]
    if dense:
        extra = dense_module.pairs_with(dense, seed, np.asarray(rows, dtype=np.int64))
        totals = (np.asarray(totals, dtype=np.float32) + extra).tolist()
    return shared, products.tolist(), bounds, totals


def genre_masks(
    stored: dict[str, npt.NDArray[np.integer[Any]]] | None, genres: Sequence[Sequence[str]]
) -> dict[str, Mask]:
    """Folded genre name → which films have it: from the rows the index stored, else from the
    catalog's genres (one walk over the catalog)."""
    n = len(genres)
    masks: dict[str, Mask] = {}
    if stored is not None:
        for name, stored_rows in stored.items():
            masks[name] = np.zeros(n, dtype=bool)
            masks[name][stored_rows] = True
        return masks
    by_name: dict[str, list[int]] = {}
    for row, names in enumerate(genres):
        for name in names:  # a few names over and over: each one's list, folded once below
            by_name.setdefault(name, []).append(row)
    for name, films in by_name.items():
        key = fold(name)
        if key not in masks:
            masks[key] = np.zeros(n, dtype=bool)
        masks[key][films] = True
    return masks
