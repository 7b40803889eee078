"""What people type → which film or person, on the shipped catalog."""

from __future__ import annotations

import pytest

from movierec.results import Ambiguous, Invalid, Match, NotFound

# (typed query, expected TMDB id)
TITLES = [
    ("Toy Story", 862),
    ("toy story", 862),
    ("TOY STORY!!", 862),
    ("toy story 2", 863),
    ("the dark knigth", 155),
    ("dark knight", 155),
    ("jurasic park", 329),
    ("amelie", 194),
    ("Amélie", 194),
    ("titanic 1997", 597),
    ("Titanic (1953)", 16535),
    ("titanic", 597),
    ("(500) Days of Summer", 19913),
    ("500 days of summer", 19913),
    ("*batteries not included", 11548),
    ("Se7en", 807),
    ("M*A*S*H", 651),
    ("mash", 651),
    ("[REC]", 8329),
    ("Face/Off", 754),
    ("face off", 754),
    ("2001: A Space Odyssey", 62),
    ("the godfather part 2", 240),
    ("godfather 2", 240),  # a sequel number is not a typo of "godfather"
    ("lord of the rings fellowship", 120),  # every word in one title
    ("deathly hallows part 2", 12445),
    ("jurasic park 3", 331),
    ("rocky 4", 1374),
    ("The Godfather: Part II", 240),
    ("godfather", 238),
    ("inseption", 27205),
    ("the shawshenk redemption", 278),
    ("shawshank", 278),
    ("forest gump", 13),
    ("pulp fiction 1994", 680),
    ("la la land", 313369),
    ("y tu mama tambien", 1391),
    ("amores peros", 55),
    ("matrix", 603),
    ("the matrix", 603),
    ("star wars", 11),
    ("avengers", 24428),
    ("heat 1995", 949),
    ("Heat (1995)", 949),
]
# (role, typed query, expected name)
PEOPLE = [
    ("actor", "tom hank", "Tom Hanks"),
    ("actor", "Tom Hanks", "Tom Hanks"),
    ("actor", "scarlet johanson", "Scarlett Johansson"),
    ("actor", "brad pit", "Brad Pitt"),
    ("actor", "penelope cruz", "Penélope Cruz"),
    ("actor", "PENÉLOPE CRUZ", "Penélope Cruz"),
    ("actor", "de niro", "Robert De Niro"),
    ("actor", "dicaprio", "Leonardo DiCaprio"),
    ("actor", "meryl streep", "Meryl Streep"),
    ("director", "almodovar", "Pedro Almodóvar"),
    ("director", "pedro almodovar", "Pedro Almodóvar"),
    ("director", "spielberg", "Steven Spielberg"),
    ("director", "kubrik", "Stanley Kubrick"),
    ("director", "michael man", "Michael Mann"),
    ("director", "john lasseter", "John Lasseter"),
    ("director", "hitchcock", "Alfred Hitchcock"),
    ("director", "quentin tarantino", "Quentin Tarantino"),
]


@pytest.mark.parametrize(("query", "movie_id"), TITLES)
def test_titles_resolve(shipped_engine, query: str, movie_id: int) -> None:
    result = shipped_engine.resolve_title(query)
    assert isinstance(result, Match), result
    assert result.candidate.key == movie_id


@pytest.mark.parametrize(("role", "query", "name"), PEOPLE)
def test_people_resolve(shipped_engine, role: str, query: str, name: str) -> None:
    result = shipped_engine.resolve_person(role, query)
    assert isinstance(result, Match), result
    assert result.candidate.label == name
    assert result.candidate.films > 0 and result.candidate.known_for


def test_exact_ties_are_ambiguous_by_votes(shipped_engine, shipped_movies) -> None:
    result = shipped_engine.resolve_title("Hamlet")
    assert isinstance(result, Ambiguous)
    hamlets = shipped_movies[shipped_movies.title == "Hamlet"]
    expected = hamlets.sort_values("vote_count", ascending=False, kind="stable").id.tolist()
    assert [c.key for c in result.candidates] == expected[:5]
    assert all(c.label == "Hamlet" and c.year for c in result.candidates)


@pytest.mark.parametrize(
    ("role", "query", "first"),
    [("actor", "hanks", "Tom Hanks"), ("director", "coppola", "Francis Ford Coppola")],
)
def test_shared_surnames_ask_back_best_known_first(shipped_engine, role, query, first) -> None:
    result = shipped_engine.resolve_person(role, query)
    assert isinstance(result, Ambiguous)
    assert result.candidates[0].label == first
    counts = [c.films for c in result.candidates]
    assert counts == sorted(counts, reverse=True)


def test_a_fragment_lists_the_films_it_could_be(shipped_engine) -> None:
    result = shipped_engine.resolve_title("harry potter")
    assert isinstance(result, Ambiguous) and len(result.candidates) == 5
    assert all(c.label.startswith("Harry Potter") for c in result.candidates)


def test_a_wrong_year_offers_the_same_title_nearest_first(shipped_engine) -> None:
    result = shipped_engine.resolve_title("titanic 1998")
    assert isinstance(result, Ambiguous)
    assert [c.year for c in result.candidates][:2] == [1997, 1996]


@pytest.mark.parametrize("query", ["zzzxxq", "qwrtpsdfg", "el laberinto del fauno", "el padrino"])
def test_unknown_titles_are_not_found_with_suggestions(shipped_engine, query: str) -> None:
    result = shipped_engine.resolve_title(query)
    assert isinstance(result, NotFound)
    assert result.query == query and len(result.suggestions) <= 3


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "empty"),
        ("   \t\n", "empty"),
        (None, "empty"),
        ("x" * 10_000, "too_long"),
        ("a" * 201, "too_long"),
        ("🎬🍿🎥", "no_letters"),
        ("\x00\x01\x02", "no_letters"),
        ("!!!???", "no_letters"),
    ],
)
def test_bad_input_is_a_typed_result(shipped_engine, query, reason) -> None:
    assert shipped_engine.resolve_title(query) == Invalid(reason)
    assert shipped_engine.resolve_person("actor", query) == Invalid(reason)


@pytest.mark.parametrize(
    "query",
    [
        ".*",
        "(((",
        "[a-z]+",
        "\\d{4}",
        "<b>Heat 1995</b>",
        "<script>alert(1)</script>",
        "מלחמת הכוכבים",
        "\u202eHeat",
        "H\u200beat",
        "'; DROP TABLE movies; --",
        "$(rm -rf /)",
    ],
)
def test_hostile_text_is_literal(shipped_engine, query: str) -> None:
    for result in (
        shipped_engine.resolve_title(query),
        shipped_engine.resolve_person("actor", query),
        shipped_engine.resolve_person("director", query),
    ):
        assert isinstance(result, Match | Ambiguous | NotFound | Invalid)
        if isinstance(result, Ambiguous | NotFound):
            assert result.query == query  # reported back verbatim, for the renderer to escape
