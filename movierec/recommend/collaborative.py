"""The collaborative block: films liked by the same people (build time only: pandas, sklearn).

From MovieLens ratings (``ratings_small.csv`` + ``links_small.csv``, or the full
``ratings.csv`` + ``links.csv`` of the genuine download when present), each film rated at least
:data:`MIN_RATINGS` times and liked (a rating ≥ 4) at least once gets a vector: its row of the
film × user "liked" matrix, L2-normalised, reduced by a truncated SVD to :data:`DIMENSIONS`
factors and normalised again, so the dot product of two films' vectors is how much their
audiences overlap. Films with fewer ratings get none: their lists stay content-only.

Only the **train** users of the evaluation's split (:func:`.ratings.roles`) are read from
``ratings_small``, so the held-out users' ratings never shape the lists they are scored on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from movierec.catalog import Catalog
from movierec.etl.sources import LINKS, CsvTable, SourceError, SourceSpec, find, read_csv
from movierec.recommend import ratings as movielens

__all__ = [
    "DIMENSIONS",
    "FULL_RATINGS",
    "MIN_RATINGS",
    "SVD_SEED",
    "factors",
    "full_ratings",
    "training_ratings",
]

DIMENSIONS = 32
MIN_RATINGS = 3  # ratings (from train users) a film needs for a vector
SVD_SEED = 20171110
FULL_RATINGS = SourceSpec(names=("ratings.csv",), required=("userId", "movieId", "rating"))


def training_ratings(source: Path, catalog: Catalog) -> pd.DataFrame | None:
    """The ratings the block learns from (columns user, row, rating); None without any.

    With the genuine full ``ratings.csv`` every one of its users is read; Kaggle describes
    ``ratings_small`` as a subset of it, so they may include the users the evaluation scores
    (the README's caveat)."""
    full, links = find(source, FULL_RATINGS), find(source, LINKS)
    if full is not None and links is not None:
        return full_ratings(full, read_csv(links, LINKS), catalog)
    if find(source, movielens.RATINGS_SMALL) is None or find(source, movielens.LINKS_SMALL) is None:
        return None
    frame = movielens.ratings(source, catalog)
    parts = movielens.roles(frame.user.tolist())
    return frame[frame.user.map(parts) == "train"].reset_index(drop=True)


def full_ratings(path: Path, links: CsvTable, catalog: Catalog) -> pd.DataFrame:
    """The full ``ratings.csv`` (26M ratings, 709 MB) mapped to catalog rows like
    :func:`.ratings.mapped`, read by pandas into typed columns: as lists of strings, one per
    field, it took several GB. Incomplete lines are skipped; a file pandas cannot read as
    those columns is a SourceError."""
    try:
        frame = pd.read_csv(
            path,
            usecols=["userId", "movieId", "rating"],
            # float32 holds every MovieLens id exactly (< 2**24) and lets a short line (a
            # truncated download's last one) read as NaN, skipped below, not as an error
            dtype={"userId": np.float32, "movieId": np.float32, "rating": np.float32},
        )
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise SourceError(f"{path}: not a MovieLens ratings file ({exc})") from None
    users, movies, stars = (frame[c].to_numpy() for c in ("userId", "movieId", "rating"))
    complete = ~(np.isnan(users) | np.isnan(movies) | np.isnan(stars))
    movie = np.where(complete, movies, -1).astype(np.int32)
    link = pd.DataFrame(links.rows, columns=list(links.header))
    link = link[link.tmdbId.str.strip() != ""]
    # MovieLens id → catalog row (-1: not in the catalog), as one array lookup per rating
    to_row = np.full(int(max(movie.max(initial=0), 0)) + 1, -1, dtype=np.int32)
    tmdb_ids = link.tmdbId.astype(float).astype(int).tolist()
    for movie_id, tmdb in zip(link.movieId.astype(int).tolist(), tmdb_ids, strict=True):
        row = catalog.row(tmdb)
        if row is not None and 0 <= movie_id < len(to_row):
            to_row[movie_id] = row
    rows = np.where(movie >= 0, to_row[np.maximum(movie, 0)], -1)
    keep = rows >= 0
    return pd.DataFrame(
        {"user": users[keep].astype(np.int32), "row": rows[keep], "rating": stars[keep]}
    )


def factors(
    frame: pd.DataFrame, films: int, dim: int = DIMENSIONS, min_ratings: int = MIN_RATINGS
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """The films with a vector (rows, ascending) and their unit vectors (len(rows) × dim)."""
    liked = frame[frame.rating >= movielens.LIKED]
    users = {u: i for i, u in enumerate(sorted(set(liked.user.tolist())))}
    ratings = np.bincount(frame.row.to_numpy(dtype=np.int64), minlength=films)
    likes = np.bincount(liked.row.to_numpy(dtype=np.int64), minlength=films)
    rows = np.flatnonzero((ratings >= min_ratings) & (likes > 0)).astype(np.int32)
    dim = min(dim, len(rows) - 1, len(users) - 1)
    if dim < 1:
        return np.zeros(0, dtype=np.int32), np.zeros((0, 0), dtype=np.float32)
    matrix = sp.csr_matrix(
        (
            np.ones(len(liked), dtype=np.float64),
            (liked.row.to_numpy(), liked.user.map(users).to_numpy()),
        ),
        shape=(films, len(users)),
    )[rows]
    matrix.data[:] = 1.0  # a film liked twice by one user (duplicates summed) counts once
    svd = TruncatedSVD(dim, algorithm="randomized", n_iter=7, random_state=SVD_SEED)
    reduced = normalize(svd.fit_transform(normalize(matrix)))
    return rows, reduced.astype(np.float32)
