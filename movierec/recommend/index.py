"""The recommender's stored index: feature rows, a quality prior, and every film's top neighbours.

Built once by the ETL (:mod:`movierec.recommend.build`, ``recommender.npz`` next to the
catalog), loaded by the bot in milliseconds, so serving a recommendation is a lookup instead of
a 45k-row cosine scan. Loading needs numpy only: the feature rows are three plain arrays
(:class:`Csr`), and scipy is imported only by code that asks for a scipy matrix (the build,
tests, evaluation).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from movierec import npz
from movierec.npz import Arrays
from movierec.recommend import dense as dense_module
from movierec.recommend import explained as explained_module
from movierec.recommend.dense import DenseBlock
from movierec.recommend.explained import Explained
from movierec.search.lookup import StringTable

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "DERIVED_VERSION",
    "FILE_NAME",
    "TOP_N",
    "Csr",
    "IndexLoadError",
    "SimilarityIndex",
    "by_column",
    "from_arrays",
    "load",
]

FILE_NAME = "recommender.npz"
TOP_N = 50  # neighbours stored per film
# what _derive() adds to the unpacked cache: change it when that changes
DERIVED_VERSION = f"4;{explained_module.VERSION}"


class IndexLoadError(Exception):
    """The index file is missing, unreadable or does not match the catalog."""


@dataclass(frozen=True, eq=False)
class Csr:
    """A sparse float32 matrix as scipy's CSR arrays: row ``r`` has values ``data[a:b]`` at
    columns ``indices[a:b]`` (ascending), ``a, b = indptr[r], indptr[r + 1]``."""

    indptr: npt.NDArray[np.integer[Any]]
    indices: npt.NDArray[np.integer[Any]]
    data: npt.NDArray[np.float32]
    shape: tuple[int, int]

    @classmethod
    def of(cls, matrix: sp.csr_matrix) -> Csr:
        matrix = matrix.tocsr()
        matrix.sort_indices()
        return cls(
            matrix.indptr.astype(np.int64),
            matrix.indices.astype(np.int32),
            matrix.data.astype(np.float32),
            (int(matrix.shape[0]), int(matrix.shape[1])),
        )

    def to_scipy(self) -> sp.csr_matrix:
        import scipy.sparse as sp

        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    def sizes(self) -> npt.NDArray[np.int64]:
        """Stored values per row."""
        return np.diff(self.indptr).astype(np.int64)

    def row(self, row: int) -> tuple[npt.NDArray[np.integer[Any]], npt.NDArray[np.float32]]:
        start, end = int(self.indptr[row]), int(self.indptr[row + 1])
        return self.indices[start:end], self.data[start:end]


def by_column(matrix: Csr) -> Csr:
    """The same values grouped by column (the transpose, rows ascending within a column)."""
    n_rows, n_columns = matrix.shape
    order = np.argsort(matrix.indices, kind="stable")  # rows stay ascending within a column
    owners = np.repeat(np.arange(n_rows, dtype=np.int32), np.diff(matrix.indptr))
    indptr = np.zeros(n_columns + 1, dtype=np.int64)
    np.cumsum(np.bincount(matrix.indices, minlength=n_columns), out=indptr[1:])
    row_type = np.uint16 if n_rows <= np.iinfo(np.uint16).max else np.int32
    return Csr(indptr, owners[order].astype(row_type), matrix.data[order], (n_columns, n_rows))


@dataclass(frozen=True, eq=False)
class SimilarityIndex:
    ids: npt.NDArray[np.int32]  # TMDB id per row (must equal the catalog's)
    matrix: Csr  # L2-normalised feature rows (float32)
    prior: npt.NDArray[np.float32]  # per film, multiplies the cosine when ranking
    # (n, TOP_N) film rows, best first, ``pad`` fills short lists; None: rank on the fly (tuning)
    neighbours: npt.NDArray[np.integer[Any]] | None
    block_names: tuple[str, ...]
    block_starts: npt.NDArray[np.int64]
    labels: StringTable  # a readable token per feature column
    pad: int = -1  # what fills a short neighbour list
    columns: Csr | None = None  # ``matrix`` by column, when stored or derived; else on demand
    # folded genre name → its film rows (ascending), when the build stored them
    genres: dict[str, npt.NDArray[np.integer[Any]]] | None = None
    # every stored neighbour's cosine and reasons, when unpacked (else computed when asked)
    explained: Explained | None = None
    # dense blocks (semantic topics, collaborative factors): part of every cosine
    dense: tuple[DenseBlock, ...] = ()

    def block_of(self, columns: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.intp]:
        """The feature block (index into ``block_names``) of each column."""
        blocks: npt.NDArray[np.intp] = np.searchsorted(self.block_starts, columns, side="right")
        return blocks - 1

    def neighbours_of(self, row: int, limit: int | None = None) -> list[int]:
        """The film's stored neighbours, best first (the first ``limit``; none when none are
        stored)."""
        if self.neighbours is None:
            return []
        stored: list[int] = self.neighbours[row, :limit].tolist()
        pad = self.pad
        return stored if not stored or stored[-1] != pad else [r for r in stored if r != pad]


def load(path: Path) -> SimilarityIndex:
    try:
        return from_arrays(npz.read(path, derive=_derive, derived_version=DERIVED_VERSION))
    except npz.NpzError as exc:
        raise IndexLoadError(f"recommender index: {exc}") from None
    except KeyError as missing:
        raise IndexLoadError(f"{path}: no {missing} in the index; run `make data`") from None


def _matrix(arrays: Arrays) -> Csr:
    shape = tuple(int(v) for v in arrays["shape"])
    # float16 on disk; float32 to compute with (the build ranks with the same rounded values)
    values = arrays["data32"] if "data32" in arrays else arrays["data"].astype(np.float32)
    return Csr(arrays["indptr"], arrays["indices"], values, (shape[0], shape[1]))


def _derive(arrays: Arrays) -> Arrays:
    """What the unpacked cache keeps beside the stored arrays (computed once per data build):
    the values as float32 and by column, so loading converts and sorts nothing."""
    matrix = _matrix(arrays)
    columns = by_column(matrix)
    stored = arrays["neighbours"]
    explained = explained_module.explain_stored(
        matrix.indptr,
        matrix.indices,
        matrix.data,
        matrix.shape,
        stored,
        _pad(stored),
        [str(b) for b in arrays["block_names"]],
        arrays["block_starts"],
    )
    blocks = dense_module.from_arrays(arrays, matrix.shape[0])
    cosine = explained["explained.cosine"]
    slots = stored[:, : cosine.shape[1]]
    films = np.arange(len(slots))
    for slot in range(cosine.shape[1]):  # the dense blocks' part of each stored cosine
        valid = np.flatnonzero(slots[:, slot] != _pad(stored))
        cosine[valid, slot] += dense_module.pairs(blocks, films[valid], slots[valid, slot])
    return {
        "data32": matrix.data,
        "by_column.indptr": columns.indptr,
        "by_column.rows": columns.indices,
        "by_column.data": columns.data,
        **{f"dense.{b.name}.steps32": b.steps for b in blocks},
        **{f"dense.{b.name}.scaled32": b.scaled for b in blocks},
        **explained,
    }


def _pad(stored: npt.NDArray[np.integer[Any]]) -> int:
    """What fills a short neighbour list: the largest value of an unsigned type, else -1."""
    return int(np.iinfo(stored.dtype).max) if stored.dtype.kind == "u" else -1


def from_arrays(arrays: Arrays) -> SimilarityIndex:
    stored = arrays["neighbours"]
    matrix = _matrix(arrays)
    columns = None
    if "by_column.rows" in arrays:
        columns = Csr(
            arrays["by_column.indptr"],
            arrays["by_column.rows"],
            arrays["by_column.data"].astype(np.float32, copy=False),
            (matrix.shape[1], matrix.shape[0]),
        )
    genres = None
    if "genre_names" in arrays:  # written by builds since the speed work
        starts, rows = arrays["genre_starts"].tolist(), arrays["genre_rows"]
        genres = {
            str(name): rows[starts[i] : starts[i + 1]]
            for i, name in enumerate(arrays["genre_names"].tolist())
        }
    return SimilarityIndex(
        ids=arrays["ids"],
        matrix=matrix,
        prior=arrays["prior"],
        # as stored (uint16 for a catalog under 65,535 films), the largest value padding
        neighbours=stored,
        block_names=tuple(str(b) for b in arrays["block_names"]),
        block_starts=arrays["block_starts"],
        labels=StringTable.from_arrays(arrays["label_blob"], arrays["label_offsets"]),
        pad=_pad(stored),
        columns=columns,
        genres=genres,
        explained=Explained.from_arrays(arrays),
        dense=dense_module.from_arrays(arrays, matrix.shape[0]),
    )
