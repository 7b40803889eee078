"""Many strings stored as one UTF-8 blob and character offsets, and unpacked fast.

The snapshot stores every table of strings (titles, names, search keys) this way:
:func:`pack_strings` writes it, :func:`unpack_strings` reads it back. Unpacked copies of a
file also keep each blob with a NUL between its strings (:func:`separate`), so unpacking is
one decode and one split instead of a Python loop slicing each string.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from movierec.npz import Arrays, derivation, derived_name

__all__ = [
    "SEPARATED",
    "Blob",
    "pack_strings",
    "separate",
    "separated_of",
    "unpack_strings",
]

Blob: TypeAlias = npt.NDArray[np.uint8]  # UTF-8 text


def pack_strings(
    values: Sequence[str | None],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """One UTF-8 blob and character offsets; None is stored as offset -1 at its end."""
    text = "".join(v or "" for v in values)
    ends = np.cumsum([len(v or "") for v in values], dtype=np.int64)
    offsets = np.concatenate(([0], ends))
    missing = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    offsets[1:][missing] = -offsets[1:][missing] - 1  # negative end: a None
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8), offsets


def unpack_strings(
    blob: npt.NDArray[np.uint8],
    offsets: npt.NDArray[np.int64],
    separated: npt.NDArray[np.uint8] | None = None,
) -> list[str | None]:
    """The strings ``pack_strings`` packed; ``separated``, the blob with a NUL between them
    (:func:`separate`, kept in unpacked copies), makes it one decode and one split: slicing
    100k strings out of one in a Python loop costs three times as much."""
    ends = offsets[1:]
    if not len(ends):
        return []
    missing = ends < 0
    if separated is None:
        separated = separate(blob, offsets)
    if separated is None:  # a NUL inside a string: slice one by one
        real_ends = np.where(missing, -ends - 1, ends)
        return _sliced(blob.tobytes().decode("utf-8"), real_ends, missing)
    values: list[str | None] = list(str(separated.data, "utf-8").split("\0"))
    for i in np.flatnonzero(missing).tolist():
        values[i] = None
    return values


def separate(
    blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint8] | None:
    """The blob with a NUL byte between consecutive strings; None when a string holds one."""
    raw = blob.tobytes()
    if b"\0" in raw:
        return None
    ends = offsets[1:-1]
    cuts = np.where(ends < 0, -ends - 1, ends)  # character offsets: as bytes, after
    if not raw.isascii():  # the multi-byte characters before them
        cuts = cuts + _bytes_before(np.frombuffer(raw, np.uint8), cuts)
    separated: npt.NDArray[np.uint8] = np.insert(np.frombuffer(raw, np.uint8), cuts, 0)
    return separated


SEPARATED = "1"  # version of the separated blobs unpacked copies keep


def _separated(arrays: Arrays, name: str) -> npt.NDArray[np.uint8] | None:
    offsets = arrays.get(name.removesuffix("blob") + "offsets")
    return None if offsets is None else separate(arrays[name], offsets)


# string tables of the runtime snapshot: "<column>.blob", "<resolver>.keys_blob"
derivation(".blob", SEPARATED)(_separated)
derivation(".keys_blob", SEPARATED)(_separated)


def separated_of(arrays: Arrays, name: str) -> npt.NDArray[np.uint8] | None:
    """The separated copy of the stored blob ``name``, when the unpacked copy has one."""
    return arrays.get(derived_name(name, SEPARATED))


def _bytes_before(
    utf8: npt.NDArray[np.uint8], chars: npt.NDArray[np.int64]
) -> npt.NDArray[np.intp]:
    """How many continuation bytes (UTF-8 ``10xxxxxx``) precede each character offset."""
    continuation = np.flatnonzero((utf8 & 0xC0) == 0x80)
    # the k-th continuation byte belongs to the character before offset (its position - k)
    owners = continuation - np.arange(len(continuation))
    extra: npt.NDArray[np.intp] = np.searchsorted(owners, chars, side="right")
    return extra


def _sliced(
    text: str, ends: npt.NDArray[np.int64], missing: npt.NDArray[np.bool_]
) -> list[str | None]:
    bounds: list[int] = [0, *ends.tolist()]
    return [
        None if gone else text[a:b]
        for a, b, gone in zip(bounds, bounds[1:], missing.tolist(), strict=False)
    ]
