"""Discover's filters and ranking, sagas and draws, checked against pandas on the catalog."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movierec.discover import languages as discover_languages
from movierec.discover.parse import parse
from movierec.discover.query import Query, Unanswerable
from movierec.discover.rank import GOOD_RATING, PRIOR_VOTES, Ranking
from movierec.discover.vocabulary import COUNTRY_LANGUAGES, SPOKEN_NAMES
from tests.conftest import SHIPPED_DATA

PHRASES = [
    "comedia corta de los 90",
    "good french sci-fi",
    "terror japonés de los 2000 con más de 100 votos",
    "long Korean thriller after 2010",
    "western italiano años 60",
    "documentales de 1995-2000",
    "drama larga popular",
    "buena de animación antes de 1990",
    "menos de 80 minutos de 2015",
    "",
]


@pytest.fixture(scope="module")
def ranking(shipped_engine, tmp_path_factory) -> Ranking:
    """The engine's catalog, with the language column built here (the catalog under test may
    not ship one)."""
    target = tmp_path_factory.mktemp("discover") / discover_languages.FILE_NAME
    discover_languages.build(SHIPPED_DATA, target)
    ids = shipped_engine.catalog.ids
    return Ranking(shipped_engine.catalog, lambda: discover_languages.load(target.parent, ids))


@pytest.fixture(scope="module")
def movies(shipped_movies) -> pd.DataFrame:
    m = shipped_movies.copy()
    voted = m.vote_count > 0
    mean = m.vote_average[voted].mean()
    weight = m.vote_count / (m.vote_count + PRIOR_VOTES)
    m["rating"] = weight * m.vote_average + (1 - weight) * mean

    def language(row) -> str:
        if isinstance(row.original_language, str) and row.original_language:
            return row.original_language
        names = [] if row.spoken_languages is None else list(row.spoken_languages)
        spoken = [SPOKEN_NAMES[s] for s in names if s in SPOKEN_NAMES]
        countries = [] if row.production_countries is None else list(row.production_countries)
        local = [k for k in spoken if k in {COUNTRY_LANGUAGES.get(c) for c in countries}]
        return (local or spoken or [""])[0]

    m["language"] = m.apply(language, axis=1)
    return m


def expected(movies: pd.DataFrame, q: Query) -> list[int]:
    """The query written independently, in pandas."""
    m = movies
    keep = pd.Series(True, index=m.index)
    for genre in q.genres:
        keep &= m.genres.map(lambda g, genre=genre: genre in list(g))
    if q.year_from is not None:
        keep &= m.release_year >= q.year_from
    if q.year_to is not None:
        keep &= m.release_year <= q.year_to
    if q.shorter_than is not None:
        keep &= m.runtime.notna() & (m.runtime < q.shorter_than)
    if q.longer_than is not None:
        keep &= m.runtime.notna() & (m.runtime > q.longer_than)
    keep &= m.vote_count >= q.min_votes
    if q.good:
        keep &= m.rating >= GOOD_RATING
    if q.language:
        keep &= m.language == q.language
    found = m[keep].sort_values(["rating", "vote_count", "id"], ascending=[False, False, True])
    return found.id.astype(int).tolist()


@pytest.mark.parametrize("text", PHRASES)
def test_results_match_pandas(ranking: Ranking, movies: pd.DataFrame, text: str) -> None:
    parsed = parse(text)
    assert not isinstance(parsed, Unanswerable)
    want = expected(movies, parsed.query)
    first = ranking.page(parsed.query, 0, 20)
    assert not isinstance(first, Unanswerable)
    assert first.total == len(want)
    assert [i.movie_id for i in first.items] == want[:20]
    assert first.more == (len(want) > 20)
    if len(want) > 20:
        second = ranking.page(parsed.query, 1, 20)
        assert not isinstance(second, Unanswerable)
        assert [i.movie_id for i in second.items] == want[20:40]


def test_the_weighted_rating_is_bayesian(ranking: Ranking, movies: pd.DataFrame) -> None:
    np.testing.assert_allclose(ranking.rating, movies.rating.to_numpy(), rtol=1e-9)
    # few votes are pulled to the mean: the best film has many votes, not a perfect ten
    best = ranking.page(Query(), 0, 1)
    assert not isinstance(best, Unanswerable)
    assert best.items[0].vote_count >= PRIOR_VOTES


def test_exclusions_and_bad_pages(ranking: Ranking) -> None:
    query = Query(genres=("Comedy",), good=True)
    top = ranking.page(query, 0, 5)
    assert not isinstance(top, Unanswerable)
    skipped = ranking.page(query, 0, 5, exclude=[top.items[0].movie_id])
    assert not isinstance(skipped, Unanswerable)
    assert skipped.items[:4] == top.items[1:5]
    assert ranking.page(query, -1, 5) == Unanswerable("bad_page")
    assert ranking.page(query, 10**6, 5) == Unanswerable("bad_page")
    assert ranking.page(query, 0, 0) == Unanswerable("bad_page")


def test_no_language_column_is_said(shipped_engine) -> None:
    bare = Ranking(shipped_engine.catalog, lambda: None)
    assert bare.page(Query(language="fr"), 0, 5) == Unanswerable("no_language_data")
    assert not isinstance(bare.page(Query(genres=("Drama",)), 0, 5), Unanswerable)


def test_language_file_for_another_build_is_ignored(tmp_path: Path, shipped_engine) -> None:
    discover_languages.build(SHIPPED_DATA, tmp_path / discover_languages.FILE_NAME)
    other_ids = shipped_engine.catalog.ids[:-1]
    assert discover_languages.load(tmp_path, other_ids) is None
    assert discover_languages.load(tmp_path / "missing", shipped_engine.catalog.ids) is None


def test_draws_are_good_matches_and_never_repeat(ranking: Ranking, movies: pd.DataFrame) -> None:
    query = Query(genres=("Western",), year_from=1960, year_to=1969)
    good = set(expected(movies, Query(**{**query.__dict__, "good": True})))
    drawn: list[int] = []
    while True:
        draw = ranking.draw(query, drawn, seed=len(drawn))
        assert not isinstance(draw, Unanswerable)
        if draw.item is None:
            break
        assert draw.item.movie_id in good and draw.item.movie_id not in drawn
        drawn.append(draw.item.movie_id)
        assert draw.remaining == len(good) - len(drawn)
    assert set(drawn) == good


def test_draw_without_good_matches_falls_back_to_the_best(ranking: Ranking) -> None:
    query = Query(genres=("Western",), language="ja")  # matches, none rated well
    draw = ranking.draw(query, [], seed=1)
    assert not isinstance(draw, Unanswerable)
    rows = ranking.matches(query)
    assert not isinstance(rows, Unanswerable)
    if len(rows):
        assert draw.item is not None and draw.pool == min(len(rows), 25)


def test_sagas_in_release_order(shipped_engine, movies: pd.DataFrame) -> None:
    in_sagas = movies[movies.collection.notna() & (movies.collection != "")]
    sizes = in_sagas.groupby("collection").size()
    name = sizes[sizes >= 3].index[0]
    films = in_sagas[in_sagas.collection == name].sort_values(["release_date", "id"])
    for movie_id in films.id:
        saga = shipped_engine.saga(int(movie_id))
        assert saga.collection == name
        assert [f.movie_id for f in saga.films] == films.id.astype(int).tolist()
    saga = shipped_engine.saga(int(films.id.iloc[0]))
    ids = [f.movie_id for f in saga.films]
    assert saga.next_to_watch(frozenset()) == saga.films[0]
    assert saga.next_to_watch(frozenset(ids[:1])) == saga.films[1]
    assert saga.next_to_watch(frozenset(ids)) is None


def test_saga_of_a_lone_film_or_unknown_id(shipped_engine, movies: pd.DataFrame) -> None:
    alone = movies[movies.collection.isna() | (movies.collection == "")].id.iloc[0]
    assert shipped_engine.saga(int(alone)) == Unanswerable("no_collection")
    assert shipped_engine.saga(-5) == Unanswerable("unknown_movie")


@pytest.mark.shipped
def test_toy_story_saga(shipped_engine) -> None:
    saga = shipped_engine.saga(863)  # Toy Story 2
    assert [f.title for f in saga.films] == ["Toy Story", "Toy Story 2", "Toy Story 3"]
