"""What a query is compared with keys by: its trigrams (for the index's shortlist) and
rapidfuzz's scores of the shortlisted keys, whole-string ratios first, the rest when asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

__all__ = [
    "ALL_WORDS",
    "FRAGMENT_RATIO",
    "MISSING_NUMBER",
    "Grams",
    "Scored",
    "Scoring",
    "pad",
    "query_grams",
]

# a key holding every word of a multi-word query ("lord of the rings fellowship") is all but it
ALL_WORDS = 95.0
# a key without a number the query has ("godfather 2" vs "godfather") is probably not it
MISSING_NUMBER = 15.0
# Below this length ratio a key is a fragment of the query, not a candidate for it:
# "uno" must not match "el laberinto del fauno" just because it is contained in it.
FRAGMENT_RATIO = 0.67

Grams = npt.NDArray[np.uint64]


def pad(key: str) -> str:
    return f"  {key} "


def _gram_set(key: str) -> set[int]:
    codes = [ord(c) for c in pad(key)]
    return {(a << 42) | (b << 21) | c for a, b, c in zip(codes, codes[1:], codes[2:], strict=False)}


def query_grams(key: str) -> Grams:
    """The key's distinct trigram ids, ascending (as the index files them)."""
    return np.array(sorted(_gram_set(key)), dtype=np.uint64)


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
        lengths: npt.NDArray[np.int32],  # len() of each of ``keys`` (the index keeps them)
        floor: float,
    ) -> None:
        self.query, self.ids, self.keys, self.floor = query, ids, keys, floor
        self._grams, self._shared, self._lengths = grams, shared, lengths
        self._words = set(query.split())
        self._numbers = {w for w in self._words if w.isdigit()}
        # keys without every number of the query ("godfather 2" vs "godfather") lose points
        self._missing: list[int] = []
        if self._numbers:
            numbers = self._numbers
            # a substring test first (C, no generator): most keys lack the digits entirely
            self._missing = [
                i
                for i, key in enumerate(keys)
                if not all(map(key.__contains__, numbers)) or not numbers <= set(key.split())
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
