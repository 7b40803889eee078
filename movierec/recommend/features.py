"""Film feature vectors for the recommender: one TF-IDF block per field, weighted, stacked.

Names are whole tokens ("Tom Hanks", not "tom" + "hanks"), cast is weighted by billing, each
block is L2-normalised before weighting so a long overview cannot drown a shared director.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc
import pyarrow.parquet as pq
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CAST_DECAY",
    "CAST_DEPTH",
    "DEFAULT_WEIGHTS",
    "FeatureMatrix",
    "FilmFields",
    "build",
    "read_fields",
]

# Tuned on the MovieLens leave-one-out evaluation (python -m movierec.recommend.evaluate).
# Chosen for balance, not the best HR: a heavier era weight and popularity prior score higher
# on MovieLens (whose users rate popular films of their time) but shrink catalog coverage.
DEFAULT_WEIGHTS = {
    "genres": 1.0,
    "keywords": 1.0,
    "directors": 0.8,
    "cast": 1.0,
    "collection": 0.8,
    "companies": 0.3,
    "origin": 0.6,
    "decade": 0.5,
    "plot": 0.6,
}
CAST_DEPTH = 8  # billed actors that count
CAST_DECAY = 0.15  # weight of the n-th billed actor: 1 / (1 + CAST_DECAY * n)


@dataclass(frozen=True)
class FilmFields:
    """The raw per-film fields the vectors are built from, row-aligned with movies.parquet."""

    ids: npt.NDArray[np.int32]
    genres: list[list[str]]
    keywords: list[list[str]]
    directors: list[list[str]]
    cast: list[list[str]]  # billing order
    collection: list[str | None]
    companies: list[list[str]]
    origin: list[list[str]]  # production countries and spoken languages
    years: npt.NDArray[np.int16]
    plot: list[str]  # tagline + overview
    tagline: list[str]


@dataclass(frozen=True)
class FeatureMatrix:
    matrix: sp.csr_matrix  # rows L2-normalised: cosine is a dot product
    block_names: tuple[str, ...]
    block_starts: npt.NDArray[np.int64]  # column where each block starts (+ the end)
    labels: list[str]  # a readable token per column
    # each film's whole-vector length before normalising (sparse blocks + ``extra_square``)
    norms: npt.NDArray[np.float64] | None = None


def read_fields(folder: Path) -> FilmFields:
    movies = pq.read_table(folder / "movies.parquet")
    credits = pq.read_table(folder / "credits.parquet").to_pandas()
    keywords = pq.read_table(folder / "keywords.parquet").to_pandas()
    ids = movies["id"].to_numpy()
    row_of = {int(m): i for i, m in enumerate(ids.tolist())}
    n = len(ids)

    def per_film(frame: pd.DataFrame, column: str) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in range(n)]
        for movie_id, value in zip(frame["movie_id"].tolist(), frame[column].tolist(), strict=True):
            out[row_of[movie_id]].append(value)
        return out

    credits = credits.sort_values(["movie_id", "kind", "position"], kind="stable")
    keyword_lists: list[list[str]] = [[] for _ in range(n)]
    for movie_id, words in zip(keywords["movie_id"], keywords["keywords"], strict=True):
        keyword_lists[row_of[int(movie_id)]] = list(words)
    tagline = pc.fill_null(movies["tagline"], "").to_pylist()
    overview = pc.fill_null(movies["overview"], "").to_pylist()
    return FilmFields(
        ids=ids,
        genres=[list(g) for g in movies["genres"].to_pylist()],
        keywords=keyword_lists,
        directors=per_film(credits[credits.job.astype(str) == "Director"], "name"),
        cast=per_film(credits[credits.kind.astype(str) == "cast"], "name"),
        collection=movies["collection"].to_pylist(),
        companies=[list(c) for c in movies["production_companies"].to_pylist()],
        origin=[
            list(countries) + list(languages)
            for countries, languages in zip(
                movies["production_countries"].to_pylist(),
                movies["spoken_languages"].to_pylist(),
                strict=True,
            )
        ],
        years=movies["release_year"].to_numpy(),
        plot=[f"{t} {o}".strip() for t, o in zip(tagline, overview, strict=True)],
        tagline=tagline,
    )


def _tokens_block(
    docs: Sequence[Sequence[str]], min_df: int = 1
) -> tuple[sp.csr_matrix, list[str]]:
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, min_df=min_df, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no token at all (a tiny catalog)
        return sp.csr_matrix((len(docs), 0), dtype=np.float32), []
    return matrix.astype(np.float32), [str(t) for t in vectorizer.get_feature_names_out()]


def _cast_block(cast: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, list[str]]:
    vocab: dict[str, int] = {}
    rows, cols, data = [], [], []
    for row, names in enumerate(cast):
        for position, name in enumerate(names[:CAST_DEPTH]):
            rows.append(row)
            cols.append(vocab.setdefault(name, len(vocab)))
            data.append(1.0 / (1.0 + CAST_DECAY * position))
    counts = sp.csr_matrix((data, (rows, cols)), shape=(len(cast), len(vocab)), dtype=np.float32)
    if not vocab:
        return counts, []
    weighted = TfidfTransformer(sublinear_tf=False).fit_transform(counts)
    return weighted.astype(np.float32), list(vocab)


def _plot_block(plot: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    vectorizer = TfidfVectorizer(
        stop_words="english", min_df=3, max_df=0.3, sublinear_tf=True, max_features=30_000
    )
    try:
        matrix = vectorizer.fit_transform(plot)
    except ValueError:  # empty vocabulary: no overviews at all
        return sp.csr_matrix((len(plot), 0), dtype=np.float32), []
    return matrix.astype(np.float32), [str(t) for t in vectorizer.get_feature_names_out()]


def build(
    fields: FilmFields,
    weights: dict[str, float] | None = None,
    extra_square: npt.NDArray[np.float64] | None = None,
) -> FeatureMatrix:
    """The stacked, weighted blocks, each film's row of unit length; ``extra_square``: the
    squared length the film's dense blocks add (they are stored apart, see build.py), so the
    sparse row is scaled to leave them their share of the unit."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    decades = [[f"{int(y) // 10 * 10}s"] for y in fields.years]
    blocks = {
        "genres": _tokens_block(fields.genres),
        "keywords": _tokens_block(fields.keywords, min_df=2),
        "directors": _tokens_block(fields.directors),
        "cast": _cast_block(fields.cast),
        "collection": _tokens_block([[c] if c else [] for c in fields.collection]),
        "companies": _tokens_block(fields.companies, min_df=2),
        "origin": _tokens_block(fields.origin, min_df=2),
        "decade": _tokens_block(decades),
        "plot": _plot_block(fields.plot),
    }
    parts, labels, starts = [], [], [0]
    for name, (matrix, vocab) in blocks.items():
        if matrix.shape[1]:  # a tiny catalog can leave a block without any column
            parts.append(normalize(matrix) * np.float32(np.sqrt(weights[name])))
        labels += vocab
        starts.append(starts[-1] + matrix.shape[1])
    stacked = sp.hstack(parts, format="csr", dtype=np.float32)
    square = np.asarray(stacked.multiply(stacked).sum(axis=1), dtype=np.float64).ravel()
    if extra_square is not None:
        square = square + extra_square
    norms = np.sqrt(square)
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    stacked = sp.csr_matrix(sp.diags(inverse.astype(np.float32)) @ stacked, dtype=np.float32)
    stacked.sort_indices()
    block_starts = np.asarray(starts, dtype=np.int64)
    return FeatureMatrix(stacked, tuple(blocks), block_starts, labels, norms)
