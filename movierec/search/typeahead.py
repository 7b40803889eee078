"""Titles by what has been typed so far: inline mode is typeahead on a phone.

``toy`` should offer Toy Story before it is typed out, and ``story`` should too: every word of
a title key starts a suffix ("toy story", "story"), and a query matches the suffixes it is a
prefix of. The suffixes are sorted once per data build (kept in the unpacked snapshot,
:func:`movierec.search.keys.word_suffixes`) and read from the keys as bisect compares them:
sorting them on the first query held the event loop for half a second, and keeping them as
strings took ~30 MB.
"""

from __future__ import annotations

import bisect

import numpy as np
import numpy.typing as npt

from movierec.catalog import Catalog
from movierec.search import text
from movierec.search.keys import KeyTables, word_suffixes
from movierec.search.lookup import StringTable, int_view

__all__ = ["SCAN_LIMIT", "Typeahead"]

SCAN_LIMIT = 20_000  # suffixes looked at for a one-letter query, at most


class _Suffixes:
    """The sorted suffixes as a sequence of strings, each sliced from its key when read."""

    def __init__(self, keys: StringTable, order: npt.NDArray[np.int32]) -> None:
        self.key_ids = order[0]
        self._keys, self._ids, self._skips = keys, int_view(order[0]), int_view(order[1])

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index: int) -> str:
        return self._keys.tail(self._ids[index], self._skips[index])


class Typeahead:
    def __init__(self, catalog: Catalog, tables: KeyTables) -> None:
        self._votes = catalog.vote_count
        self._tables = tables
        order = tables.suffixes
        self._suffixes = None if order is None else _Suffixes(tables.keys, order)

    def _sorted(self) -> _Suffixes:
        if self._suffixes is None:  # no unpacked snapshot (a read-only copy, the tests)
            keys = self._tables.keys
            self._suffixes = _Suffixes(keys, word_suffixes(keys.strings()))
        return self._suffixes

    def rows(self, query: str, limit: int) -> list[int]:
        """Film rows whose title has a word sequence starting with ``query``, most voted first."""
        key = text.fold(query)
        if not key:
            return []
        suffixes = self._sorted()
        # the article-less key too: "the matr" should find "matrix" keys
        spans = []
        for start in {key, text.drop_article(key)}:
            low = bisect.bisect_left(suffixes, start)
            end = min(low + SCAN_LIMIT, len(suffixes))
            high = bisect.bisect_left(suffixes, start + "\U0010ffff", low, end)
            spans.append(suffixes.key_ids[low:high])
        # one letter matches up to 20k suffixes: their films gathered and ranked in numpy, not
        # key by key (a one-letter inline query took 9-24 ms, every other chat waiting)
        films = self._tables.owners.union(np.concatenate(spans))
        votes = self._votes[films].astype(np.int64)
        if len(films) > limit > 0:  # only the top ones (and ties with the last) need sorting
            bound = np.partition(votes, len(votes) - limit)[len(votes) - limit]
            films, votes = films[votes >= bound], votes[votes >= bound]
        ranked = np.lexsort((films, -votes))[:limit]  # most voted first, then by row
        best: list[int] = films[ranked].tolist()
        return best
