"""The runtime snapshot answers exactly as the engine built from the parquet tables."""

from __future__ import annotations

import numpy as np
import pytest

from movierec import catalog as catalog_module
from movierec import snapshot
from movierec.engine import Engine
from tests.conftest import SHIPPED_DATA
from tests.movierec.search.test_matching import PEOPLE, TITLES


@pytest.fixture(scope="module")
def built() -> Engine:
    return Engine(catalog_module.load(SHIPPED_DATA))


def test_the_shipped_snapshot_holds_the_same_catalog(shipped_engine, built) -> None:
    loaded, fresh = shipped_engine.catalog, built.catalog
    assert isinstance(shipped_engine, Engine) and (SHIPPED_DATA / snapshot.FILE_NAME).is_file()
    for name in ("ids", "dates", "years", "vote_count", *snapshot.FLOATS):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(fresh, name), err_msg=name)
    for name in ("titles", "genres", "companies", "collection", "imdb_id", "row_of_id"):
        assert getattr(loaded, name) == getattr(fresh, name), name
    for role in ("actor", "director"):
        assert loaded.people(role).names == fresh.people(role).names
        np.testing.assert_array_equal(
            loaded.people(role).films.values, fresh.people(role).films.values
        )
    np.testing.assert_array_equal(loaded.cast.values, fresh.cast.values)


def test_the_snapshot_resolves_like_a_fresh_build(shipped_engine, built) -> None:
    queries = [q for q, _ in TITLES] + ["hamlet", "harry potter", "zzzxxq", "titanic 1998"]
    for query in queries:
        assert shipped_engine.resolve_title(query) == built.resolve_title(query), query
    for role, query, _ in [*PEOPLE, ("actor", "hanks", ""), ("director", "coppola", "")]:
        assert shipped_engine.resolve_person(role, query) == built.resolve_person(role, query)


def test_round_trip_on_the_mini_catalog(mini_catalog_dir, tmp_path) -> None:
    engine = Engine(catalog_module.load(mini_catalog_dir))
    snapshot.save(engine, tmp_path / "engine.npz")
    again = snapshot.load(tmp_path / "engine.npz")
    assert again.catalog.titles == engine.catalog.titles
    assert again.catalog.collection == engine.catalog.collection  # None survives
    assert again.resolve_title("toy story") == engine.resolve_title("toy story")
    assert again.resolve_person("director", "almodovar") == engine.resolve_person(
        "director", "almodovar"
    )


def test_a_corrupt_snapshot_is_a_clear_error(tmp_path) -> None:
    from movierec.npz import NpzError

    path = tmp_path / "engine.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(NpzError, match="run `make data`"):
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
    assert engine.resolve_title("toy story").candidate.key == 862
