"""Compact string structures for the search indexes: a few arrays instead of 100k objects.

A Python str costs ~50 bytes of overhead and a dict entry ~100; at 230k keys per index that is
most of the bot's memory. These keep the text in one string and look keys up by binary search
over stable 32-bit hashes, checking every hit against the real text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

from movierec import npz

__all__ = ["HashLookup", "StringTable", "stable_hash"]


def stable_hash(text: str) -> int:
    """The same 32-bit value in every process (Python's hash() is salted per process).

    32 bits keep the index small; a collision only adds a candidate the caller rejects.
    """
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "little")


class StringTable(Sequence[str]):
    """Many strings stored as one, sliced on demand."""

    def __init__(self, text: str, offsets: np.ndarray) -> None:
        self._text = text
        self._offsets = offsets.astype(np.int64).tolist()

    @classmethod
    def of(cls, values: Iterable[str]) -> StringTable:
        return cls.from_arrays(*npz.pack_strings(list(values)))

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.frombuffer(self._text.encode("utf-8"), dtype=np.uint8), np.asarray(self._offsets)

    @classmethod
    def from_arrays(cls, blob: np.ndarray, offsets: np.ndarray) -> StringTable:
        return cls(blob.tobytes().decode("utf-8"), offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self._text[self._offsets[index] : self._offsets[index + 1]]


class HashLookup:
    """Text → the ids filed under it, by binary search over sorted stable hashes."""

    def __init__(self, hashes: np.ndarray, ids: np.ndarray) -> None:
        self.hashes, self.ids = hashes, ids

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, int]]) -> HashLookup:
        items = list(pairs)
        hashes = np.fromiter((stable_hash(t) for t, _ in items), dtype=np.uint32, count=len(items))
        ids = np.fromiter((i for _, i in items), dtype=np.int32, count=len(items))
        order = np.lexsort((ids, hashes))
        return cls(hashes[order], ids[order])

    def candidates(self, text: str) -> list[int]:
        """Ids whose text may equal ``text`` (callers confirm: hashes can collide)."""
        value = np.uint32(stable_hash(text))
        first = int(np.searchsorted(self.hashes, value, side="left"))
        last = int(np.searchsorted(self.hashes, value, side="right"))
        return self.ids[first:last].tolist()
