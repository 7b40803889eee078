"""The runtime snapshot: the built catalog and search indexes as plain arrays (``engine.npz``).

The ETL builds the catalog and key tables from the parquet tables once and saves them here
(:mod:`movierec.etl.derived`), so the bot starts by reading arrays (numpy only: no pyarrow, no
pandas, no re-folding 160k names) instead of rebuilding everything. This module reads and writes
plain data; the engine loads it, never the other way round. Tests check that the snapshot
answers exactly as the parquet build does.
"""

from __future__ import annotations

import lzma
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import overload

import numpy as np
import numpy.typing as npt

from movierec import columns, npz, strings
from movierec.catalog import Catalog, Groups, People
from movierec.npz import Arrays
from movierec.search import text
from movierec.search.keys import RESOLVERS, KeyTables

__all__ = [
    "CANARIES",
    "FILE_NAME",
    "FLOATS",
    "VERSION",
    "PackedTexts",
    "StaleSnapshot",
    "canary_keys",
    "load",
    "save",
]

FILE_NAME = "engine.npz"
VERSION = 4  # 2: canary keys; 3: extras (images, overviews, alternative titles); 4: xz blocks
# Keys are folded by code (text.fold, text.title_key). If that code changes after the snapshot
# was built, stored keys no longer meet typed ones: these canaries detect it at load.
CANARIES = (
    "The Godfather: Part II",
    "Amélie",
    "M*A*S*H",
    "(500) Days of Summer",
    "Straße",
    "Robert De Niro",
    "El laberinto del fauno",
)


class StaleSnapshot(npz.NpzError):
    """The snapshot's keys were folded by different code than is running now."""


class PackedTexts(Sequence[str | None]):
    """Strings (or None) in xz-compressed blocks of ``PACK_BLOCK``, each decompressed the first
    time one of its strings is read: a card costs one block (~13 ms, once), not all (0.4 s)."""

    def __init__(
        self,
        packed: npt.NDArray[np.uint8],  # the blocks, one after another
        starts: npt.NDArray[np.int64],  # byte where each block starts, and the end
        offsets: npt.NDArray[np.int64],  # each block's pack_strings offsets, one after another
    ) -> None:
        self._packed, self._starts, self._offsets = packed, starts, offsets
        self._len = len(offsets) - (len(starts) - 1)  # each block has one offset more
        self._blocks: dict[int, list[str | None]] = {}

    @staticmethod
    def pack(
        values: Sequence[str | None],
    ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        blocks, offsets = [], []
        for first in range(0, len(values), PACK_BLOCK):
            blob, block_offsets = strings.pack_strings(values[first : first + PACK_BLOCK])
            blocks.append(lzma.compress(blob.tobytes(), preset=9))  # no timestamps: same bytes
            offsets.append(block_offsets)
        starts = np.concatenate(([0], np.cumsum([len(b) for b in blocks], dtype=np.int64)))
        packed = np.frombuffer(b"".join(blocks), np.uint8)
        return packed, starts, np.concatenate([np.zeros(0, np.int64), *offsets])

    def __len__(self) -> int:
        return self._len

    def _block(self, k: int) -> list[str | None]:
        if k not in self._blocks:
            raw = lzma.decompress(self._packed[self._starts[k] : self._starts[k + 1]].tobytes())
            first = k * (PACK_BLOCK + 1)
            offsets = self._offsets[first : first + min(PACK_BLOCK, self._len - k * PACK_BLOCK) + 1]
            self._blocks[k] = strings.unpack_strings(np.frombuffer(raw, np.uint8), offsets)
        return self._blocks[k]

    @overload
    def __getitem__(self, index: int) -> str | None: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str | None]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str | None] | None:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        block, within = divmod(index, PACK_BLOCK)
        return self._block(block)[within]


def canary_keys() -> list[str]:
    return [text.title_key(c) for c in CANARIES] + [text.fold(c) for c in CANARIES]


FLOATS = ("budget", "revenue", "returns", "popularity", "vote_average", "runtime")
OPTIONAL_TEXTS = ("image_url", "overview_source", "overview_url")
# The overviews are the snapshot's largest text (7 MB) and only cards read them: stored
# xz-compressed (a third smaller than the zip's deflate) and decompressed at the first card.
PACKED_TEXTS = ("overview",)
PACK_BLOCK = 2048  # 13 ms to open a block; smaller blocks compress worse (512: +0.3 MB)
NESTED_EXTRAS = ("alt_titles", "alt_languages")


def _strings(prefix: str, values: Iterable[str | None]) -> Arrays:
    blob, offsets = strings.pack_strings(list(values))
    return {f"{prefix}.blob": blob, f"{prefix}.offsets": offsets}


def _nested(prefix: str, lists: Sequence[Sequence[str]]) -> Arrays:
    sizes = np.fromiter((len(items) for items in lists), dtype=np.int64, count=len(lists))
    flat = [item for items in lists for item in items]
    return {**_strings(prefix, flat), f"{prefix}.starts": np.concatenate(([0], np.cumsum(sizes)))}


def _groups(prefix: str, groups: Groups) -> Arrays:
    return {f"{prefix}.starts": groups.starts, f"{prefix}.values": groups.values}


