"""Why a film is recommended: the shared features, grouped into reasons, strongest first.

Two ways to the same answer:

* :func:`reasons` explains one pair of films from their shared columns (any pair: filters,
  several seeds, personal lists);
* :func:`explain_stored` explains every film's first :data:`STORED_SLOTS` stored neighbours
  (a first page, with room for skipped sequels) at once, vectorised, when the index is
  unpacked (once per data build, see :mod:`movierec.npz`); :class:`Explained` then serves
  their cosines and reasons by lookup.

Both follow the same rules with the same floats: a pair's cosine is the float32 sum
(``np.sum``) of its shared columns' products, in column order; a block's total is the sum of
its contributions as Python floats, in column order; blocks rank by total (ties: block order),
weak ones (era, origin, plot words) only when fewer than two strong ones are shared; within a
block, values by contribution (ties: column order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from movierec.npz import Arrays
from movierec.results import Reason, ReasonKind
from movierec.search.lookup import StringTable

__all__ = [
    "MAX_REASONS",
    "REASON_KINDS",
    "STORED_SLOTS",
    "VALUES_PER_REASON",
    "VERSION",
    "WEAK_REASONS",
    "Explained",
    "explain_stored",
    "reasons",
]

MAX_REASONS = 3
VALUES_PER_REASON = 3
WEAK_REASONS = frozenset({"era", "plot", "origin"})
# How a feature block reads as a reason; "decade" and "plot" words are weak, shown last.
REASON_KINDS: dict[str, ReasonKind] = {
    "collection": "collection",
    "directors": "director",
    "cast": "cast",
    "keywords": "keywords",
    "genres": "genres",
    "companies": "companies",
    "origin": "origin",
    "decade": "era",
    "plot": "plot",
}
# Names what explain_stored() computes: part of the unpacked cache's key, so a change of the
# rules (or of this code) recomputes it.
VERSION = f"2:{sorted(REASON_KINDS.items())}:{sorted(WEAK_REASONS)}"
VERSION += f":{MAX_REASONS}:{VALUES_PER_REASON}"
# Neighbours explained ahead per film: 5 films and up to 7 skipped (sequels over the cap).
# More cost start-up time once per data build (~0.1 s a slot) and cache space.
STORED_SLOTS = 12
VERSION += f":{STORED_SLOTS}"
# Each reason is coded in 6 bits of a uint32, first reason lowest: its number of values (two
# bits, 1..VALUES_PER_REASON) and its feature block (four bits, index into the block names).
_SIZE_BITS, _BLOCK_BITS = 2, 4
_REASON_BITS = _SIZE_BITS + _BLOCK_BITS


def reasons(
    shared: Sequence[int],
    values: Sequence[float],
    lo: int,
    hi: int,
    block_starts: Sequence[int],
    kinds: Sequence[ReasonKind],
    labels: StringTable,
) -> tuple[Reason, ...]:
    """The reasons for shared columns ``shared[lo:hi]`` (ascending) whose contributions to
    the cosine are ``values[lo:hi]``."""
    if hi == lo:
        return ()
    runs: list[tuple[int, int, int, float]] = []  # (block, first, end, total) per block
    block, run_start, total, block_end = -1, lo, 0.0, 0
    for i in range(lo, hi):
        column = shared[i]
        if column >= block_end:  # a new block (columns ascend, blocks are column ranges)
            if block >= 0:
                runs.append((block, run_start, i, total))
            while column >= block_starts[block + 1]:
                block += 1
            block_end, run_start, total = block_starts[block + 1], i, 0.0
        total += values[i]
    runs.append((block, run_start, hi, total))
    strong = sorted((r for r in runs if kinds[r[0]] not in WEAK_REASONS), key=lambda r: -r[3])
    if len(strong) < 2:  # era, origin and plot words only fill in when little else is shared
        strong += sorted((r for r in runs if kinds[r[0]] in WEAK_REASONS), key=lambda r: -r[3])
    out = []
    for block, first, end, _total in strong[:MAX_REASONS]:
        best = sorted(range(first, end), key=lambda i: -values[i])[:VALUES_PER_REASON]
        out.append(Reason(kinds[block], tuple(labels.at(shared[i]) for i in best)))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Explained:
    """The first stored neighbours' cosines with their film, and their reasons, precomputed."""

    cosine: npt.NDArray[np.float32]  # (films × slots): the float32 sum, unclipped
    codes: npt.NDArray[np.uint32]  # (films × slots): each reason's size and block, 6 bits
    starts: npt.NDArray[np.integer[Any]]  # films × slots + 1: where each slot's columns start
    columns: npt.NDArray[np.int32]  # the reasons' columns, slot after slot

    @property
    def width(self) -> int:
        """Slots explained per film."""
        return int(self.cosine.shape[1])

    @classmethod
    def from_arrays(cls, arrays: Arrays) -> Explained | None:
        if "explained.cosine" not in arrays:
            return None
        return cls(
            arrays["explained.cosine"],
            arrays["explained.codes"],
            arrays["explained.starts"],
            arrays["explained.columns"],
        )

    def lookup(
        self,
        row: int,
        slots: Sequence[int],
        block_starts: Sequence[int],
        kinds: Sequence[ReasonKind],
        labels: StringTable,
    ) -> list[tuple[float, tuple[Reason, ...]]]:
        """(cosine, reasons) of the film's stored neighbours in these slots (each below
        :attr:`width`)."""
        if not slots:
            return []
        end = slots[-1] + 1  # slots ascend: read the film's slots up to the last at once
        first_slot = row * self.width
        cosines: list[float] = self.cosine[row, :end].tolist()
        codes: list[int] = self.codes[row, :end].tolist()
        bounds: list[int] = self.starts[first_slot : first_slot + end + 1].tolist()
        base = bounds[0]
        names = labels.many(self.columns[base : bounds[end]])  # every label, in one go
        size_mask, block_mask = (1 << _SIZE_BITS) - 1, (1 << _BLOCK_BITS) - 1
        out = []
        for slot in slots:
            code, at = codes[slot], bounds[slot] - base
            explained = []
            while code:
                size = code & size_mask
                kind = kinds[(code >> _SIZE_BITS) & block_mask]
                explained.append(Reason(kind, tuple(names[at : at + size])))
                at += size
                code >>= _REASON_BITS
            out.append((cosines[slot], tuple(explained)))
        return out


