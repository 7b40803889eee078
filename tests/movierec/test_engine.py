"""The facade: cards, popular films, typeahead and paged recommendations."""

from __future__ import annotations

import math

import pytest

from movierec.engine import CARD_CAST, Engine
from movierec.recommend.index import TOP_N
from movierec.results import Invalid, Match, MovieCard, Recommendation, Recommendations
from movierec.search import text


def most_voted(movies, n: int) -> list[int]:
    return movies.sort_values("vote_count", ascending=False, kind="stable").id.head(n).tolist()


def test_cards_hold_the_tables_values(shipped_engine, shipped_movies, shipped_credits) -> None:
    sample = shipped_movies.sample(n=min(50, len(shipped_movies)), random_state=3)
    credits = shipped_credits.sort_values(["movie_id", "kind", "position"], kind="stable")
    for film in sample.to_dict("records"):
        card = shipped_engine.card(int(film["id"]))
        assert isinstance(card, MovieCard)
        released = film["release_date"]
        assert (card.title, card.release_date, card.year) == (
            film["title"],
            released,
            released.year,
        )
        assert (card.budget, card.revenue) == (film["budget"], film["revenue"])
        assert card.vote_count == film["vote_count"]
        assert card.return_ == pytest.approx(film["return"])
        assert card.genres == tuple(film["genres"])
        runtime = film["runtime"]
        assert card.runtime == (None if math.isnan(runtime) else int(runtime))
        own = credits[credits.movie_id == film["id"]]
        cast = own[own.kind == "cast"].name.drop_duplicates().tolist()
        assert card.cast == tuple(cast[:CARD_CAST])
        assert card.directors == tuple(own[own.job == "Director"].name.drop_duplicates())


@pytest.mark.parametrize("movie_id", [-1, 0, 10**9])
def test_an_unknown_card(shipped_engine, movie_id) -> None:
    assert shipped_engine.card(movie_id) == Invalid("unknown_movie")


def test_popular_is_the_most_voted_first(shipped_engine, shipped_movies) -> None:
    assert [c.key for c in shipped_engine.popular(5)] == most_voted(shipped_movies, 5)
    assert [c.key for c in shipped_engine.typeahead("  ", 5)] == most_voted(shipped_movies, 5)


def test_typeahead_offers_a_film_from_its_first_letters(shipped_engine, shipped_movies) -> None:
    for movie_id in most_voted(shipped_movies, 20):
        title = shipped_engine.card(movie_id).title
        key = text.title_key(title)
        for typed in (key[:4], key):
            found = shipped_engine.typeahead(typed, 20)
            assert 0 < len(found) <= 20
            assert movie_id in [c.key for c in found], (typed, title)
        resolved = shipped_engine.resolve_title(title)
        if isinstance(resolved, Match):  # a title typed out puts its film first
            assert shipped_engine.typeahead(title)[0].key == movie_id


@pytest.mark.shipped
@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("toy", "Toy Story"),
        ("toy st", "Toy Story"),
        ("godf", "The Godfather"),
        ("matrix", "The Matrix"),
    ],
)
def test_typeahead_on_a_phone(shipped_engine, typed, title) -> None:
    found = shipped_engine.typeahead(typed)
    assert found[0].label == title and len(found) > 1


def pages(engine: Engine, movie_id: int, per_page: int) -> list[Recommendations]:
    out: list[Recommendations] = []
    while not out or out[-1].more:
        page = engine.recommendations(movie_id, len(out), per_page)
        assert isinstance(page, Recommendations)
        out.append(page)
    return out


def test_recommendation_pages_continue_one_list(shipped_engine, shipped_movies) -> None:
    for movie_id in most_voted(shipped_movies, 10):
        whole = shipped_engine.similar(movie_id, k=TOP_N)
        assert not isinstance(whole, Invalid)
        paged = pages(shipped_engine, movie_id, 5)
        items = [r for p in paged for r in p.items]
        assert [r.movie_id for r in items] == [r.movie_id for r in whole]
        assert [p.offset for p in paged] == list(range(0, 5 * len(paged), 5))
        assert all(p.seeds == (movie_id,) for p in paged)


@pytest.mark.parametrize(("page", "per_page"), [(-1, 5), (0, 0), (TOP_N // 5, 5), (0, TOP_N + 1)])
def test_a_page_beyond_the_list_is_a_typed_result(shipped_engine, page, per_page) -> None:
    seed = shipped_engine.popular(1)[0].key
    assert shipped_engine.recommendations(seed, page, per_page) == Invalid("bad_page")


def test_recommendations_of_an_unknown_film(shipped_engine) -> None:
    assert shipped_engine.recommendations(-1, 0, 5) == Invalid("unknown_movie")
    assert shipped_engine.similar(-1) == Invalid("unknown_movie")
    assert shipped_engine.similarity(-1, -1) == Invalid("unknown_movie")
    assert shipped_engine.similar_to_many([]) == Invalid("no_movie")


def test_similar_answers_recommendations(shipped_engine) -> None:
    a, b = (c.key for c in shipped_engine.popular(2))
    for found in (shipped_engine.similar(a, 3), shipped_engine.similar_to_many([a, b], 3)):
        assert isinstance(found, list) and len(found) <= 3
        assert all(isinstance(r, Recommendation) for r in found)
    assert shipped_engine.similarity(a, a) == 1.0
    assert shipped_engine.similarity(a, b) == pytest.approx(shipped_engine.similarity(b, a))


def test_the_fingerprint_names_the_build(shipped_engine, mini_catalog_dir) -> None:
    mini = Engine.load(mini_catalog_dir)
    assert len(shipped_engine.fingerprint) == 16 and len(mini.fingerprint) == 16
    assert mini.fingerprint == Engine.load(mini_catalog_dir).fingerprint


def test_remembered_resolutions_equal_the_search(shipped_engine) -> None:
    """The memory in front of the resolvers answers exactly what the search answers, for
    hits, typos, misses and bad input, the first time and every time after."""
    from tests.conftest import SHIPPED_DATA

    plain = Engine.load(SHIPPED_DATA, memo=0)
    titles = [c.label for c in shipped_engine.popular(30)]
    typed = [*titles, *(t[:-1] for t in titles), "", "   ", None, "zzqqxx", "x" * 201]
    for query in typed * 2:  # the second pass comes from the memory
        assert shipped_engine.resolve_title(query) == plain.resolve_title(query)
    name = shipped_engine.catalog.actors.names[0]
    for query in (name, name[:-1], name.upper(), "nobody at all") * 2:
        assert shipped_engine.resolve_person("actor", query) == plain.resolve_person("actor", query)


def test_warming_up_changes_no_answer(mini_catalog_dir) -> None:
    """warm() builds the searches' first-use parts ahead; answers stay those of a cold engine."""
    cold, warm = Engine.load(mini_catalog_dir), Engine.load(mini_catalog_dir)
    warm.warm()
    warm.warm()  # twice is harmless
    titles = [c.label for c in cold.popular(10)]
    names = list(cold.catalog.actors.names[:5]) + list(cold.catalog.directors.names[:5])
    for query in [*titles, *(t[:-1] for t in titles), "zzqqxx"]:
        assert warm.resolve_title(query) == cold.resolve_title(query)
    for role in ("actor", "director"):
        for query in [*names, *(n[:-1] for n in names)]:
            assert warm.resolve_person(role, query) == cold.resolve_person(role, query)
