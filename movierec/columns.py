"""Catalog columns of strings that become Python objects only when first read.

A start used to turn every string of the snapshot into a Python object (titles, names, genres,
companies, extras: ~600k of them, a third of the start-up), though most answers read a few
columns and some columns are read by no answer of a given process. A :class:`Column` knows its
length from the stored offsets and unpacks its values the first time one is read; from then on
it is the tuple it unpacked (indexing, iteration, equality).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast, overload

import numpy as np
import numpy.typing as npt

from movierec.strings import Blob, unpack_strings

__all__ = ["Column", "nested", "strings", "texts"]

T = TypeVar("T")


class Column(Sequence[T], Generic[T]):
    """A tuple made by ``make`` when first read (two threads reading at once may both make
    it: the same values, one kept)."""

    __slots__ = ("_holder", "_len", "_make", "_values")

    def __init__(self, length: int, make: Callable[[], tuple[T, ...]]) -> None:
        self._len = length
        self._make: Callable[[], tuple[T, ...]] | None = make
        self._values: tuple[T, ...] | None = None
        self._holder: tuple[object, str] | None = None

    def bind(self, owner: object, attribute: str) -> None:
        """Once unpacked, put the tuple in ``owner.attribute`` in place of this column (frozen
        dataclasses included): whoever reads the attribute then indexes a plain tuple, at C
        speed, where a column's indexing is a Python call (~0.1 µs, paid on hot paths)."""
        if self._values is not None:
            object.__setattr__(owner, attribute, self._values)
        else:
            self._holder = (owner, attribute)

    def values(self) -> tuple[T, ...]:
        values = self._values
        if values is None:
            make = self._make
            if make is None:  # another thread made it between the two reads
                values = self._values
                assert values is not None
                return values
            values = make()
            self._values = values
            self._make = None  # the stored arrays it read can go
            holder, self._holder = self._holder, None
            if holder is not None:
                object.__setattr__(*holder, values)
        return values

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return (self._values or self.values())[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self.values())

    def __contains__(self, value: object) -> bool:
        return value in self.values()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Column):
            return self.values() == other.values()
        return isinstance(other, tuple) and self.values() == other

    __hash__ = None  # type: ignore[assignment]  # like a list's: equal to a tuple, not one

    def __repr__(self) -> str:
        state = "unread" if self._values is None else f"{len(self)} values"
        return f"Column({state})"


Offsets = npt.NDArray[np.int64]


def strings(blob: Blob, offsets: Offsets, separated: Blob | None = None) -> Column[str | None]:
    """Strings stored by ``pack_strings`` (None where None was stored); ``separated`` makes
    unpacking them cheaper (``movierec.strings.unpack_strings``)."""
    return Column(len(offsets) - 1, lambda: tuple(unpack_strings(blob, offsets, separated)))


def nested(
    blob: Blob,
    offsets: Offsets,
    starts: npt.NDArray[np.integer[Any]],
    separated: Blob | None = None,
) -> Column[tuple[str, ...]]:
    """Tuples of strings (a film's genres): the strings flat, and where each tuple starts."""

    def make() -> tuple[tuple[str, ...], ...]:
        flat = cast(list[str], unpack_strings(blob, offsets, separated))  # checked by the caller
        # "Drama" 20,000 times is one string, not 20,000 (C-level maps: no Python loop)
        shared = dict(zip(flat, flat, strict=True))
        canonical = list(map(shared.__getitem__, flat))
        bounds: list[int] = starts.tolist()
        pieces = map(canonical.__getitem__, itertools.starmap(slice, itertools.pairwise(bounds)))
        return tuple(map(tuple, pieces))

    return Column(len(starts) - 1, make)


def texts(blob: Blob, offsets: Offsets, separated: Blob | None = None) -> Column[str]:
    """Strings that are never None (titles, names); ValueError if the offsets say otherwise."""
    if len(offsets) > 1 and int(offsets[1:].min()) < 0:
        raise ValueError("a missing value in a column of texts")
    return Column(
        len(offsets) - 1,
        lambda: tuple(cast(list[str], unpack_strings(blob, offsets, separated))),
    )
