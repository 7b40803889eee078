"""Arrays and strings to and from ``.npz`` files, reproducibly (fixed zip timestamps)."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = ["Arrays", "NpzError", "pack_strings", "read", "unpack_strings", "write"]

# Arrays by name, as stored: each reader knows what dtype it wrote under each name.
Arrays: TypeAlias = dict[str, npt.NDArray[Any]]


class NpzError(Exception):
    """The file is missing, unreadable or not what this version writes."""


def write(path: Path, arrays: Mapping[str, npt.ArrayLike]) -> None:
    """np.savez_compressed, but with fixed zip timestamps: same inputs, same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)


def read(path: Path) -> Arrays:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise NpzError(f"{path}: unreadable ({exc}); run `make data`") from None


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


def unpack_strings(blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> list[str | None]:
    text = blob.tobytes().decode("utf-8")
    ends = offsets[1:]
    real_ends = np.where(ends < 0, -ends - 1, ends)
    starts = np.concatenate(([0], real_ends))[:-1]
    return [
        None if end < 0 else text[start:real]
        for start, real, end in zip(starts.tolist(), real_ends.tolist(), ends.tolist(), strict=True)
    ]
