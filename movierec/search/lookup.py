"""Compact string structures for the search indexes: a few arrays instead of 100k objects.

A Python str costs ~50 bytes of overhead and a dict entry ~100; at 230k keys per index that is
most of the bot's memory. These keep the text in one string and look keys up by binary search
over stable 32-bit hashes, checking every hit against the real text.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from typing import Any, cast, overload

import numpy as np
import numpy.typing as npt

from movierec import strings

__all__ = ["HashLookup", "StringTable", "int_view", "stable_hash"]


def stable_hash(text: str) -> int:
    """The same 32-bit value in every process (Python's hash() is salted per process).

    32 bits keep the index small; a collision only adds a candidate the caller rejects.
    """
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "little")


def int_view(array: npt.NDArray[np.integer[Any]]) -> Sequence[int]:
    """A 1-D integer array as a zero-copy sequence of Python ints, indexed as fast as a list
    (numpy's scalar indexing is slower) and without a list's 36 bytes per number."""
    if array.dtype == np.int32:
        return np.ascontiguousarray(array).data.cast("B").cast("i")
    if array.dtype == np.uint32:  # hashes
        return np.ascontiguousarray(array).data.cast("B").cast("I")
    return np.ascontiguousarray(array, dtype=np.int64).data.cast("B").cast("q")


class StringTable(Sequence[str]):
    """Many strings stored as one, sliced on demand.

    The offsets stay the array they were stored as (memory-mapped from the unpacked snapshot,
    read through a memoryview, as fast as a list), not a Python list of ints.
    """

    def __init__(
        self,
        text: str,
        offsets: npt.NDArray[np.integer[Any]],
        stored: tuple[strings.Blob, strings.Blob | None] | None = None,
    ) -> None:
        self._text = text
        self._array = np.ascontiguousarray(offsets)
        self._offsets = int_view(self._array)
        self._stored = stored  # the blob, and its separated copy: for strings()
        self._memo: dict[int, str] = {}  # strings read by many()

    @classmethod
    def of(cls, values: Iterable[str]) -> StringTable:
        return cls.from_arrays(*strings.pack_strings(list(values)))

    def arrays(self) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
        blob = np.frombuffer(self._text.encode("utf-8"), dtype=np.uint8)
        return blob, self._array.astype(np.int64)

    @classmethod
    def from_arrays(
        cls,
        blob: strings.Blob,
        offsets: npt.NDArray[np.integer[Any]],
        separated: strings.Blob | None = None,
    ) -> StringTable:
        return cls(blob.tobytes().decode("utf-8"), offsets, (blob, separated))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("string table index out of range")
        return self._text[self._offsets[index] : self._offsets[index + 1]]

    def strings(self) -> list[str]:
        """Every string, as a list (a copy: ~60 bytes a string); one split of the stored
        blob's separated copy when there is one (a third of slicing them one by one)."""
        if self._stored is not None:
            blob, separated = self._stored
            return cast(list[str], strings.unpack_strings(blob, self._array, separated))
        bounds: list[int] = self._array.tolist()
        return [self._text[a:b] for a, b in itertools.pairwise(bounds)]

    def at(self, index: int) -> str:
        """``self[index]`` for an index known to be in range (no checks: hot loops)."""
        return self._text[self._offsets[index] : self._offsets[index + 1]]

    def tail(self, index: int, skip: int) -> str:
        """String ``index`` (in range) without its first ``skip`` characters."""
        return self._text[self._offsets[index] + skip : self._offsets[index + 1]]

    def many(self, indexes: npt.NDArray[np.integer[Any]]) -> list[str]:
        """The strings at these indexes (in range), in one call. Each string read this way is
        kept (the labels of a recommendation's reasons are read again and again: a dict hit
        costs a third of slicing), so memory grows to the strings actually read, at most the
        table."""
        memo = self._memo
        found = list(map(memo.get, indexes.tolist()))
        if None in found:
            text, offsets = self._text, self._offsets
            for at, (i, value) in enumerate(zip(indexes.tolist(), found, strict=True)):
                if value is None:
                    found[at] = memo[i] = text[offsets[i] : offsets[i + 1]]
        return found  # type: ignore[return-value]  # every None was replaced


class HashLookup:
    """Text → the ids filed under it, by binary search over sorted stable hashes."""

    def __init__(self, hashes: npt.NDArray[np.uint32], ids: npt.NDArray[np.int32]) -> None:
        self.hashes, self.ids = hashes, ids
        # bisect over memoryviews: a lookup is a handful of C comparisons, where two numpy
        # searchsorted calls on a scalar cost twice the whole lookup
        self._hashes, self._ids = int_view(hashes), int_view(ids)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, int]]) -> HashLookup:
        items = list(pairs)
        hashes = np.fromiter((stable_hash(t) for t, _ in items), dtype=np.uint32, count=len(items))
        ids = np.fromiter((i for _, i in items), dtype=np.int32, count=len(items))
        order = np.lexsort((ids, hashes))
        return cls(hashes[order], ids[order])

    def candidates(self, text: str) -> list[int]:
        """Ids whose text may equal ``text`` (callers confirm: hashes can collide)."""
        value = stable_hash(text)
        first = bisect.bisect_left(self._hashes, value)
        last = bisect.bisect_right(self._hashes, value, first)
        return list(self._ids[first:last])
