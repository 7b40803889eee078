"""The ETL with the extras folder: aliases, one image and one overview per film, bad rows
counted and skipped, never fatal; and a catalog built from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from movierec import catalog as catalog_module
from movierec import snapshot
from movierec.etl import datacard, extras
from movierec.etl import pipeline as etl
from movierec.etl.derived import snapshot_step
from movierec.search import keys
from tests.conftest import FIXTURES, KAGGLE_MINI

EXTRA_MINI = FIXTURES / "extra_mini"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("etl_extras") / "data"
    etl.run(KAGGLE_MINI, out, [snapshot_step], extras_dir=EXTRA_MINI)
    return out


def rows(folder: Path, name: str) -> list[dict]:
    return pq.read_table(folder / name).to_pylist()


def test_alternative_titles_kept_with_language_and_bad_rows_counted(built: Path) -> None:
    alt = {(r["movie_id"], r["title"], r["language"]) for r in rows(built, "alt_titles.parquet")}
    assert (862, "Toy story (juguetes)", "es") in alt
    assert (949, "Calor", None) in alt  # a.k.a. without a language
    assert (949, "Heat", "es") in alt  # "same title in Spain" is a fact worth keeping
    assert not any(m == 301 and lang == "fr" for m, _, lang in alt)  # equal to its title
    assert sum(1 for m, t, _ in alt if t == "Jumanji: el juego") == 1
    report = json.loads((built / "manifest.json").read_text())["extras"]["alternative_titles"]
    assert report["dropped"] == {
        "duplicate": 1,
        "malformed_row": 1,
        "no_title": 1,
        "same_as_title": 1,
        "unknown_id": 1,
    }
    assert report["rows_read"] == 13 and report["rows_written"] == len(alt)


def test_one_image_per_film_tmdb_first_then_other_urls(built: Path) -> None:
    films = {r["movie_id"]: r for r in rows(built, "film_extras.parquet")}
    # the current TMDB path beats Kaggle's 2017 one, both beat any other URL
    assert films[862]["image_url"] == extras.TMDB_POSTER + "/current862.jpg"
    assert films[949]["image_url"].startswith("https://upload.wikimedia.org/")
    assert films[8844]["image_source"] == "imdb"
    assert 300 not in films or films[300]["image_url"] is None  # http:// is refused
    report = json.loads((built / "manifest.json").read_text())["extras"]["images"]
    assert report["dropped"] == {
        "bad_value": 1,
        "duplicate": 1,
        "unknown_id": 1,
        "unknown_kind": 1,
    }


def test_kaggle_overview_first_wikipedia_only_where_none_and_only_with_its_link(
    built: Path,
) -> None:
    films = {r["movie_id"]: r for r in rows(built, "film_extras.parquet")}
    jumanji = films[8844]
    assert jumanji["overview"] == (
        "Jumanji is a 1995 American fantasy adventure film directed by Joe Johnston."
    )  # the line break inside the cell is whitespace
    assert jumanji["overview_url"] == "https://en.wikipedia.org/wiki/Jumanji"
    assert jumanji["overview_source"] == "wikipedia"
    assert jumanji["overview_license"] == "CC BY-SA 4.0"
    assert films[862]["overview"] is None  # Kaggle has one
    assert 949 not in films or films[949]["overview"] is None  # no URL, no CC BY-SA text
    report = json.loads((built / "manifest.json").read_text())["extras"]["overviews"]
    assert report["dropped"] == {
        "duplicate": 1,
        "kaggle_has_overview": 1,
        "no_url": 1,
        "unknown_id": 1,
    }


def test_the_kaggle_tables_are_the_same_with_or_without_extras(built: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    etl.run(KAGGLE_MINI, plain)
    for name in ("movies.parquet", "credits.parquet", "keywords.parquet"):
        assert (plain / name).read_bytes() == (built / name).read_bytes()
    assert pq.read_table(plain / "alt_titles.parquet").num_rows == 0
    assert "extras" in json.loads((plain / "manifest.json").read_text())


def test_bad_extras_are_reported_never_fatal(tmp_path: Path) -> None:
    broken = tmp_path / "extras"
    shutil.copytree(EXTRA_MINI / "overviews_missing_columns", broken)
    (broken / "images.csv.gz").write_bytes(b"not gzip at all")
    manifest = etl.run(KAGGLE_MINI, tmp_path / "out", extras_dir=broken)
    reports = manifest["extras"]
    assert isinstance(reports, dict)
    assert "missing url" in reports["overviews"]["error"]
    assert "gzip" in reports["images"]["error"]
    assert reports["alternative_titles"] == {"error": "missing"}
    assert str(tmp_path) not in json.dumps(reports)  # no local paths in the manifest
    assert "skipped" in etl.summary(manifest)


def test_the_build_is_byte_deterministic(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    etl.run(KAGGLE_MINI, again, [snapshot_step], extras_dir=EXTRA_MINI)
    for path in sorted(built.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_catalog_and_snapshot_carry_the_extras(built: Path) -> None:
    from_tables = catalog_module.load(built)
    from_snapshot, tables = snapshot.load(built / snapshot.FILE_NAME)
    for c in (from_tables, from_snapshot):
        toy, jumanji = c.row(862), c.row(8844)
        assert toy is not None and jumanji is not None
        assert ("Toy story (juguetes)", "es") in c.aliases(toy)
        assert c.image_url[toy] == extras.TMDB_POSTER + "/current862.jpg"
        assert c.overview_source[toy] == "tmdb" and c.overview_url[toy] is None
        assert c.overview_source[jumanji] == "wikipedia"
        assert c.overview_url[jumanji] == "https://en.wikipedia.org/wiki/Jumanji"
    assert from_snapshot.alt_titles == from_tables.alt_titles
    assert tuple(from_snapshot.overview) == from_tables.overview
    title = tables["title"]
    for alias, film in (("calor", 949), ("jumanji el juego", 8844), ("toy story", 862)):
        key = list(title.keys).index(alias)
        assert from_snapshot.ids[title.owners[key]].tolist() == [film], alias
    rebuilt = keys.title_tables(from_tables)
    assert list(rebuilt.keys) == list(title.keys)


def test_data_card_has_coverage_and_licences(built: Path) -> None:
    card = (built / "README.md").read_text()
    assert "| field | all 5 films | top 5 by votes |" in card
    spanish = next(line for line in card.splitlines() if line.startswith("| Spanish title"))
    assert "| 5 (100.0%) |" in spanish  # every film of the mini catalog has one
    assert "non-commercial" in card and "CC BY-SA 4.0" in card
    assert "This product uses the TMDB API but is not endorsed or certified by TMDB" in card
    assert datacard.coverage(built)[0][1:] == (5, 5)
