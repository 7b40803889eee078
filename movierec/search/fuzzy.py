"""A fuzzy index over many short keys: trigram shortlist, then rapidfuzz on the shortlist.

Scoring every key with rapidfuzz costs milliseconds at 100k names; trigram posting lists
narrow a query to a few hundred plausible keys first, and rapidfuzz scores those in batch
(``process.cdist``). The index is built with numpy over all keys at once, so start-up stays
short; the posting lists stay as stored (gaps within each trigram's list, memory-mapped from the
unpacked snapshot) and only the few lists a query needs are decoded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from movierec import npz
from movierec.npz import Arrays
from movierec.search.lookup import StringTable

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


def _gram_set(key: str) -> set[int]:
    codes = [ord(c) for c in _pad(key)]
    return {(a << 42) | (b << 21) | c for a, b, c in zip(codes, codes[1:], codes[2:], strict=False)}


def query_grams(key: str) -> Grams:
    """The key's distinct trigram ids, ascending (as the index files them)."""
    return np.array(sorted(_gram_set(key)), dtype=np.uint64)


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


class Scored(NamedTuple):  # a tuple: hundreds are made per search, a dataclass costs 3×
    key_id: int
    ratio: float  # whole-string similarity: typos
    partial: float  # best token/partial similarity: fragments and word order

    @property
    def best(self) -> float:
        return max(self.ratio, self.partial)


