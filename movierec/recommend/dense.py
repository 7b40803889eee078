"""Dense feature blocks (semantic topics, collaborative factors) at serving time: numpy only.

A block gives some films (``rows``) a short vector stored as int8 ``steps`` and a per-film
``scale``: the film's part of the cosine with another film of the block is
``(scale_a × scale_b) × (steps_a · steps_b)`` (:func:`pairs`). The dot product of int8 steps
is an integer below 2**24, exact in float32 whatever the summation order, so a pair's value is
the same float computed alone (a film's cosine, its reasons) or for a whole slot of stored
neighbours (the explanations precomputed when the index is unpacked).

Ranking the catalog (:func:`scores`) takes one product of the rows already multiplied by their
scale (``scaled``) with the seeds' summed row: the same values up to float32 rounding, at the
cost of one pass over the block (45k films × 16 topics: 2.9 MB).

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

__all__ = ["DenseBlock", "from_arrays", "pairs", "pairs_with", "scores", "square", "to_arrays"]

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class DenseBlock:
    name: str
    rows: npt.NDArray[np.integer[Any]]  # the films that have this block, ascending
    steps: Floats  # (len(rows), d): the stored int8 values, as float32 (integers)
    scale: Floats  # (len(rows),)
    position: npt.NDArray[np.int32]  # film row → its index in ``rows``, -1: not in the block
    scaled: Floats  # steps × scale, row by row: what ranking multiplies

    @classmethod
    def of(
        cls,
        name: str,
        rows: npt.NDArray[np.integer[Any]],
        steps: npt.NDArray[Any],
        scale: Floats,
        films: int,
        scaled: Floats | None = None,
    ) -> DenseBlock:
        position = np.full(films, -1, dtype=np.int32)
        position[rows] = np.arange(len(rows), dtype=np.int32)
        values = steps if steps.dtype == np.float32 else steps.astype(np.float32)
        scale = scale.astype(np.float32, copy=False)
        if scaled is None:
            scaled = values * scale[:, np.newaxis]
        return cls(name, rows, values, scale, position, scaled)


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


def pairs_with(
    blocks: Sequence[DenseBlock], seed: int, rows: npt.NDArray[np.integer[Any]]
) -> Floats:
    """``pairs`` of one film with each of ``rows``, the same floats with fewer steps."""
    out = np.zeros(len(rows), dtype=np.float32)
    for block in blocks:
        at = int(block.position[seed])
        if at < 0:
            continue
        inside = block.position[rows]
        both = np.flatnonzero(inside >= 0)
        ib = inside[both]
        dots = block.steps[ib] @ block.steps[at]  # integers: exact, as in pairs()
        out[both] += (block.scale[at] * block.scale[ib]) * dots
    return out


def scores(
    blocks: Sequence[DenseBlock],
    seeds: Sequence[int],
    films: int,
) -> Floats | None:
    """Every film's dense part of its dot product with the seeds' summed vector (for one seed,
    ``pairs`` of the seed with every film up to float32 rounding). None without any block.
    Every film, even under a filter: gathering the allowed films' rows costs more than the
    product over all of them (measured)."""
    if not blocks:
        return None
    out = np.zeros(films, dtype=np.float32)
    for block in blocks:
        ats = [at for seed in seeds if (at := int(block.position[seed])) >= 0]
        if not ats:
            continue
        query = block.scaled[ats[0]].copy()
        for at in ats[1:]:  # the seeds' rows added in order
            query += block.scaled[at]
        if len(block.rows) == films:  # every film in order: no scatter
            out += block.scaled @ query
        else:
            out[block.rows] += block.scaled @ query
    return out


def square(scored: Floats | None, seeds: Sequence[int]) -> float:
    """The dense part of the squared length of the seeds' summed vector, read off
    :func:`scores` (the summed vector's dot product with each seed, added up)."""
    if scored is None:
        return 0.0
    return float(scored[list(seeds)].sum(dtype=np.float32))


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
        scale, scaled = arrays[f"{key}.scale"], arrays.get(f"{key}.scaled32")
        out.append(DenseBlock.of(name, rows, steps, scale, films, scaled))
    return tuple(out)
