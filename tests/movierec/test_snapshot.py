"""The runtime snapshot holds exactly what a build from the parquet tables holds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from movierec import catalog as catalog_module
from movierec import npz, snapshot
from movierec.catalog import Catalog
from movierec.engine import Engine
from movierec.npz import NpzError
from movierec.recommend import index as index_module
from movierec.results import Match
from movierec.search import keys
from movierec.search.keys import KeyTables
from tests.conftest import SHIPPED_DATA

ARRAYS = ("ids", "dates", "years", "vote_count", *snapshot.FLOATS)
TUPLES = ("titles", "genres", "companies", "collection", "imdb_id", "row_of_id")
EXTRAS = ("image_url", "overview", "overview_source", "overview_url", "alt_titles", "alt_languages")


def from_tables(folder: Path) -> tuple[Catalog, dict[str, KeyTables]]:
    catalog = catalog_module.load(folder)
    return catalog, keys.build_tables(catalog)


def engine_of(folder: Path, catalog: Catalog, tables: dict[str, KeyTables]) -> Engine:
    return Engine(catalog, tables, index_module.load(folder / index_module.FILE_NAME))


def assert_same_catalog(loaded: Catalog, fresh: Catalog) -> None:
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(loaded, name), getattr(fresh, name), err_msg=name)
    for name in TUPLES:
        assert getattr(loaded, name) == getattr(fresh, name), name
    for name in EXTRAS:  # the overviews stay compressed until read: compare them as tuples
        assert tuple(getattr(loaded, name)) == tuple(getattr(fresh, name)), name
    for role in ("actor", "director"):
        mine, theirs = loaded.people(role), fresh.people(role)
        assert mine.names == theirs.names
        np.testing.assert_array_equal(mine.films.starts, theirs.films.starts)
        np.testing.assert_array_equal(mine.films.values, theirs.films.values)
    for name in ("cast", "directed_by"):
        np.testing.assert_array_equal(getattr(loaded, name).starts, getattr(fresh, name).starts)
        np.testing.assert_array_equal(getattr(loaded, name).values, getattr(fresh, name).values)


def assert_same_tables(loaded: dict[str, KeyTables], fresh: dict[str, KeyTables]) -> None:
    assert set(loaded) == set(fresh) == set(keys.RESOLVERS)
    for name, table in fresh.items():
        mine, theirs = loaded[name].arrays(), table.arrays()
        assert set(mine) == set(theirs), name
        for key, values in theirs.items():
            np.testing.assert_array_equal(mine[key], values, err_msg=f"{name}.{key}")


@pytest.fixture(scope="module")
def built() -> tuple[Catalog, dict[str, KeyTables]]:
    return from_tables(SHIPPED_DATA)


def test_the_committed_snapshot_holds_the_tables_catalog(built) -> None:
    # read the file itself: Engine.load would quietly rebuild from the tables if it were stale
    catalog, tables = snapshot.load(SHIPPED_DATA / snapshot.FILE_NAME)
    assert_same_catalog(catalog, built[0])
    assert_same_tables(tables, built[1])


def test_the_snapshot_resolves_like_a_fresh_build(shipped_engine, built, shipped_movies) -> None:
    fresh = engine_of(SHIPPED_DATA, *built)
    titles = shipped_movies.sort_values("vote_count", ascending=False).title.head(40).tolist()
    queries = [*titles, *(t.lower()[:-1] for t in titles), "hamlet", "harry potter", "zzzxxq"]
    for query in queries:
        assert shipped_engine.resolve_title(query) == fresh.resolve_title(query), query
    names = [
        *shipped_engine.catalog.actors.names[:20],
        *shipped_engine.catalog.directors.names[:20],
    ]
    for name in [*names, "hanks", "coppola", "almodovar"]:
        for role in ("actor", "director"):
            expected = fresh.resolve_person(role, name)
            assert shipped_engine.resolve_person(role, name) == expected, name


def test_round_trip_on_the_mini_catalog(mini_catalog_dir, tmp_path) -> None:
    catalog, tables = from_tables(mini_catalog_dir)
    snapshot.save(catalog, tables, tmp_path / "engine.npz")
    again, again_tables = snapshot.load(tmp_path / "engine.npz")
    assert_same_catalog(again, catalog)
    assert_same_tables(again_tables, tables)
    assert None in again.collection  # None survives, distinct from ""
    fresh, loaded = engine_of(mini_catalog_dir, catalog, tables), Engine.load(mini_catalog_dir)
    for query in ("toy story", "heat 1995", "jumanji"):
        assert loaded.resolve_title(query) == fresh.resolve_title(query)
    assert loaded.resolve_person("director", "almodovar") == fresh.resolve_person(
        "director", "almodovar"
    )


def test_saving_twice_gives_the_same_bytes(mini_catalog_dir, tmp_path) -> None:
    catalog, tables = from_tables(mini_catalog_dir)
    snapshot.save(catalog, tables, tmp_path / "a.npz")
    snapshot.save(catalog, tables, tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_a_corrupt_snapshot_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "engine.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(NpzError, match="run `make data`"):
        snapshot.load(path)


def test_a_snapshot_from_another_version_is_refused(mini_catalog_dir, tmp_path) -> None:
    catalog, tables = from_tables(mini_catalog_dir)
    path = tmp_path / "engine.npz"
    snapshot.save(catalog, tables, path)
    arrays = npz.read(path)
    npz.write(path, {**arrays, "version": np.asarray(snapshot.VERSION + 1)})
    with pytest.raises(snapshot.StaleSnapshot, match="another version"):
        snapshot.load(path)
    del arrays["ids"]
    npz.write(path, arrays)
    with pytest.raises(NpzError, match="no 'ids'"):
        snapshot.load(path)


def test_a_snapshot_from_older_key_code_is_rebuilt_not_trusted(
    mini_catalog_dir, monkeypatch, caplog
) -> None:
    from movierec.search import text

    original = text.title_key
    monkeypatch.setattr(text, "title_key", lambda value: original(value).replace(" ", "-"))
    with pytest.raises(snapshot.StaleSnapshot):
        snapshot.load(mini_catalog_dir / snapshot.FILE_NAME)
    engine = Engine.load(mini_catalog_dir)  # falls back to the tables, with today's keys
    assert "building the indexes from the tables" in caplog.text
    found = engine.resolve_title("toy story")
    assert isinstance(found, Match) and found.candidate.key == 862