def _scores(
    query: str, keys: list[str], scorer: Callable[..., float], cutoff: float = 0.0
) -> npt.NDArray[np.float64]:
    """``scorer(query, key)`` for every key in one call: the same doubles as one by one, but
    0 for a score below ``cutoff`` (which rapidfuzz can then stop computing early)."""
    if not keys:
        return np.zeros(0)
    out: npt.NDArray[np.float64] = process.cdist(
        [query], keys, scorer=scorer, dtype=np.float64, workers=1, score_cutoff=cutoff
    )[0]
    return out


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
        self._strings: list[str] | None = None  # the keys as str objects, made when first needed
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

        def ranked(candidates: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
            shared = counts[candidates]
            # containment favours "almodovar" → "pedro almodovar"; dice favours equal lengths
            ranks: npt.NDArray[np.float64] = shared / n_grams + 2 * shared / (
                n_grams + self._sizes[candidates]
            )
            return ranks

        # Rank only keys sharing at least `least` trigrams, `least` as high as it can be while
        # no key sharing fewer could outrank the `limit`-th: a key sharing s trigrams ranks at
        # most s/g + 2s/(g + s) (it has at least s trigrams of its own). A first guess, lowered
        # until enough keys share that many and the bound holds.
        least = max(1, n_grams // 4)
        while True:
            candidates = np.flatnonzero(counts >= least)
            if len(candidates) < limit and least > 1:
                least -= 1
                continue
            ranks = ranked(candidates)
            if len(candidates) > limit:
                # the best `limit`: all above the limit-th rank, then the lowest ids tied with it
                cut = np.partition(ranks, len(ranks) - limit)[len(ranks) - limit]
                above = ranks > cut
                tied = np.flatnonzero(ranks == cut)[: limit - int(above.sum())]
                chosen = np.flatnonzero(above)
                chosen = np.concatenate((chosen, tied)) if len(tied) else chosen
                candidates, ranks = candidates[chosen], ranks[chosen]
            bound = (least - 1) / n_grams + 2 * (least - 1) / (n_grams + least - 1)
            if least == 1 or bound < ranks.min():
                return candidates, counts[candidates]
            least -= 1

    def search(self, query: str, limit: int = SHORTLIST, floor: float = -np.inf) -> list[Scored]:
        """Shortlisted keys scored by rapidfuzz, best first; only those whose best score
        reaches ``floor`` (see :class:`Scoring`)."""
        return self.scoring(query, limit, floor).scored()

    def scoring(self, query: str, limit: int = SHORTLIST, floor: float = -np.inf) -> Scoring:
        """The shortlist for ``query`` with its whole-string ratios; the rest when asked."""
        grams = query_grams(query)
        ids, shared = self._shortlist(grams, limit)
        return Scoring(query, grams, ids, shared, self._key_strings(ids), floor)

    def _key_strings(self, ids: npt.NDArray[np.intp]) -> list[str]:
        if self._strings is None:  # on the first search (a split of the unpacked table)
            table = self.keys
            self._strings = table.strings() if isinstance(table, StringTable) else list(table)
        return list(map(self._strings.__getitem__, ids.tolist()))


class Scoring:
    """One query's shortlisted keys: whole-string ratios at once (``ids``, ``ratio``), the
    token and partial scores only when :meth:`scored` is asked for them. A caller that can
    decide from the ratios alone (one key clearly closest) saves most of a search.

    ``scored()`` is every key whose best score reaches ``floor``, best first. Dropping the
    others changes nothing a caller with that floor sees, nor does scoring them roughly (a
    token or partial score below the floor is one that can decide nothing: the key's best is
    its whole-string ratio, or below the floor).
    """

    def __init__(
        self,
        query: str,
        grams: Grams,
        ids: npt.NDArray[np.intp],
        shared: npt.NDArray[np.int64],
        keys: list[str],
        floor: float,
    ) -> None:
        self.query, self.ids, self.keys, self.floor = query, ids, keys, floor
        self._grams, self._shared = grams, shared
        self._lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        self._words = set(query.split())
        self._numbers = {w for w in self._words if w.isdigit()}
        # keys without every number of the query ("godfather 2" vs "godfather") lose points
        self._missing: list[int] = []
        if self._numbers:
            numbers = self._numbers
            self._missing = [
                i
                for i, key in enumerate(keys)
                if not all(n in key for n in numbers) or not numbers <= set(key.split())
            ]
        self._plain = _scores(query, keys, fuzz.ratio)
        ratio = self._plain.copy()
        ratio[self._missing] -= MISSING_NUMBER
        self.ratio = ratio  # whole-string similarity per shortlisted key (penalties included)
        self._scored: list[Scored] | None = None

    def scored(self) -> list[Scored]:
        if self._scored is None:
            self._scored = self._score()
        return self._scored

    def _score(self) -> list[Scored]:
        query, keys, lengths, ratio = self.query, self.keys, self._lengths, self.ratio
        cutoff = max(self.floor, 0.0)
        partial = np.zeros(len(keys))
        # word order ("knight dark"), and a query that is part of a longer key
        # ("harry potter"); never a key that is only a fragment of the query
        long_enough = np.flatnonzero(lengths >= FRAGMENT_RATIO * len(query))
        sorting = long_enough
        if " ".join(sorted(query.split())) == query:
            # a one-word key against a query already in word order: sorting the words
            # changes neither, so token_sort_ratio is the ratio (before any penalty)
            picked = long_enough.tolist()
            one_word = np.fromiter((" " not in keys[i] for i in picked), bool, len(picked))
            same = long_enough[one_word]
            partial[same] = self._plain[same]
            sorting = long_enough[~one_word]
        partial[sorting] = _scores(query, [keys[i] for i in sorting], fuzz.token_sort_ratio, cutoff)
        longer = long_enough[lengths[long_enough] >= len(query)]
        partial[longer] = np.maximum(
            partial[longer], _scores(query, [keys[i] for i in longer], fuzz.partial_ratio, cutoff)
        )
        words = self._words
        if len(words) > 1:
            # every word of the query among the key's words: then the key has every trigram
            # of " word " (query trigrams all), so only keys sharing that many are checked
            needed = set().union(*map(_gram_set, words)) & set(self._grams.tolist())
            for i in np.flatnonzero((self._shared >= len(needed)) & (partial < ALL_WORDS)).tolist():
                if words <= set(keys[i].split()):
                    partial[i] = ALL_WORDS
        partial[self._missing] -= MISSING_NUMBER
        best = np.maximum(ratio, partial)
        kept = np.flatnonzero(best >= self.floor)
        ids = self.ids
        kept = kept[np.lexsort((ids[kept], -ratio[kept], -best[kept]))]  # best first
        return list(map(Scored, ids[kept].tolist(), ratio[kept].tolist(), partial[kept].tolist()))
