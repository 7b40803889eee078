"""The ETL on the tests' own Kaggle-format fixtures: every quirk of the real files."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from movierec.etl import pipeline as etl
from tests.conftest import KAGGLE_MINI


def build(source: Path, out: Path) -> dict:
    return etl.run(source, out)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("etl") / "data"
    build(KAGGLE_MINI, out)
    return out


def movies(folder: Path) -> dict[int, dict]:
    return {row["id"]: row for row in pq.read_table(folder / "movies.parquet").to_pylist()}


def credits(folder: Path, movie_id: int, kind: str) -> list[dict]:
    rows = pq.read_table(folder / "credits.parquet").to_pylist()
    picked = [r for r in rows if r["movie_id"] == movie_id and r["kind"] == kind]
    return sorted(picked, key=lambda r: r["position"])


def test_transformations_of_the_contract(built: Path) -> None:
    toy = movies(built)[862]
    assert toy["title"] == "Toy Story"  # the first of the duplicated id 862
    assert toy["budget"] == 30_000_000 and toy["revenue"] == 373_554_033
    assert toy["return"] == pytest.approx(373_554_033 / 30_000_000)
    assert toy["release_date"] == dt.date(1995, 10, 30) and toy["release_year"] == 1995
    assert toy["genres"] == ["Animation", "Comedy", "Family"]
    assert toy["collection"] == "Toy Story Collection"
    assert toy["production_countries"] == ["United States of America"]
    assert toy["imdb_id"] == "tt0114709"
    assert toy["vote_count"] == 5415 and toy["popularity"] == pytest.approx(21.946943)
    dropped = set(pq.read_table(built / "movies.parquet").column_names)
    assert dropped.isdisjoint({"video", "adult", "original_title", "homepage", "poster_path"})


def test_rows_dropped_and_repaired_are_counted(built: Path) -> None:
    assert set(movies(built)) == {862, 8844, 300, 301, 949}
    manifest = json.loads((built / "manifest.json").read_text())
    report = manifest["tables"]["movies"]
    # two shifted rows (id is a date) and one cut-short row
    assert report["dropped"] == {"duplicate_id": 1, "malformed_row": 3, "no_release_date": 1}
    assert report["repaired"] == {"budget_not_numeric": 1, "production_countries_unparseable": 1}
    assert manifest["tables"]["keywords"]["dropped"] == {"duplicate_id": 1, "not_in_movies": 1}
    assert manifest["tables"]["credits"]["dropped"] == {
        "duplicate_id": 1,
        "malformed_row": 1,
        "not_in_movies": 1,
    }
    assert manifest["outputs"]["movies.parquet"] == 5
    assert len(manifest["tables"]["movies"]["sha256"]) == 64


def test_unknown_amounts_missing_keys_and_empty_lists(built: Path) -> None:
    almodovar, emilie = movies(built)[300], movies(built)[301]
    assert almodovar["budget"] == 0 and almodovar["return"] == 0.0  # "unknown" budget
    assert almodovar["genres"] == ["Drama"]  # a dict without 'name' is skipped
    assert almodovar["production_countries"] == ["Spain"]  # dicts without iso keys
    assert almodovar["imdb_id"] == "tt0185125"  # from links.csv
    assert almodovar["runtime"] is None
    assert emilie["revenue"] == 1_200_000 and emilie["return"] == 0.0  # budget unknown
    assert emilie["genres"] == [] and emilie["production_countries"] == []


def test_credits_keep_billing_order_and_the_wanted_jobs(built: Path) -> None:
    cast = credits(built, 862, "cast")
    assert [c["name"] for c in cast] == ["Tom Hanks", "Tim Allen", "Don Rickles"]
    assert cast[0]["character"] == "Woody (voice)" and cast[0]["person_id"] == 31
    crew = credits(built, 862, "crew")
    assert [(c["job"], c["name"]) for c in crew] == [
        ("Director", "John Lasseter"),
        ("Screenplay", "Joss Whedon"),
    ]
    jumanji = credits(built, 8844, "cast")
    assert [c["name"] for c in jumanji] == ["Robin Williams", "Jonathan Hyde", "Kirsten Dunst"]
    assert jumanji[0]["person_id"] is None and jumanji[0]["character"] is None
    names = [c["name"] for c in credits(built, 300, "cast")]
    assert names == ["Cecilia Roth", "Antonia San Juan", "Kelly O'Connell"]
    heat_crew = [(c["job"], c["name"]) for c in credits(built, 949, "crew")]
    assert heat_crew == [
        ("Director", "Michael Mann"),
        ("Producer", "Michael Mann"),
        ("Producer", "Art Linson"),
    ]
    assert credits(built, 301, "cast") == []


def test_keywords_are_lists_per_film(built: Path) -> None:
    table = pq.read_table(built / "keywords.parquet").to_pylist()
    rows = {r["movie_id"]: r["keywords"] for r in table}
    assert rows[862] == ["jealousy", "toy", "based on children's book"]
    assert rows[300] == [] and 100 not in rows


def test_data_card_reports_coverage(built: Path) -> None:
    card = (built / "README.md").read_text()
    assert "5 films with a release date" in card
    assert "| `budget` | budget in USD, 0 when unknown | 3 (60.0%) |" in card


def test_same_inputs_give_the_same_content(mini_catalog_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    etl.run(KAGGLE_MINI, again, etl.default_derived_steps())  # the full build, indexes too
    # what the build wrote; not the .unpacked/ copy a reader of the catalog may have made since
    files = sorted(p.name for p in mini_catalog_dir.iterdir() if p.is_file())
    assert files == sorted(p.name for p in again.iterdir() if p.is_file())
    assert {"recommender.npz", "engine.npz", "manifest.json", "README.md"} <= set(files)
    for name in files:
        assert (again / name).read_bytes() == (mini_catalog_dir / name).read_bytes(), name


def test_gzip_inputs_and_the_bootcamp_name(kaggle_dir: Path, built: Path, tmp_path: Path) -> None:
    for name in ("credits.csv", "keywords.csv"):
        src = kaggle_dir / name
        src.with_suffix(".csv.gz").write_bytes(gzip.compress(src.read_bytes()))
        src.unlink()
    (kaggle_dir / "movies_metadata.csv").rename(kaggle_dir / "movies_dataset.csv")
    (kaggle_dir / "links.csv").unlink()  # optional
    out = tmp_path / "data"
    build(kaggle_dir, out)
    assert set(movies(out)) == set(movies(built))
    assert movies(out)[300]["imdb_id"] is None  # links.csv was its only source


def fails_cleanly(source: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = etl.main(["--source", str(source), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("etl: error: ")
    return err


def corrupt(kaggle_dir: Path, name: str, content: bytes) -> None:
    (kaggle_dir / name).write_bytes(content)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: (d / "credits.csv").unlink(), "missing credits.csv[.gz]"),
        (
            lambda d: corrupt(d, "keywords.csv", b"id,words\n1,[]\n"),
            "keywords.csv: expected a CSV with columns id, keywords; missing keywords",
        ),
        (
            lambda d: (d / "credits.csv").rename(d / "credits.csv.gz"),
            "credits.csv.gz: not a readable gzip file",
        ),
        (
            lambda d: corrupt(d, "movies_metadata.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            "movies_metadata.csv: not a UTF-8 text CSV file",
        ),
        (
            lambda d: corrupt(d, "credits.csv", b"cast,crew,id\x00\n"),
            "credits.csv: binary content, expected a CSV file",
        ),
        (
            lambda d: corrupt(d, "movies_metadata.csv", b'{"id": 862, "title": "Toy Story"}\n'),
            "movies_metadata.csv: expected a CSV with columns id, title",
        ),
    ],
)
def test_bad_input_stops_with_one_line_and_keeps_previous_data(
    kaggle_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change, message: str
) -> None:
    out = tmp_path / "data"
    build(KAGGLE_MINI, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    change(kaggle_dir)
    assert message in fails_cleanly(kaggle_dir, out, capsys)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "kaggle"]  # no staging left


def test_missing_source_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "not a directory" in fails_cleanly(tmp_path / "nowhere", tmp_path / "data", capsys)
    assert not (tmp_path / "data").exists()


def test_cli_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(KAGGLE_MINI, tmp_path / "src")
    assert etl.main(["--source", str(tmp_path / "src"), "--out", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "movies: 10 rows read from movies_metadata.csv, 5 kept" in out
    assert "3 malformed_row" in out


def test_a_derived_step_that_asks_for_the_source_gets_it(tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    def staging_only(staging: Path) -> dict[str, object]:
        seen["plain"] = staging
        return {}

    def with_source(staging: Path, source: Path | None = None) -> dict[str, object]:
        seen["source"] = source  # the recommender reads MovieLens ratings from it
        return {"asked": True}

    manifest = etl.run(KAGGLE_MINI, tmp_path / "data", [staging_only, with_source])
    assert seen["source"] == KAGGLE_MINI and isinstance(seen["plain"], Path)
    assert manifest["asked"] is True
