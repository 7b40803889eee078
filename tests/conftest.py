"""Shared fixtures: the tests' own Kaggle-format files and a catalog built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from movierec.etl import pipeline as etl

FIXTURES = Path(__file__).parent / "fixtures"
KAGGLE_MINI = FIXTURES / "kaggle_mini"
SHIPPED_DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def kaggle_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini Kaggle dataset, for tests that corrupt it."""
    target = tmp_path / "kaggle"
    shutil.copytree(KAGGLE_MINI, target)
    return target


@pytest.fixture(scope="session")
def mini_catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalog the full build (tables and derived indexes) makes from the mini dataset."""
    out = tmp_path_factory.mktemp("mini") / "data"
    etl.run(KAGGLE_MINI, out, etl.default_derived_steps())
    return out


@pytest.fixture(scope="session")
def shipped_engine():
    """The engine over the committed catalog (loaded once: it takes a couple of seconds)."""
    from movierec.engine import Engine

    return Engine.load(SHIPPED_DATA)


@pytest.fixture(scope="session")
def shipped_movies():
    """The shipped movies table as pandas, for computing expected answers independently."""
    import pyarrow.parquet as pq

    return pq.read_table(SHIPPED_DATA / "movies.parquet").to_pandas()
