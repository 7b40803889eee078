"""Shared fixtures: the tests' own Kaggle-format files and the catalog under test.

The catalog under test is ``data/`` unless ``MOVIEREC_TEST_DATA`` names another built catalog
(``python -m movierec.etl --source … --out DIR``). Tests compute what they expect from that
catalog's own parquet tables; the few that check facts of the committed build (Toy Story's
budget, "titanic" → the 1997 film) carry ``@pytest.mark.shipped`` and skip, saying why, on any
catalog built from other source files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from movierec.etl import pipeline as etl

FIXTURES = Path(__file__).parent / "fixtures"
KAGGLE_MINI = FIXTURES / "kaggle_mini"
REPO_DATA = Path(__file__).parent.parent / "data"
TEST_DATA_VARIABLE = "MOVIEREC_TEST_DATA"
# The catalog every test reads (the name is historical: it is the shipped one by default).
SHIPPED_DATA = Path(os.environ.get(TEST_DATA_VARIABLE) or REPO_DATA).resolve()
# sources_fingerprint() of the Kaggle files the committed data/ was built from. It names the
# inputs, not the build: `make data` from the same files keeps it, another SOURCE changes it.
SHIPPED_SOURCES = "47be54c88830142b"


def sources_fingerprint(folder: Path) -> str:
    """A short digest of the input files' checksums recorded in ``manifest.json``."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    lines = sorted(f"{name}:{t['sha256']}" for name, t in manifest["tables"].items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


@functools.cache
def catalog_is_shipped() -> bool:
    """Whether the catalog under test was built from the same files as the committed one."""
    return sources_fingerprint(SHIPPED_DATA) == SHIPPED_SOURCES


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "shipped: checks facts of the committed catalog; skipped when the catalog under test "
        f"({TEST_DATA_VARIABLE} or data/) was built from other source files",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("shipped") is not None and not catalog_is_shipped():
        pytest.skip(
            f"shipped-catalog fact: {SHIPPED_DATA} was built from other sources "
            f"(fingerprint {sources_fingerprint(SHIPPED_DATA)}, shipped {SHIPPED_SOURCES})"
        )


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
    """The engine over the catalog under test (loaded once: it takes a couple of seconds)."""
    from movierec.engine import Engine

    return Engine.load(SHIPPED_DATA)


@pytest.fixture(scope="session")
def shipped_movies():
    """The movies table under test as pandas, for computing expected answers independently."""
    import pyarrow.parquet as pq

    return pq.read_table(SHIPPED_DATA / "movies.parquet").to_pandas()


@pytest.fixture(scope="session")
def shipped_credits():
    """The credits table under test as pandas."""
    import pyarrow.parquet as pq

    return pq.read_table(SHIPPED_DATA / "credits.parquet").to_pandas()
