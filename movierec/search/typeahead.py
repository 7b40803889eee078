"""Titles by what has been typed so far: inline mode is typeahead on a phone.

``toy`` should offer Toy Story before it is typed out, and ``story`` should too: every word of
a title key starts a suffix ("toy story", "story"), and a query matches the suffixes it is a
prefix of. The sorted suffix list is built on the first query, not at start-up.
"""

from __future__ import annotations

import bisect

import numpy as np

from movierec.catalog import Catalog
from movierec.search import text
from movierec.search.keys import KeyTables

__all__ = ["SCAN_LIMIT", "Typeahead"]

SCAN_LIMIT = 20_000  # suffixes looked at for a one-letter query, at most


class Typeahead:
    def __init__(self, catalog: Catalog, tables: KeyTables) -> None:
        self._votes = catalog.vote_count
        self._tables = tables
        self._suffixes: list[str] | None = None
        self._key_ids = np.empty(0, dtype=np.int32)

    def _build(self) -> list[str]:
        entries: list[tuple[str, int]] = []
        for key_id, key in enumerate(self._tables.keys):
            words = key.split(" ")
            entries.extend((" ".join(words[i:]), key_id) for i in range(len(words)))
        entries.sort()
        self._key_ids = np.fromiter((k for _, k in entries), dtype=np.int32, count=len(entries))
        self._suffixes = [suffix for suffix, _ in entries]
        return self._suffixes

    def rows(self, query: str, limit: int) -> list[int]:
        """Film rows whose title has a word sequence starting with ``query``, most voted first."""
        key = text.fold(query)
        if not key:
            return []
        suffixes = self._suffixes if self._suffixes is not None else self._build()
        # the article-less key too: "the matr" should find "matrix" keys
        starts = {key, text.drop_article(key)}
        found: set[int] = set()
        for start in starts:
            low = bisect.bisect_left(suffixes, start)
            end = min(low + SCAN_LIMIT, len(suffixes))
            high = bisect.bisect_left(suffixes, start + "\U0010ffff", low, end)
            for key_id in np.unique(self._key_ids[low:high]).tolist():
                found.update(self._tables.owners[key_id].tolist())
        ranked = sorted(found, key=lambda row: (-int(self._votes[row]), row))
        return ranked[:limit]
