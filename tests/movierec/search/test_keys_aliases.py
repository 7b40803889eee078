"""Alternative titles as title keys: exact and fuzzy resolution find films by them."""

from __future__ import annotations

from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from movierec import catalog as catalog_module
from movierec.etl import pipeline as etl
from movierec.results import Match
from movierec.search import keys, text
from movierec.search.matching import TitleResolver
from tests.conftest import FIXTURES, KAGGLE_MINI, SHIPPED_DATA


def test_alias_keys_as_written_and_without_a_parenthesis() -> None:
    assert keys.alias_keys("Toy story (juguetes)") == ["toy story juguetes", "toy story"]
    assert keys.alias_keys("El Padrino") == ["padrino"]
    # a leading parenthesis is part of the title, not an aside
    assert keys.alias_keys("(500) días juntos") == ["500 dias juntos"]
    assert keys.alias_keys("[REC]") == ["rec"]
    assert keys.alias_keys("¡!") == []


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> TitleResolver:
    out = tmp_path_factory.mktemp("aliases") / "data"
    etl.run(KAGGLE_MINI, out, extras_dir=FIXTURES / "extra_mini")
    catalog = catalog_module.load(out)
    return TitleResolver(catalog, keys.title_tables(catalog))


@pytest.mark.parametrize(
    ("query", "movie_id"),
    [
        ("calor", 949),  # an a.k.a. title
        ("Jumanji: el juego", 8844),
        ("emilia y los gatos", 301),
        ("toy story juguetes", 862),  # the odd form as written
        ("jumanji el jeugo", 8844),  # a typo in an alias: fuzzy
    ],
)
def test_aliases_resolve_exactly_and_fuzzily(
    mini: TitleResolver, query: str, movie_id: int
) -> None:
    found = mini.resolve(query)
    assert isinstance(found, Match) and found.candidate.key == movie_id
    assert found.candidate.label != query  # the label stays the catalog's title


@pytest.mark.shipped
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("el padrino", "The Godfather"),
        ("el club de la lucha", "Fight Club"),
        ("regreso al futuro", "Back to the Future"),
        ("la cite des enfants perdus", "The City of Lost Children"),
        ("La cité des enfants perdus", "The City of Lost Children"),
        ("Toy story (juguetes)", "Toy Story"),
        ("lo que el viento se llevo", "Gone with the Wind"),
        ("el padrinno", "The Godfather"),  # fuzzy
        ("regreso al futoro", "Back to the Future"),
    ],
)
def test_spanish_and_original_titles_on_the_shipped_catalog(
    shipped_engine, query: str, title: str
) -> None:
    found = shipped_engine.resolve_title(query)
    assert isinstance(found, Match), found
    assert found.candidate.label == title


def test_an_alias_never_takes_another_films_title(mini: TitleResolver) -> None:
    # the fixture gives Heat (far more votes) the a.k.a. "Jumanji": the film titled so wins
    found = mini.resolve("jumanji")
    assert isinstance(found, Match) and found.candidate.key == 8844


@pytest.mark.shipped
def test_local_title_for_spanish_speakers(shipped_engine) -> None:
    assert shipped_engine.local_title(238, "es") == "El padrino"
    assert shipped_engine.local_title(238, "en") is None
    assert shipped_engine.local_title(862, "es") is None  # "Toy story (juguetes)" adds nothing


def test_unambiguous_spanish_titles_resolve_to_their_film(shipped_engine) -> None:
    """Every Spanish title whose key no other film owns (by title or any alias) finds its
    film (a sample of 200, derived from the tables)."""
    path = SHIPPED_DATA / "alt_titles.parquet"
    if not path.is_file():
        pytest.skip("catalog built without extras")
    owners: dict[str, set[int]] = defaultdict(set)
    for row, title in enumerate(shipped_engine.catalog.titles):
        owners[text.title_key(title)].add(int(shipped_engine.catalog.ids[row]))
    aliases = pq.read_table(path).to_pylist()
    for r in aliases:
        for key in keys.alias_keys(r["title"]):
            owners[key].add(r["movie_id"])
    spanish = [r for r in aliases if r["language"] == "es"]
    unique = [r for r in spanish if owners[text.title_key(r["title"])] == {r["movie_id"]}]
    assert unique
    sample = unique[:: max(1, len(unique) // 200)]
    wrong = []
    for r in sample:
        found = shipped_engine.resolve_title(r["title"])
        if not (isinstance(found, Match) and found.candidate.key == r["movie_id"]):
            wrong.append(r["title"])
    assert not wrong, wrong[:10]
