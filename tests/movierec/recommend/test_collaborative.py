"""The collaborative block learns from the train users only, and groups films liked together."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movierec import catalog as catalog_module
from movierec.recommend import collaborative
from movierec.recommend import ratings as movielens
from tests.conftest import KAGGLE_MINI


def test_only_the_train_users_ratings_are_read(mini_catalog_dir) -> None:
    catalog = catalog_module.load(mini_catalog_dir)
    everything = movielens.ratings(KAGGLE_MINI, catalog)
    parts = movielens.roles(everything.user.tolist())
    read = collaborative.training_ratings(KAGGLE_MINI, catalog)
    assert read is not None
    assert {parts[u] for u in read.user.tolist()} <= {"train"}
    train = everything[everything.user.map(parts) == "train"]
    assert len(read) == len(train)


def test_without_ratings_there_is_no_block(mini_catalog_dir, tmp_path) -> None:
    catalog = catalog_module.load(mini_catalog_dir)
    assert collaborative.training_ratings(tmp_path, catalog) is None


def liked(groups: dict[int, list[int]], rating: float = 5.0) -> pd.DataFrame:
    """users → the film rows they rated ``rating``."""
    rows = [(user, row, rating) for user, films in groups.items() for row in films]
    return pd.DataFrame(rows, columns=["user", "row", "rating"])


def test_films_liked_by_the_same_people_point_the_same_way() -> None:
    # films 0-2 liked by users 0-9, films 3-5 by users 10-19, film 6 by one user only
    groups = {u: [0, 1, 2] for u in range(10)} | {u: [3, 4, 5] for u in range(10, 20)}
    groups[20] = [6, 0]
    rows, vectors = collaborative.factors(liked(groups), films=8, dim=3)
    assert rows.tolist() == [0, 1, 2, 3, 4, 5]  # film 6: too few ratings; film 7: none
    assert vectors.shape == (6, 3) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(6), abs=1e-5)
    assert vectors[1] @ vectors[2] > 0.9
    assert abs(vectors[1] @ vectors[4]) < 0.2


def test_ratings_below_a_like_give_no_vector() -> None:
    groups = {u: [0, 1] for u in range(5)}
    frame = pd.concat([liked(groups), liked({u: [2] for u in range(5)}, rating=2.0)])
    rows, _vectors = collaborative.factors(frame, films=3, dim=1)
    assert 2 not in rows.tolist()  # rated often, liked never


def write_full_download(folder, catalog) -> list[int]:
    """A tiny genuine-format ``ratings.csv`` + ``links.csv`` (Kaggle's columns, timestamps,
    a link without a TMDB id, films outside the catalog); the catalog rows
    of the films in the catalog, by MovieLens id 1, 2, 3."""
    tmdb = [int(t) for t in catalog.ids[:3]]
    missing = max(int(t) for t in catalog.ids) + 1
    (folder / "links.csv").write_text(
        "movieId,imdbId,tmdbId\n"
        f"1,0000001,{tmdb[0]}\n2,0000002,{tmdb[1]}.0\n3,0000003,{tmdb[2]}\n"
        f"4,0000004,\n5,0000005,{missing}\n",
        encoding="utf-8",
    )
    (folder / "ratings.csv").write_text(
        "userId,movieId,rating,timestamp\n"
        "7,1,4.5,1260759144\n7,2,2.0,1260759179\n7,4,5.0,1260759182\n"
        "9,3,5.0,1260759185\n9,5,3.0,1260759205\n12,9,4.0,1260759151\n"
        "12,2,3.5,1260759187\n12,3\n",  # a truncated last line: skipped
        encoding="utf-8",
    )
    return [catalog.row(t) for t in tmdb]


def test_the_full_ratings_file_is_read_typed_by_pandas(mini_catalog_dir, tmp_path, monkeypatch):
    # the genuine ratings.csv has 26M lines: never read as Python lists of strings
    catalog = catalog_module.load(mini_catalog_dir)
    rows = write_full_download(tmp_path, catalog)
    text_reader = collaborative.read_csv

    def links_only(path, spec):
        assert spec is not collaborative.FULL_RATINGS, "ratings.csv read as text"
        return text_reader(path, spec)

    monkeypatch.setattr(collaborative, "read_csv", links_only)
    read = collaborative.training_ratings(tmp_path, catalog)
    assert read is not None
    assert list(read.columns) == ["user", "row", "rating"]
    found = sorted(zip(read.user.tolist(), read.row.tolist(), read.rating.tolist(), strict=True))
    assert found == sorted(
        [(7, rows[0], 4.5), (7, rows[1], 2.0), (9, rows[2], 5.0), (12, rows[1], 3.5)]
    )
    # the same answer as the text reader every other MovieLens file goes through
    from movierec.etl.sources import LINKS

    expected = movielens.mapped(
        text_reader(tmp_path / "ratings.csv", movielens.RATINGS_SMALL),
        text_reader(tmp_path / "links.csv", LINKS),
        catalog,
    )
    assert sorted(map(tuple, expected.to_numpy().tolist())) == [tuple(map(float, f)) for f in found]


def test_a_ratings_file_without_its_columns_is_a_clear_error(mini_catalog_dir, tmp_path):
    from movierec.etl.sources import SourceError

    catalog = catalog_module.load(mini_catalog_dir)
    write_full_download(tmp_path, catalog)
    for text in (
        "user,film\n1,2\n",
        "userId,movieId,rating\n1,2,great\n",
    ):
        (tmp_path / "ratings.csv").write_text(text, encoding="utf-8")
        with pytest.raises(SourceError, match=r"ratings\.csv"):
            collaborative.training_ratings(tmp_path, catalog)
