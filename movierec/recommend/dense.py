"""Dense feature blocks (semantic topics, collaborative factors) at serving time: numpy only.

A block gives some films (``rows``) a short vector stored as int8 ``steps`` and a per-film
``scale``: the film's part of the cosine with another film of the block is
``(scale_a × scale_b) × (steps_a · steps_b)``. The dot product of int8 steps is an integer
below 2**24, exact in float32 whatever the summation order, so a pair's value is the same
float whether it is computed alone, for a whole slot of stored neighbours, or by the matrix
product that ranks the catalog: rankings, cosines and the stored explanations agree bit for bit.

The scale folds in the block's weight, the film's whole-vector norm (sparse and dense blocks
together, so a film's cosine with itself is 1) and the length of its steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from movierec.npz import Arrays

__all__ = ["DenseBlock", "from_arrays", "pairs", "scores", "self_dot", "to_arrays"]

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class DenseBlock:
    name: str
    rows: npt.NDArray[np.integer[Any]]  # the films that have this block, ascending
    steps: Floats  # (len(rows), d): the stored int8 values, as float32 (integers)
    scale: Floats  # (len(rows),)
    position: npt.NDArray[np.int32]  # film row → its index in ``rows``, -1: not in the block

    @classmethod
    def of(
        cls,
        name: str,
        rows: npt.NDArray[np.integer[Any]],
        steps: npt.NDArray[Any],
        scale: Floats,
        films: int,
    ) -> DenseBlock:
        position = np.full(films, -1, dtype=np.int32)
        position[rows] = np.arange(len(rows), dtype=np.int32)
        values = steps if steps.dtype == np.float32 else steps.astype(np.float32)
        return cls(name, rows, values, scale.astype(np.float32, copy=False), position)


def pairs(
    blocks: Sequence[DenseBlock],
    a: npt.NDArray[np.integer[Any]],
    b: npt.NDArray[np.integer[Any]],
) -> Floats:
    """Each pair ``(a[i], b[i])``'s dense part of the cosine (float32; 0 without blocks)."""
    out = np.zeros(len(a), dtype=np.float32)
    for block in blocks:
        at_a, at_b = block.position[a], block.position[b]
        both = np.flatnonzero((at_a >= 0) & (at_b >= 0))
        if not len(both):
            continue
        ia, ib = at_a[both], at_b[both]
        dots = (block.steps[ia] * block.steps[ib]).sum(axis=1, dtype=np.float32)
        out[both] += (block.scale[ia] * block.scale[ib]) * dots
    return out


def scores(
    blocks: Sequence[DenseBlock],
    seeds: Sequence[int],
    films: int,
    only: npt.NDArray[np.integer[Any]] | None = None,
) -> Floats | None:
    """Every film's dense part of its dot product with the seeds' summed vector: for one seed,
    ``pairs`` of the seed with every film, float for float. None without any block.

    ``only``: just these films (ascending; the others get 0), for a filter that allows few:
    the product then reads their rows only, and each value is the same float."""
    if not blocks:
        return None
    out = np.zeros(films, dtype=np.float32)
    for block in blocks:
        ats = [at for seed in seeds if (at := int(block.position[seed])) >= 0]
        if not ats:
            continue
        targets: npt.NDArray[np.integer[Any]] | slice
        if only is not None:  # the allowed films of this block, and where they sit in it
            inside = block.position[only]
            kept = inside >= 0
            targets, rows = only[kept], inside[kept]
            steps, scale = block.steps[rows], block.scale[rows]
        else:  # every film in order needs no scatter
            targets = slice(None) if len(block.rows) == films else block.rows
            steps, scale = block.steps, block.scale
        # one pass over the block for every seed; integers, exact in float32
        dots = steps @ block.steps[ats].T
        for i, at in enumerate(ats):
            out[targets] += (block.scale[at] * scale) * dots[:, i]
    return out


def self_dot(blocks: Sequence[DenseBlock], seeds: Sequence[int]) -> float:
    """The dense part of the squared norm of the seeds' summed vector: each block's seed ×
    seed products (exact integers) times their scales, summed (float32)."""
    total = np.float32(0)
    for block in blocks:
        ats = [at for seed in seeds if (at := int(block.position[seed])) >= 0]
        if ats:
            steps, scale = block.steps[ats], block.scale[ats]
            total += ((scale[:, np.newaxis] * scale[np.newaxis, :]) * (steps @ steps.T)).sum()
    return float(total)


def to_arrays(blocks: Sequence[DenseBlock], row_type: type[np.integer[Any]]) -> Arrays:
    """The blocks as stored: rows (none for a block over every film), int8 steps and float32
    scales under ``dense.<name>.*``."""
    out: Arrays = {"dense_names": np.asarray([b.name for b in blocks], dtype=str)}
    for block in blocks:
        if len(block.rows) < len(block.position):
            out[f"dense.{block.name}.rows"] = block.rows.astype(row_type)
        out[f"dense.{block.name}.steps"] = block.steps.astype(np.int8)
        out[f"dense.{block.name}.scale"] = block.scale.astype(np.float32)
    return out


def from_arrays(arrays: Arrays, films: int) -> tuple[DenseBlock, ...]:
    """The stored blocks (none in an index built before them); steps as float32, from the
    unpacked copy's ``.steps32`` when it has one."""
    if "dense_names" not in arrays:
        return ()
    out = []
    for name in (str(n) for n in arrays["dense_names"].tolist()):
        key = f"dense.{name}"
        steps = arrays.get(f"{key}.steps32")
        if steps is None:
            steps = arrays[f"{key}.steps"]
        rows = arrays.get(f"{key}.rows")
        if rows is None:
            rows = np.arange(films, dtype=np.int32)
        out.append(DenseBlock.of(name, rows, steps, arrays[f"{key}.scale"], films))
    return tuple(out)
