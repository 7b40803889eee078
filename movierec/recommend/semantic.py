"""The semantic block: latent topics of each film's words, so two films about the same thing in
different words still meet (build time only: scikit-learn).

One document per film: its keywords and genres as whole tokens (``k:time travel``,
``g:Science Fiction``), tagline, overview and, where Kaggle has no overview, the extras'
Wikipedia lead paragraph. TF-IDF over those documents, then a truncated SVD (latent semantic
analysis) to ``dim`` topics, centred and L2-normalised: a film's row is a direction in topic
space and the dot product of two rows is their topical cosine. Films with no words at all get
a zero row (the block then says nothing about them).

The rows are stored as int8 (:func:`quantise`): 45k films × 16 topics is 0.7 MB, and the
rounding error (< 0.4% of a unit vector's length per value) moves no ranking that matters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from movierec.recommend.features import FilmFields

__all__ = [
    "DIMENSIONS",
    "QUANTUM",
    "SVD_SEED",
    "dequantise",
    "documents",
    "lead_paragraphs",
    "quantise",
    "topics",
]

DIMENSIONS = 16  # topics kept: 16 scored as well as 32 on the validation users (README)
SVD_SEED = 20171110  # randomized SVD with a fixed seed: the same build gives the same bytes
QUANTUM = 127  # int8 steps per unit: a unit vector's values lie in [-1, 1]
_WORD = re.compile(r"[a-z][a-z']+")


def lead_paragraphs(folder: Path, ids: npt.NDArray[np.int32]) -> list[str]:
    """The extras' lead paragraph per film ("" for none), row-aligned with ``ids``."""
    out = [""] * len(ids)
    path = folder / "film_extras.parquet"
    if not path.is_file():
        return out
    row_of = {int(m): i for i, m in enumerate(ids.tolist())}
    table = pq.read_table(path, columns=["movie_id", "overview"])
    for movie_id, text in zip(
        table["movie_id"].to_pylist(), table["overview"].to_pylist(), strict=True
    ):
        row = row_of.get(int(movie_id))
        if row is not None and text:
            out[row] = text
    return out


def documents(fields: FilmFields, leads: Sequence[str]) -> list[list[str]]:
    """Each film's tokens: keywords and genres whole, then the words of its tagline, overview
    and lead paragraph (the extras hold one only where Kaggle has no overview)."""
    docs = []
    for keywords, genres, plot, lead in zip(
        fields.keywords, fields.genres, fields.plot, leads, strict=True
    ):
        text = f"{plot} {lead}"
        words = [w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
        docs.append([f"k:{k}" for k in keywords] + [f"g:{g}" for g in genres] + words)
    return docs


def topics(docs: Sequence[Sequence[str]], dim: int | None = None) -> npt.NDArray[np.float32]:
    """(films × dim) float32: centred LSA topics, each row unit length (zero: no words);
    ``dim``: :data:`DIMENSIONS` unless given."""
    n = len(docs)
    dim = DIMENSIONS if dim is None else dim
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, min_df=3, max_df=0.3, sublinear_tf=True)
    try:
        tfidf = vectorizer.fit_transform(docs)
    except ValueError:  # no token common enough (a tiny catalog)
        return np.zeros((n, 0), dtype=np.float32)
    dim = min(dim, tfidf.shape[1] - 1, n - 1)
    if dim < 1:
        return np.zeros((n, 0), dtype=np.float32)
    svd = TruncatedSVD(dim, algorithm="randomized", n_iter=7, random_state=SVD_SEED)
    reduced = svd.fit_transform(tfidf)
    has_words = np.asarray(tfidf.getnnz(axis=1) > 0)
    # centred: the mean film direction is what every film shares, it would make all alike
    reduced[has_words] -= reduced[has_words].mean(axis=0)
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    out = np.divide(reduced, norms, out=np.zeros_like(reduced), where=norms > 0)
    out[~has_words] = 0
    as_float: npt.NDArray[np.float32] = out.astype(np.float32)
    return as_float


def quantise(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.int8]:
    """Unit rows as int8 steps of 1/QUANTUM."""
    return np.clip(np.rint(rows * QUANTUM), -QUANTUM, QUANTUM).astype(np.int8)


def dequantise(stored: npt.NDArray[np.int8]) -> npt.NDArray[np.float32]:
    """The stored rows as float32, renormalised (rounding shortens a unit vector slightly)."""
    rows = stored.astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: npt.NDArray[np.float32] = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return unit
