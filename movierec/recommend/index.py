"""The recommender's stored index: feature rows, a quality prior, and every film's top neighbours.

Built once by the ETL (:mod:`movierec.recommend.build`, ``recommender.npz`` next to the
catalog), loaded by the bot in milliseconds, so serving a recommendation is a lookup instead of
a 45k-row cosine scan. Loading needs numpy and scipy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from movierec import npz
from movierec.npz import Arrays
from movierec.search.lookup import StringTable

__all__ = ["FILE_NAME", "TOP_N", "IndexLoadError", "SimilarityIndex", "load"]

FILE_NAME = "recommender.npz"
TOP_N = 50  # neighbours stored per film


class IndexLoadError(Exception):
    """The index file is missing, unreadable or does not match the catalog."""


@dataclass(frozen=True)
class SimilarityIndex:
    ids: npt.NDArray[np.int32]  # TMDB id per row (must equal the catalog's)
    matrix: sp.csr_matrix  # L2-normalised feature rows (float32)
    prior: npt.NDArray[np.float32]  # per film, multiplies the cosine when ranking
    # (n, TOP_N) film rows, best first, -1 pads short lists; None: rank on the fly (tuning)
    neighbours: npt.NDArray[np.int32] | None
    block_names: tuple[str, ...]
    block_starts: npt.NDArray[np.int64]
    labels: StringTable  # a readable token per feature column

    def block_of(self, columns: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.intp]:
        """The feature block (index into ``block_names``) of each column."""
        blocks: npt.NDArray[np.intp] = np.searchsorted(self.block_starts, columns, side="right")
        return blocks - 1


def load(path: Path) -> SimilarityIndex:
    try:
        return _from_arrays(npz.read(path))
    except npz.NpzError as exc:
        raise IndexLoadError(f"recommender index: {exc}") from None
    except KeyError as missing:
        raise IndexLoadError(f"{path}: no {missing} in the index; run `make data`") from None


def _from_arrays(arrays: Arrays) -> SimilarityIndex:
    neighbours = arrays["neighbours"].astype(np.int32)
    pad = np.iinfo(arrays["neighbours"].dtype).max
    neighbours[arrays["neighbours"] == pad] = -1
    shape = tuple(int(v) for v in arrays["shape"])
    matrix = sp.csr_matrix(
        (arrays["data"].astype(np.float32), arrays["indices"], arrays["indptr"]), shape=shape
    )
    return SimilarityIndex(
        ids=arrays["ids"],
        matrix=matrix,
        prior=arrays["prior"],
        neighbours=neighbours,
        block_names=tuple(str(b) for b in arrays["block_names"]),
        block_starts=arrays["block_starts"],
        labels=StringTable.from_arrays(arrays["label_blob"], arrays["label_offsets"]),
    )
