"""The /descubrir parser: what people type, in Spanish and English, and the filters it means."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from movierec.discover.parse import LONG_MINUTES, MAX_CHARS, POPULAR_VOTES, SHORT_MINUTES, parse
from movierec.discover.query import Parsed, Query, Unanswerable

SF = "Science Fiction"
S, L = SHORT_MINUTES, LONG_MINUTES

# phrasing → the query it must mean (and no unknown words)
TABLE: list[tuple[str, Query]] = [
    # genres, es and en, with accents or without, plurals and feminine forms
    ("comedia", Query(genres=("Comedy",))),
    ("comedy", Query(genres=("Comedy",))),
    ("Comedias románticas", Query(genres=("Comedy", "Romance"))),
    ("ciencia ficción", Query(genres=(SF,))),
    ("ciencia ficcion", Query(genres=(SF,))),
    ("sci-fi", Query(genres=(SF,))),
    ("Science Fiction", Query(genres=(SF,))),
    ("una de terror", Query(genres=("Horror",))),
    ("horror movies", Query(genres=("Horror",))),
    ("película de animación", Query(genres=("Animation",))),
    ("dibujos animados", Query(genres=("Animation",))),
    ("documentales", Query(genres=("Documentary",))),
    ("del oeste", Query(genres=("Western",))),
    ("bélica", Query(genres=("War",))),
    ("thriller de suspense", Query(genres=("Thriller",))),
    # decades and years
    ("90s", Query(year_from=1990, year_to=1999)),
    ("90's", Query(year_from=1990, year_to=1999)),
    ("los 90", Query(year_from=1990, year_to=1999)),
    ("años 80", Query(year_from=1980, year_to=1989)),
    ("década de los 70", Query(year_from=1970, year_to=1979)),
    ("the 80s", Query(year_from=1980, year_to=1989)),
    ("1960s", Query(year_from=1960, year_to=1969)),
    ("2000s", Query(year_from=2000, year_to=2009)),
    ("los ochenta", Query(year_from=1980, year_to=1989)),
    ("nineties", Query(year_from=1990, year_to=1999)),
    ("1995-2000", Query(year_from=1995, year_to=2000)),
    ("1995–2000", Query(year_from=1995, year_to=2000)),
    ("de 1990 a 1995", Query(year_from=1990, year_to=1995)),
    ("entre 2001 y 2003", Query(year_from=2001, year_to=2003)),
    ("between 1970 and 1975", Query(year_from=1970, year_to=1975)),
    ("from 2005 to 2001", Query(year_from=2001, year_to=2005)),
    ("en 1997", Query(year_from=1997, year_to=1997)),
    ("antes de 1960", Query(year_to=1959)),
    ("before 1950", Query(year_to=1949)),
    ("después de 2010", Query(year_from=2011)),
    ("since 2015", Query(year_from=2015)),
    # length
    ("corta", Query(shorter_than=S)),
    ("short", Query(shorter_than=S)),
    ("larga", Query(longer_than=L)),
    ("long", Query(longer_than=L)),
    ("menos de 90 minutos", Query(shorter_than=90)),
    ("under 2 hours", Query(shorter_than=120)),
    ("más de 3 horas", Query(longer_than=180)),
    ("< 90 min", Query(shorter_than=90)),
    (">150 minutos", Query(longer_than=150)),
    # votes, popularity, quality
    ("más de 1000 votos", Query(min_votes=1000)),
    ("at least 5,000 votes", Query(min_votes=5000)),
    ("500+ votes", Query(min_votes=500)),
    (">= 1000 votos", Query(min_votes=1000)),
    ("popular", Query(min_votes=POPULAR_VOTES)),
    ("buena", Query(good=True)),
    ("good", Query(good=True)),
    ("las mejores", Query(good=True)),
    ("bien valoradas", Query(good=True)),
    # original language
    ("francesa", Query(language="fr")),
    ("japanese", Query(language="ja")),
    ("en inglés", Query(language="en")),
    ("coreana", Query(language="ko")),
    # everything at once
    ("comedia corta de los 90", Query(genres=("Comedy",), year_from=1990, year_to=1999,
                                      shorter_than=S)),
    ("a good short comedy from the 90s", Query(genres=("Comedy",), year_from=1990,
                                               year_to=1999, shorter_than=S, good=True)),
    ("algo bueno que no he visto", Query(good=True, unseen=True)),
    ("something good I have not seen", Query(good=True, unseen=True)),
    ("good french sci-fi", Query(genres=(SF,), language="fr", good=True)),
    ("terror japonés de los 2000 con más de 100 votos",
     Query(genres=("Horror",), year_from=2000, year_to=2009, min_votes=100, language="ja")),
    ("long Korean thriller after 2010", Query(genres=("Thriller",), year_from=2011,
                                              longer_than=L, language="ko")),
    ("WESTERN ITALIANO AÑOS 60", Query(genres=("Western",), year_from=1960, year_to=1969,
                                       language="it")),
]  # fmt: skip


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 40
    assert len({text for text, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("text", "query"), TABLE, ids=[t for t, _ in TABLE])
def test_phrasing_means(text: str, query: Query) -> None:
    assert parse(text) == Parsed(query, ())


@pytest.mark.parametrize(
    ("text", "query", "unknown"),
    [
        ("comedia de zombis", Query(genres=("Comedy",)), ("zombis",)),
        ("titanic 1997", Query(year_from=1997, year_to=1997), ("titanic",)),
        ("sci-fi with robots and lasers", Query(genres=(SF,)), ("robots", "lasers")),
        ("drama drama drama xyz xyz", Query(genres=("Drama",)), ("xyz",)),
    ],
)
def test_unknown_words_are_reported_not_ignored(text: str, query: Query, unknown) -> None:
    assert parse(text) == Parsed(query, unknown)


@pytest.mark.parametrize("text", ["xyzzy", "90", "la el de", "🍿🍿", "<b>hola</b>"])
def test_nothing_understood(text: str) -> None:
    found = parse(text)
    # words, but not a filter among them: said so; only stopwords: not a filter either
    assert found == Unanswerable("not_understood") or found == Parsed(Query(), ())


@pytest.mark.parametrize("text", [None, "", "   \n\t"])
def test_empty_text_is_every_film(text: str | None) -> None:
    assert parse(text) == Parsed(Query())


def test_too_long_is_refused_before_any_work() -> None:
    assert parse("comedia " * MAX_CHARS) == Unanswerable("too_long")


@pytest.mark.parametrize(
    "text", ["1800-1700", "antes de 1800", "from 2039 to 2030", "1e9 votos", "9" * 200]
)
def test_odd_numbers_stay_sane(text: str) -> None:
    found = parse(text)
    if isinstance(found, Parsed):
        q = found.query
        assert q.year_from is None or q.year_to is None or q.year_from <= q.year_to
        assert all(y is None or 1870 <= y <= 2039 for y in (q.year_from, q.year_to))


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=MAX_CHARS + 20))
def test_any_text_is_read_or_refused_never_raises(text: str) -> None:
    found = parse(text)
    assert isinstance(found, Parsed | Unanswerable)
    if isinstance(found, Parsed):
        q = found.query
        assert q.year_from is None or q.year_to is None or q.year_from <= q.year_to
        assert all(" " not in word and word for word in found.unknown)
