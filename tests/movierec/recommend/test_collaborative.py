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
