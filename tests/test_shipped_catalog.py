"""Checks on the catalog under test; the ``shipped`` ones are facts of the committed data/."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from movierec.recommend import index as index_module
from tests.conftest import SHIPPED_DATA, SHIPPED_SOURCES, sources_fingerprint


def manifest() -> dict:
    return json.loads((SHIPPED_DATA / "manifest.json").read_text())


def test_the_manifest_describes_the_tables() -> None:
    outputs = manifest()["outputs"]
    for name in ("movies", "credits", "keywords"):
        assert (
            pq.ParquetFile(SHIPPED_DATA / f"{name}.parquet").metadata.num_rows
            == (outputs[f"{name}.parquet"])
        )
    movies = pq.read_table(SHIPPED_DATA / "movies.parquet", columns=["id", "release_date"])
    assert movies["release_date"].null_count == 0
    assert len(pc.unique(movies["id"])) == movies.num_rows
    report = manifest()["tables"]["movies"]
    assert report["rows_written"] == movies.num_rows
    assert report["rows_read"] == movies.num_rows + sum(report["dropped"].values())


def test_the_index_holds_no_dead_payload() -> None:
    with np.load(SHIPPED_DATA / index_module.FILE_NAME) as arrays:
        assert "neighbour_scores" not in arrays.files
        width = arrays["neighbours"].shape[1]
    assert width == index_module.TOP_N == manifest()["recommender"]["top_n"]


def test_the_fingerprint_ignores_derived_files(tmp_path) -> None:
    # `make data` from the same inputs rebuilds the .npz files; the shipped marker must hold
    changed = manifest()
    changed["recommender"] = {"features": 1, "top_n": 7}
    (tmp_path / "manifest.json").write_text(json.dumps(changed))
    assert sources_fingerprint(tmp_path) == sources_fingerprint(SHIPPED_DATA)
    changed["tables"]["movies"]["sha256"] = "0" * 64
    (tmp_path / "manifest.json").write_text(json.dumps(changed))
    assert sources_fingerprint(tmp_path) != sources_fingerprint(SHIPPED_DATA)


@pytest.mark.shipped
def test_the_marker_knows_the_shipped_catalog() -> None:
    assert sources_fingerprint(SHIPPED_DATA) == SHIPPED_SOURCES


@pytest.mark.shipped
def test_size_is_within_budget() -> None:
    # what is shipped: not the unpacked copy the bot makes beside it at first start (.unpacked/)
    shipped = (p for p in SHIPPED_DATA.rglob("*") if p.is_file() and ".unpacked" not in p.parts)
    size = sum(p.stat().st_size for p in shipped)
    assert size < 40 * 1024 * 1024


@pytest.mark.shipped
def test_dated_films_and_dropped_rows() -> None:
    assert manifest()["outputs"]["movies.parquet"] == 45_346
    assert manifest()["tables"]["movies"]["dropped"]["no_release_date"] == 87


@pytest.mark.shipped
def test_toy_story() -> None:
    movies = pq.read_table(SHIPPED_DATA / "movies.parquet", filters=[("id", "=", 862)])
    toy = movies.to_pylist()[0]
    assert toy["budget"] == 30_000_000 and toy["revenue"] == 373_554_033
    assert str(toy["release_date"]) == "1995-10-30"
    assert toy["return"] == pytest.approx(12.45, abs=0.005)
    assert toy["genres"] == ["Animation", "Comedy", "Family"]
    credits = pq.read_table(SHIPPED_DATA / "credits.parquet", filters=[("movie_id", "=", 862)])
    rows = sorted(credits.to_pylist(), key=lambda r: (r["kind"], r["position"]))
    assert [r["name"] for r in rows if r["kind"] == "cast"][:2] == ["Tom Hanks", "Tim Allen"]
    assert ("Director", "John Lasseter") in [(r["job"], r["name"]) for r in rows]