def _row_sums(data: npt.NDArray[np.float32], indptr: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """Each row's ``data[indptr[r]:indptr[r + 1]].sum()``, exactly as np.sum adds (rows of one
    length are summed as one 2-D array: numpy reduces each row as it would reduce it alone)."""
    lengths = np.diff(indptr)
    out = np.zeros(len(lengths), dtype=np.float32)
    for length in np.unique(lengths[lengths > 0]).tolist():
        rows = np.flatnonzero(lengths == length)
        out[rows] = data[indptr[rows][:, np.newaxis] + np.arange(length)].sum(axis=1)
    return out


def _explain_slot(
    shared: Any,  # scipy CSR: the pair's shared columns and their products, one row per film
    block_starts: npt.NDArray[np.int64],
    weak: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.uint32], npt.NDArray[np.int64], Any]:
    """Cosines, reason codes, reason column counts and columns per film for one slot."""
    n = shared.shape[0]
    indptr = shared.indptr.astype(np.int64)
    columns = shared.indices.astype(np.int32)
    products = shared.data.astype(np.float32)
    cosine = _row_sums(products, indptr)
    owner = np.repeat(np.arange(n), np.diff(indptr))
    block = np.searchsorted(block_starts, columns, side="right") - 1
    # runs: consecutive entries of one film and one block
    new_run = np.ones(len(columns), dtype=bool)
    new_run[1:] = (owner[1:] != owner[:-1]) | (block[1:] != block[:-1])
    run_first = np.flatnonzero(new_run)
    run_length = np.diff(np.append(run_first, len(columns)))
    run_owner, run_block = owner[run_first], block[run_first]
    # block totals in double precision, term after term, as Python adds them
    totals = np.zeros(len(run_first))
    values = products.astype(np.float64)
    longest_first = np.argsort(-run_length, kind="stable")
    longer = np.searchsorted(-run_length[longest_first], -np.arange(run_length.max(initial=0)))
    for step, count in enumerate(longer.tolist()):  # runs longer than `step` lead the order
        runs = longest_first[:count]
        totals[runs] += values[run_first[runs] + step]
    run_weak = weak[run_block]
    strong = np.bincount(run_owner[~run_weak], minlength=n)
    kept = np.flatnonzero(~run_weak | (strong[run_owner] < 2))
    # by film, strong first, total (descending), block: one stable integer sort
    by_total = np.argsort(-totals[kept])
    descending = -totals[kept][by_total]
    dense = np.empty(len(kept), dtype=np.int64)  # equal totals, equal rank
    dense[by_total] = np.cumsum(np.append(True, descending[1:] != descending[:-1])) - 1
    key = (run_owner[kept].astype(np.int64) << 40) | (run_weak[kept].astype(np.int64) << 39)
    kept = kept[np.argsort(key | dense, kind="stable")]  # stable: equal totals by block
    first_of_owner = np.searchsorted(run_owner[kept], run_owner[kept], side="left")
    kept = kept[np.arange(len(kept)) - first_of_owner < MAX_REASONS]
    # each kept run's values: by contribution (ties: column), the first few
    lengths = run_length[kept]
    entry_run = np.repeat(np.arange(len(kept)), lengths)
    skip = run_first[kept] - (np.cumsum(lengths) - lengths)
    entry = np.arange(len(entry_run)) + np.repeat(skip, lengths)
    # by run, contribution (descending: a positive float's bits order like the float), column
    bits = products[entry].view(np.int32).astype(np.int64)
    order = np.argsort((entry_run.astype(np.int64) << 32) | (0x7FFFFFFF - bits), kind="stable")
    entry, entry_run = entry[order], entry_run[order]
    rank = np.arange(len(entry)) - np.searchsorted(entry_run, entry_run, side="left")
    chosen = rank < VALUES_PER_REASON
    entry, entry_run = entry[chosen], entry_run[chosen]
    size = np.minimum(lengths, VALUES_PER_REASON).astype(np.uint32)
    reason = size | (run_block[kept].astype(np.uint32) << _SIZE_BITS)
    # per film: its reasons' codes, first reason lowest
    position = np.arange(len(kept)) - np.searchsorted(run_owner[kept], run_owner[kept])
    codes = np.zeros(n, dtype=np.uint32)
    shifts = (_REASON_BITS * position).astype(np.uint32)
    np.bitwise_or.at(codes, run_owner[kept], reason << shifts)
    counts = np.bincount(owner[entry], minlength=n)
    return cosine, codes, counts, columns[entry]


