"""A fuzzy index over many short keys: trigram shortlist, then rapidfuzz on the shortlist.

Scoring every key with rapidfuzz costs milliseconds at 100k names; trigram posting lists
narrow a query to a few hundred plausible keys first, and rapidfuzz scores those in batch
(``process.cdist``). The index is built with numpy over all keys at once, so start-up stays
short; the posting lists stay as stored (gaps within each trigram's list, memory-mapped from the
unpacked snapshot) and only the few lists a query needs are decoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from movierec import npz
from movierec.npz import Arrays
from movierec.search.lookup import StringTable
from movierec.search.scoring import (
    ALL_WORDS,
    FRAGMENT_RATIO,
    MISSING_NUMBER,
    Grams,
    Scored,
    Scoring,
    pad,
    query_grams,
)

__all__ = [
    "ALL_WORDS",
    "BUILD_CHUNK",
    "DECODED",
    "FRAGMENT_RATIO",
    "MISSING_NUMBER",
    "SHORTLIST",
    "FuzzyIndex",
    "Scored",
    "Scoring",
    "decode",
    "query_grams",
]

SHORTLIST = 256
BUILD_CHUNK = 16_384


def _codes(padded: str) -> Grams:
    return np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _grams(codes: Grams) -> Grams:
    """Trigram ids (three 21-bit code points in one integer) at every position."""
    grams: Grams = (codes[:-2] << np.uint64(42)) | (codes[1:-1] << np.uint64(21)) | codes[2:]
    return grams


def decode(
    gaps: npt.NDArray[np.integer[Any]], starts: npt.NDArray[np.int64]
) -> npt.NDArray[np.int32]:
    """Posting lists stored as gaps (each list's first id whole) back to key ids."""
    running = np.cumsum(gaps, dtype=np.int64)
    firsts = starts[:-1]
    before = np.where(firsts > 0, running[np.maximum(firsts - 1, 0)], 0)
    decoded: npt.NDArray[np.int32] = (running - np.repeat(before, np.diff(starts))).astype(np.int32)
    return decoded


DECODED = "1"  # version of the decoded posting lists kept in the unpacked snapshot


@npz.derivation("postings", version=DECODED)
def _decoded(arrays: Arrays, name: str) -> npt.NDArray[np.int32] | None:
    """The unpacked snapshot keeps every index's posting lists decoded (12 MB on disk,
    memory-mapped: a query reads its few lists directly)."""
    starts = arrays.get(name.removesuffix("postings") + "starts")
    return None if starts is None else decode(arrays[name], starts)


class FuzzyIndex:
    ARRAYS = ("vocab", "postings", "starts", "sizes")

    def __init__(
        self,
        keys: Sequence[str],
        vocab: Grams,  # every trigram, sorted
        gaps: npt.NDArray[np.int32],  # key ids grouped by trigram, as gaps (first ones whole)
        starts: npt.NDArray[np.int64],  # where each trigram's key ids start (+ the end)
        sizes: npt.NDArray[np.float32],  # trigrams per key
    ) -> None:
        self.keys = keys
        self._vocab, self._gaps, self._starts, self._sizes = vocab, gaps, starts, sizes
        # the keys as str objects and their lengths, made when first needed (one attribute,
        # so a thread never sees one without the other): an object array gathers a
        # shortlist's strings in one call, a fifth of the time of indexing a list key by key
        self._strings: tuple[npt.NDArray[np.object_], npt.NDArray[np.int32]] | None = None
        self._decoded: npt.NDArray[np.int32] | None = None  # the lists decoded, when unpacked

    def arrays(self) -> Arrays:
        """For storage: postings as gaps within each trigram, which compress far better."""
        values = (self._vocab, self._gaps, self._starts, self._sizes)
        return dict(zip(self.ARRAYS, values, strict=True))

    @classmethod
    def from_arrays(cls, keys: Sequence[str], arrays: Arrays) -> FuzzyIndex:
        index = cls(keys, arrays["vocab"], arrays["postings"], arrays["starts"], arrays["sizes"])
        index._decoded = arrays.get(npz.derived_name("postings", DECODED))
        return index

    @classmethod
    def build(cls, keys: Sequence[str]) -> FuzzyIndex:
        keys = keys if len(keys) else [""]  # an empty index still answers (nothing)
        gram_parts, row_parts = [], []
        # in chunks: the per-character temporaries of 100k names at once would triple the peak
        for first in range(0, len(keys), BUILD_CHUNK):
            padded = [pad(k) for k in keys[first : first + BUILD_CHUNK]]
            ends = np.cumsum(np.fromiter(map(len, padded), dtype=np.int64, count=len(padded)))
            grams = _grams(_codes("".join(padded)))
            positions = np.arange(len(grams))
            owner = np.searchsorted(ends, positions, side="right")
            inside = positions + 2 < ends[owner]  # all three characters in the same key
            gram_parts.append(grams[inside])
            row_parts.append((owner[inside] + first).astype(np.int32))
        grams, rows = np.concatenate(gram_parts), np.concatenate(row_parts)
        # Group by trigram with one stable sort: rows stay ascending within a trigram, so a
        # repeat of (trigram, row) is always adjacent. (Hash-based np.unique is far slower.)
        order = np.argsort(grams, kind="stable")
        grams, rows = grams[order], rows[order]
        keep = np.ones(len(grams), dtype=bool)
        keep[1:] = (grams[1:] != grams[:-1]) | (rows[1:] != rows[:-1])
        grams, rows = grams[keep], rows[keep]
        new_gram = np.ones(len(grams), dtype=bool)
        new_gram[1:] = grams[1:] != grams[:-1]
        starts = np.append(np.flatnonzero(new_gram), len(grams))
        gaps = rows.astype(np.int32)
        gaps[1:] -= rows[:-1]
        gaps[starts[:-1]] = rows[starts[:-1]]
        return cls(
            keys,
            vocab=grams[new_gram],
            gaps=gaps,
            starts=starts,
            sizes=np.bincount(rows, minlength=len(keys)).astype(np.float32),
        )

    def postings(self, columns: npt.NDArray[np.intp]) -> npt.NDArray[np.integer[Any]]:
        """The key ids filed under these trigrams (by position in the vocabulary), list after
        list: read as decoded when the snapshot was unpacked, else decoded from their gaps."""
        starts, ends = self._starts[columns], self._starts[columns + 1]
        pieces = list(zip(starts.tolist(), ends.tolist(), strict=True))
        if self._decoded is not None:
            lists = self._decoded
            return np.concatenate([lists[a:b] for a, b in pieces])
        lengths = ends - starts
        running = np.cumsum(np.concatenate([self._gaps[a:b] for a, b in pieces]), dtype=np.int64)
        before = np.cumsum(lengths) - lengths  # where each list starts in `running`
        offset = np.where(before > 0, running[np.maximum(before - 1, 0)], 0)
        ids: npt.NDArray[np.int64] = running - np.repeat(offset, lengths)
        return ids

    def shortlist(self, query: str, limit: int = SHORTLIST) -> npt.NDArray[np.intp]:
        """The ``limit`` key ids sharing the most trigrams with ``query``, relative to both
        lengths (ties: the lower id), in no particular order."""
        return self._shortlist(query_grams(query), limit)[0]

    def _shortlist(
        self, grams: Grams, limit: int
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
        """The shortlist for these query trigrams, and how many each key shares."""
        columns = np.searchsorted(self._vocab, grams)
        inside = columns < len(self._vocab)
        columns, grams_inside = columns[inside], grams[inside]
        known = columns[self._vocab[columns] == grams_inside]
        if not len(known):
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.int64)
        counts = np.bincount(self.postings(known), minlength=len(self.keys))
        n_grams = len(grams)

        def bound(s: int) -> float:  # the best rank a key sharing s trigrams can have
            return s / n_grams + 2 * s / (n_grams + s)  # (it has at least s of its own)

        # The best `limit` keys by rank, found among those sharing at least `least` trigrams:
        # exact when the limit-th of them ranks above bound(least - 1). `least` starts high
        # (few candidates) and is lowered while fewer than `limit` keys share that many; if
        # the bound then fails, the limit-th rank found (the true one is no lower) says how
        # low `least` must go for the next pass to hold, so a failed bound costs one pass
        # over all keys, not one per step down.
        least = max(1, n_grams // 4)
        while True:
            candidates = np.flatnonzero(counts >= least)
            if len(candidates) < limit and least > 1:
                least -= 1
                continue
            shared = counts[candidates]
            # containment favours "almodovar" → "pedro almodovar"; dice favours equal lengths
            ranks = shared / n_grams + 2 * shared / (n_grams + self._sizes[candidates])
            if len(candidates) > limit:
                # the best `limit`: all above the limit-th rank, then the lowest ids tied with it
                cut = np.partition(ranks, len(ranks) - limit)[len(ranks) - limit]
                above = ranks > cut
                tied = np.flatnonzero(ranks == cut)[: limit - np.count_nonzero(above)]
                best = np.flatnonzero(above)
                best = np.concatenate((best, tied)) if len(tied) else best
                candidates, shared = candidates[best], shared[best]
            else:
                cut = ranks.min()
            if least == 1 or bound(least - 1) < cut:
                return candidates, shared
            least -= 1
            while least > 1 and bound(least - 1) >= cut:
                least -= 1

    def search(self, query: str, limit: int = SHORTLIST, floor: float = -np.inf) -> list[Scored]:
        """Shortlisted keys scored by rapidfuzz, best first; only those whose best score
        reaches ``floor`` (see :class:`Scoring`)."""
        return self.scoring(query, limit, floor).scored()

    def scoring(self, query: str, limit: int = SHORTLIST, floor: float = -np.inf) -> Scoring:
        """The shortlist for ``query`` with its whole-string ratios; the rest when asked."""
        grams = query_grams(query)
        ids, shared = self._shortlist(grams, limit)
        strings, lengths = self._key_strings()
        return Scoring(query, grams, ids, shared, strings[ids].tolist(), lengths[ids], floor)

    def _key_strings(self) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int32]]:
        if self._strings is None:  # on the first search (a split of the unpacked table)
            table = self.keys
            listed = table.strings() if isinstance(table, StringTable) else list(table)
            strings = np.empty(len(listed), dtype=object)
            strings[:] = listed
            lengths = np.fromiter(map(len, listed), dtype=np.int32, count=len(listed))
            self._strings = strings, lengths
        return self._strings
