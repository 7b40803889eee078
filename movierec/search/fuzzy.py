"""A fuzzy index over many short keys: trigram shortlist, then rapidfuzz on the shortlist.

Scoring every key with rapidfuzz costs milliseconds at 100k names; trigram posting lists
narrow a query to a few hundred plausible keys in well under a millisecond first. The index is
built with numpy over all keys at once, so start-up stays short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from movierec.npz import Arrays

__all__ = [
    "ALL_WORDS",
    "BUILD_CHUNK",
    "FRAGMENT_RATIO",
    "MISSING_NUMBER",
    "SHORTLIST",
    "FuzzyIndex",
    "Scored",
    "query_grams",
]

SHORTLIST = 256
# a key holding every word of a multi-word query ("lord of the rings fellowship") is all but it
ALL_WORDS = 95.0
# a key without a number the query has ("godfather 2" vs "godfather") is probably not it
MISSING_NUMBER = 15.0
BUILD_CHUNK = 16_384
# Below this length ratio a key is a fragment of the query, not a candidate for it:
# "uno" must not match "el laberinto del fauno" just because it is contained in it.
FRAGMENT_RATIO = 0.67


Grams = npt.NDArray[np.uint64]


def _codes(padded: str) -> Grams:
    return np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _grams(codes: Grams) -> Grams:
    """Trigram ids (three 21-bit code points in one integer) at every position."""
    grams: Grams = (codes[:-2] << np.uint64(42)) | (codes[1:-1] << np.uint64(21)) | codes[2:]
    return grams


def _pad(key: str) -> str:
    return f"  {key} "


def query_grams(key: str) -> Grams:
    return np.unique(_grams(_codes(_pad(key))))


@dataclass(frozen=True)
class Scored:
    key_id: int
    ratio: float  # whole-string similarity: typos
    partial: float  # best token/partial similarity: fragments and word order

    @property
    def best(self) -> float:
        return max(self.ratio, self.partial)


class FuzzyIndex:
    ARRAYS = ("vocab", "postings", "starts", "sizes")

    def __init__(
        self,
        keys: Sequence[str],
        vocab: Grams,  # every trigram, sorted
        postings: npt.NDArray[np.int32],  # key ids, grouped by trigram
        starts: npt.NDArray[np.int64],  # where each trigram's key ids start (+ the end)
        sizes: npt.NDArray[np.float32],  # trigrams per key
    ) -> None:
        self.keys = keys
        self._vocab, self._postings, self._starts, self._sizes = vocab, postings, starts, sizes

    def arrays(self) -> Arrays:
        """For storage: postings as gaps within each trigram, which compress far better."""
        gaps = self._postings.copy()
        gaps[1:] -= self._postings[:-1]
        firsts = self._starts[:-1]
        gaps[firsts] = self._postings[firsts]
        values = (self._vocab, gaps, self._starts, self._sizes)
        return dict(zip(self.ARRAYS, values, strict=True))

    @classmethod
    def from_arrays(cls, keys: Sequence[str], arrays: Arrays) -> FuzzyIndex:
        gaps, starts = arrays["postings"], arrays["starts"]
        # unsigned 32-bit sums wrap modulo 2**32, and each decoded row id fits: exact, and
        # half the temporary memory of int64
        running = np.cumsum(gaps.view(np.uint32), dtype=np.uint32)
        firsts = starts[:-1]
        before = np.where(firsts > 0, running[np.maximum(firsts - 1, 0)], np.uint32(0))
        running -= np.repeat(before.astype(np.uint32), np.diff(starts))
        postings = running.view(np.int32)
        return cls(keys, arrays["vocab"], postings, starts, arrays["sizes"])

    @classmethod
    def build(cls, keys: Sequence[str]) -> FuzzyIndex:
        keys = keys if len(keys) else [""]  # an empty index still answers (nothing)
        gram_parts, row_parts = [], []
        # in chunks: the per-character temporaries of 100k names at once would triple the peak
        for first in range(0, len(keys), BUILD_CHUNK):
            padded = [_pad(k) for k in keys[first : first + BUILD_CHUNK]]
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
        return cls(
            keys,
            vocab=grams[new_gram],
            postings=rows.astype(np.int32),
            starts=np.append(np.flatnonzero(new_gram), len(grams)),
            sizes=np.bincount(rows, minlength=len(keys)).astype(np.float32),
        )

    def shortlist(self, query: str, limit: int = SHORTLIST) -> npt.NDArray[np.intp]:
        """Key ids sharing the most trigrams with ``query``, relative to both lengths."""
        grams = query_grams(query)
        columns = np.searchsorted(self._vocab, grams)
        inside = columns < len(self._vocab)
        columns, grams_inside = columns[inside], grams[inside]
        known = columns[self._vocab[columns] == grams_inside]
        if not len(known):
            return np.empty(0, dtype=np.intp)
        hits = np.concatenate(
            [self._postings[self._starts[c] : self._starts[c + 1]] for c in known]
        )
        counts = np.bincount(hits, minlength=len(self.keys))
        candidates = np.flatnonzero(counts)
        shared = counts[candidates]
        # containment favours "almodovar" → "pedro almodovar"; dice favours equal lengths
        dice = 2 * shared / (len(grams) + self._sizes[candidates])
        rank = shared / len(grams) + dice
        if len(candidates) > limit:
            candidates = candidates[np.argpartition(-rank, limit)[:limit]]
        return candidates

    def search(self, query: str, limit: int = SHORTLIST) -> list[Scored]:
        """Shortlisted keys scored by rapidfuzz, best first."""
        words = set(query.split())
        numbers = {w for w in words if w.isdigit()}
        scored = []
        for i in self.shortlist(query, limit).tolist():
            key = self.keys[i]
            key_words = set(key.split())
            # word order ("knight dark"), and a query that is part of a longer key
            # ("harry potter"); never a key that is only a fragment of the query
            partial = 0.0
            if len(key) >= FRAGMENT_RATIO * len(query):
                partial = fuzz.token_sort_ratio(query, key)
                if len(query) <= len(key):
                    partial = max(partial, fuzz.partial_ratio(query, key))
            if len(words) > 1 and words <= key_words:
                partial = max(partial, ALL_WORDS)
            ratio = fuzz.ratio(query, key)
            if not numbers <= key_words:
                ratio, partial = ratio - MISSING_NUMBER, partial - MISSING_NUMBER
            scored.append(Scored(i, ratio, partial))
        scored.sort(key=lambda s: (-s.best, -s.ratio, s.key_id))
        return scored