def explain_stored(
    indptr: npt.NDArray[np.integer[Any]],
    indices: npt.NDArray[np.integer[Any]],
    data: npt.NDArray[np.float32],
    shape: tuple[int, int],
    neighbours: npt.NDArray[np.integer[Any]],
    pad: int,
    block_names: Sequence[str],
    block_starts: npt.NDArray[np.int64],
) -> Arrays:
    """The first ``STORED_SLOTS`` stored neighbours' cosines and reasons, for
    :class:`Explained` (~1 s for 45k films; scipy's sparse products do the intersections)."""
    import scipy.sparse as sp

    assert MAX_REASONS * _REASON_BITS <= 32 and VALUES_PER_REASON < (1 << _SIZE_BITS)
    assert len(block_names) <= (1 << _BLOCK_BITS)
    matrix = sp.csr_matrix((data, indices, indptr), shape=shape)
    neighbours = neighbours[:, :STORED_SLOTS]
    n, width = neighbours.shape
    valid = neighbours != pad
    slots = np.where(valid, neighbours, 0).astype(np.int64)
    weak = np.asarray([REASON_KINDS[b] in WEAK_REASONS for b in block_names], dtype=bool)
    cosine = np.zeros((n, width), dtype=np.float32)
    codes = np.zeros((n, width), dtype=np.uint32)
    counts = np.zeros((n, width), dtype=np.int64)
    columns: list[npt.NDArray[np.int32]] = [np.zeros(0, dtype=np.int32)] * width
    for slot in range(width):
        # a padded slot compares the film with film 0, then is blanked below
        shared = matrix.multiply(matrix[slots[:, slot]]).tocsr()
        shared.sort_indices()
        cosine[:, slot], codes[:, slot], counts[:, slot], columns[slot] = _explain_slot(
            shared, block_starts, weak
        )
    # the columns film after film (they were computed slot after slot, film after film)
    by_slot = np.concatenate(columns)
    slot_starts = np.concatenate(([0], np.cumsum(counts.sum(axis=0))))
    within = np.cumsum(counts, axis=0) - counts  # where film r's columns start in its slot
    source = (slot_starts[:-1][np.newaxis, :] + within).ravel()
    lengths = counts.ravel()
    flat = np.repeat(source - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
    keep = np.repeat(valid.ravel(), lengths)  # a padded slot explains nothing
    cosine[~valid], codes[~valid] = 0, 0
    starts = np.concatenate(([0], np.cumsum(np.where(valid.ravel(), lengths, 0))))
    return {
        "explained.cosine": cosine,
        "explained.codes": codes,
        "explained.starts": starts.astype(np.uint32 if starts[-1] < 2**32 else np.int64),
        "explained.columns": by_slot[flat[keep]],
    }
