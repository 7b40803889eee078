"""A few checks on the catalog committed under data/ (built from ../shared/data/kaggle)."""

from __future__ import annotations

import json

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tests.conftest import SHIPPED_DATA


def test_size_is_within_budget() -> None:
    size = sum(p.stat().st_size for p in SHIPPED_DATA.rglob("*") if p.is_file())
    assert size < 40 * 1024 * 1024


def test_dated_films_and_dropped_rows() -> None:
    manifest = json.loads((SHIPPED_DATA / "manifest.json").read_text())
    movies = pq.read_table(SHIPPED_DATA / "movies.parquet", columns=["id", "release_date"])
    assert movies.num_rows == 45_346 == manifest["outputs"]["movies.parquet"]
    assert movies["release_date"].null_count == 0
    assert len(pc.unique(movies["id"])) == movies.num_rows
    assert manifest["tables"]["movies"]["dropped"]["no_release_date"] == 87


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