def save(c: Catalog, tables: dict[str, KeyTables], path: Path) -> None:
    arrays: Arrays = {
        "version": np.asarray(VERSION),
        **_strings("canaries", canary_keys()),
        "ids": c.ids,
        "days": c.dates.astype(np.int64).astype(np.int32),
        "years": c.years,
        "vote_count": c.vote_count,
        **{name: getattr(c, name) for name in FLOATS},
        **_strings("titles", c.titles),
        **_nested("genres", c.genres),
        **_nested("companies", c.companies),
        **_strings("collection", c.collection),
        **_strings("imdb_id", c.imdb_id),
        **_strings("actors", c.actors.names),
        **_groups("actors.films", c.actors.films),
        **_strings("directors", c.directors.names),
        **_groups("directors.films", c.directors.films),
        **_groups("cast", c.cast),
        **_groups("directed_by", c.directed_by),
    }
    n = len(c)
    for name in OPTIONAL_TEXTS:
        arrays.update(_strings(name, getattr(c, name) or (None,) * n))
    for name in PACKED_TEXTS:
        packed, starts, offsets = PackedTexts.pack(list(getattr(c, name) or (None,) * n))
        arrays.update(
            {f"{name}.xz": packed, f"{name}.xz_starts": starts, f"{name}.offsets": offsets}
        )
    for name in NESTED_EXTRAS:
        arrays.update(_nested(name, getattr(c, name) or ((),) * n))
    for name, table in tables.items():
        arrays.update({f"{name}.{key}": value for key, value in table.arrays().items()})
    npz.write(path, arrays)


def _unstrings(arrays: Arrays, prefix: str) -> list[str | None]:
    return strings.unpack_strings(arrays[f"{prefix}.blob"], arrays[f"{prefix}.offsets"])


def _stored(
    arrays: Arrays, prefix: str
) -> tuple[strings.Blob, npt.NDArray[np.int64], strings.Blob | None]:
    name = f"{prefix}.blob"
    return arrays[name], arrays[f"{prefix}.offsets"], strings.separated_of(arrays, name)


def _strings_column(arrays: Arrays, prefix: str) -> columns.Column[str | None]:
    return columns.strings(*_stored(arrays, prefix))


def _texts(arrays: Arrays, prefix: str) -> columns.Column[str]:
    """Strings that are never missing (titles, names): a None means a damaged file."""
    try:
        return columns.texts(*_stored(arrays, prefix))
    except ValueError:
        raise npz.NpzError(f"missing {prefix} in the snapshot; run `make data`") from None


def _unnest(arrays: Arrays, prefix: str) -> columns.Column[tuple[str, ...]]:
    _texts(arrays, prefix)  # checks that no string is missing
    blob, offsets, separated = _stored(arrays, prefix)
    return columns.nested(blob, offsets, arrays[f"{prefix}.starts"], separated)


def _ungroup(arrays: Arrays, prefix: str) -> Groups:
    return Groups(arrays[f"{prefix}.starts"], arrays[f"{prefix}.values"])


def load(path: Path) -> tuple[Catalog, dict[str, KeyTables]]:
    arrays = npz.read(path)
    try:
        return _load(path, arrays)
    except KeyError as missing:
        raise npz.NpzError(f"{path}: no {missing} in the snapshot; run `make data`") from None


def _load(path: Path, arrays: Arrays) -> tuple[Catalog, dict[str, KeyTables]]:
    if int(arrays.get("version", -1)) != VERSION:
        raise StaleSnapshot(f"{path}: snapshot from another version; run `make data`")
    if _unstrings(arrays, "canaries") != canary_keys():
        raise StaleSnapshot(f"{path}: keys folded by older code; run `make data`")
    ids = arrays["ids"]
    catalog = Catalog(
        ids=ids,
        titles=_texts(arrays, "titles"),
        dates=arrays["days"].astype("datetime64[D]"),
        years=arrays["years"],
        vote_count=arrays["vote_count"],
        **{name: arrays[name] for name in FLOATS},
        genres=_unnest(arrays, "genres"),
        companies=_unnest(arrays, "companies"),
        collection=_strings_column(arrays, "collection"),
        imdb_id=_strings_column(arrays, "imdb_id"),
        actors=People("actor", _texts(arrays, "actors"), _ungroup(arrays, "actors.films")),
        directors=People(
            "director", _texts(arrays, "directors"), _ungroup(arrays, "directors.films")
        ),
        cast=_ungroup(arrays, "cast"),
        directed_by=_ungroup(arrays, "directed_by"),
        row_of_id=dict(zip(ids.tolist(), range(len(ids)), strict=True)),
        image_url=_strings_column(arrays, "image_url"),
        overview=PackedTexts(
            arrays["overview.xz"], arrays["overview.xz_starts"], arrays["overview.offsets"]
        ),
        overview_source=_strings_column(arrays, "overview_source"),
        overview_url=_strings_column(arrays, "overview_url"),
        alt_titles=_unnest(arrays, "alt_titles"),
        alt_languages=_unnest(arrays, "alt_languages"),
    )
    for holder in (catalog, catalog.actors, catalog.directors):
        for attribute, value in vars(holder).items():
            if isinstance(value, columns.Column):
                value.bind(holder, attribute)
    tables = {
        name: KeyTables.from_arrays(
            {
                key.removeprefix(f"{name}."): v
                for key, v in arrays.items()
                if key.startswith(f"{name}.")
            }
        )
        for name in RESOLVERS
    }
    return catalog, tables
