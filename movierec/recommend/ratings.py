"""MovieLens ratings for the evaluation and the collaborative block, and the split of users.

``ratings_small.csv`` mapped to catalog rows through ``links_small.csv``; users are split once,
by a fixed shuffle of their ids: half **train** (the collaborative block learns from them), a
quarter **validation** (weights are chosen on them), a quarter **test** (the figures reported).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from movierec.catalog import Catalog
from movierec.etl.sources import LINKS, CsvTable, SourceSpec, locate, read_csv

__all__ = [
    "LIKED",
    "LINKS_SMALL",
    "RATINGS_SMALL",
    "SPLIT",
    "SPLIT_SEED",
    "mapped",
    "ratings",
    "roles",
]

LIKED = 4.0  # a rating this high is a like
RATINGS_SMALL = SourceSpec(names=("ratings_small.csv",), required=("userId", "movieId", "rating"))
LINKS_SMALL = SourceSpec(names=("links_small.csv",), required=LINKS.required)
SPLIT = (0.5, 0.25)  # train, validation; the rest is test
SPLIT_SEED = 671


def ratings(source: Path, catalog: Catalog) -> pd.DataFrame:
    """Every rating of a catalog film in ratings_small: columns user, row (film row), rating."""
    table = read_csv(locate(source, RATINGS_SMALL), RATINGS_SMALL)
    return mapped(table, read_csv(locate(source, LINKS_SMALL), LINKS_SMALL), catalog)


def mapped(table: CsvTable, links: CsvTable, catalog: Catalog) -> pd.DataFrame:
    """MovieLens ratings mapped to catalog rows through the links (unmapped ones dropped)."""
    frame = pd.DataFrame(table.rows, columns=list(table.header))
    link = pd.DataFrame(links.rows, columns=list(links.header))
    link = link[link.tmdbId.str.strip() != ""]
    tmdb = dict(zip(link.movieId.astype(int), link.tmdbId.astype(float).astype(int), strict=True))
    rows = frame.movieId.astype(int).map(lambda m: catalog.row(tmdb.get(m, -1)))
    out = pd.DataFrame(
        {"user": frame.userId.astype(int), "row": rows, "rating": frame.rating.astype(float)}
    ).dropna(subset=["row"])
    return out.assign(row=out.row.astype(int)).reset_index(drop=True)


def roles(users: Sequence[int]) -> dict[int, str]:
    """Each user's part, by a fixed shuffle: "train" (the collaborative block learns from their
    ratings), "validation" (weights are chosen on them), "test" (the reported figures)."""
    ordered = sorted(set(users))
    shuffled = np.random.default_rng(SPLIT_SEED).permutation(len(ordered))
    cut_train = round(len(ordered) * SPLIT[0])
    cut_validation = cut_train + round(len(ordered) * SPLIT[1])
    names = ["train"] * cut_train + ["validation"] * (cut_validation - cut_train)
    names += ["test"] * (len(ordered) - cut_validation)
    return {ordered[i]: names[position] for position, i in enumerate(shuffled.tolist())}
