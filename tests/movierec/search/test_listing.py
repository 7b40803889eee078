"""Several films typed as one text: lists are read, titles that look like lists are not."""

from __future__ import annotations

import random
import re

import pytest

from movierec.results import Ambiguous, Match
from movierec.search.listing import MAX_LISTED, listed_at_marks, listed_at_words

LISTLIKE = re.compile(r"[,;+|]|\s(?:y|e|and|&)\s", re.IGNORECASE)


@pytest.mark.parametrize(
    ("typed", "marks", "words"),
    [
        ("titanic, toy story", ["titanic", "toy story"], ["titanic", "toy story"]),
        ("heat y ronin", ["heat y ronin"], ["heat", "ronin"]),
        ("Alien & Aliens", ["Alien & Aliens"], ["Alien", "Aliens"]),
        ("romeo and juliet; heat", ["romeo and juliet", "heat"], ["romeo", "juliet", "heat"]),
        (" a ,, b + ", ["a", "b"], ["a", "b"]),
        ("20,000 leagues, heat", ["20,000 leagues", "heat"], ["20,000 leagues", "heat"]),
        ("heat\nrocky，alien", ["heat", "rocky", "alien"], ["heat", "rocky", "alien"]),
        ("yeti y", ["yeti y"], ["yeti y"]),  # "y" must stand between two pieces
    ],
)  # fmt: skip
def test_pieces_between_marks_and_words(typed, marks, words) -> None:
    assert listed_at_marks(typed) == marks
    assert listed_at_words(typed) == words


def most_voted(engine, n: int) -> list[int]:
    votes = engine.catalog.vote_count
    return sorted(range(len(engine.catalog)), key=lambda row: (-int(votes[row]), row))[:n]


def named_by_title(engine, n: int) -> list:
    """Candidates of most-voted films that their title as typed names (the most popular of
    the films with that title)."""
    titles = engine._titles
    out = []
    for row in most_voted(engine, n):
        exact = titles.exact_films(engine.catalog.titles[row])
        if exact and exact[0] == row:
            out.append(titles.candidate(row))
    return out


def test_a_title_as_typed_is_never_a_list(shipped_engine) -> None:
    c = shipped_engine.catalog
    listlike = [
        typed
        for row in most_voted(shipped_engine, 5000)
        for typed in (c.titles[row], *c.alt_titles[row])
        if LISTLIKE.search(typed)
    ]
    if not listlike:
        pytest.skip("no title with a comma or an 'and' in the catalog under test")
    assert [t for t in listlike if shipped_engine.resolve_several(t)] == []


def test_a_typo_in_a_listlike_title_still_finds_that_title(shipped_engine) -> None:
    """ "lady and the trap" is Lady and the Tramp, not The Lady and The Trap."""
    c = shipped_engine.catalog
    checked = 0
    for row in most_voted(shipped_engine, 5000):
        title = c.titles[row]
        if not LISTLIKE.search(title) or len(title) < 8:
            continue
        # one typo at the end; two ("thee karate kid, part ii": one doubled letter too)
        for typo in (title[:-2] + title[-1], title[0] + title[:-2] + title[-1]):
            found = shipped_engine.resolve_title(typo)
            if isinstance(found, Match) and found.candidate.key == int(c.ids[row]):
                checked += 1
                assert shipped_engine.resolve_several(typo) == (), typo
    if not checked:
        pytest.skip("no list-like title found again after a typo")


@pytest.mark.parametrize("separator", [", ", " + ", "; ", "\n"])
def test_films_listed_between_marks_are_each_read(shipped_engine, separator) -> None:
    films = named_by_title(shipped_engine, 400)
    if len(films) < 2:
        pytest.skip("too few films named by their title alone")
    rng = random.Random(5)
    for _ in range(100):
        a, b = rng.sample(films, 2)
        typed = f"{a.label}{separator}{b.label}".lower()
        assert shipped_engine.resolve_several(typed) == (a, b), typed


@pytest.mark.parametrize("word", [" y ", " and ", " & "])
def test_films_listed_with_and_are_read_nearly_always(shipped_engine, word) -> None:
    """Words are riskier: a title may hold the "and" ("silence and akira" finds a film)."""
    films = named_by_title(shipped_engine, 400)
    if len(films) < 2:
        pytest.skip("too few films named by their title alone")
    rng = random.Random(6)
    pairs = [rng.sample(films, 2) for _ in range(200)]
    read = sum(
        shipped_engine.resolve_several(f"{a.label}{word}{b.label}") == (a, b) for a, b in pairs
    )
    assert read >= 0.95 * len(pairs)


def test_a_title_with_commas_inside_a_list_stays_whole(shipped_engine) -> None:
    films = named_by_title(shipped_engine, 3000)
    with_comma = next((f for f in films if "," in f.label), None)
    other = next(f for f in films if "," not in f.label and not LISTLIKE.search(f.label))
    if with_comma is None:
        pytest.skip("no film whose title has a comma")
    assert shipped_engine.resolve_several(f"{other.label}, {with_comma.label}") == (
        other,
        with_comma,
    )


def test_odd_lists(shipped_engine) -> None:
    films = named_by_title(shipped_engine, 400)
    a, b = films[0], films[1]
    several = shipped_engine.resolve_several
    assert several(a.label) == ()  # one title is no list
    assert several(f"{a.label}, {a.label}") == (a,)  # one film named twice is that film
    assert several(f"{a.label}, zzqqxxjj") == ()  # a part names nothing
    assert several(f"{a.label}, {b.label}, " * 40) == ()  # too long to read at all
    short = [f for f in films if len(f.label) <= 12][: MAX_LISTED + 2]
    if len(short) == MAX_LISTED + 2:  # a longer list: its first MAX_LISTED parts
        assert several(", ".join(f.label for f in short)) == tuple(short[:MAX_LISTED])
        typed = ", ".join(f.label for f in short[:MAX_LISTED]) + ", zzqqxxjj"
        assert several(typed) == tuple(short[:MAX_LISTED])  # what comes after is not read


def test_an_ambiguous_part_is_its_most_popular_film(shipped_engine) -> None:
    catalog = shipped_engine.catalog
    unsure = next(
        (catalog.titles[row] for row in most_voted(shipped_engine, 1000)
         if isinstance(shipped_engine.resolve_title(catalog.titles[row]), Ambiguous)),
        None,
    )  # fmt: skip
    if unsure is None:
        pytest.skip("no ambiguous title among the most voted")
    likeliest = shipped_engine._titles.candidate(shipped_engine._titles.exact_films(unsure)[0])
    other = next(f for f in named_by_title(shipped_engine, 400) if f.key != likeliest.key)
    assert shipped_engine.resolve_several(f"{unsure}, {other.label}") == (likeliest, other)


def test_a_title_typed_without_its_punctuation_is_a_part(shipped_engine) -> None:
    """The whole of "monsters inc, heat" finds Monsters, Inc., yet it lists two films."""
    films = named_by_title(shipped_engine, 3000)
    punctuated = [f for f in films if re.search(r"[,&]", f.label)]
    plain = [f for f in films if not LISTLIKE.search(f.label) and len(f.label) > 3]
    if not punctuated or not plain:
        pytest.skip("no punctuated title among the most voted")
    tried = read = 0
    for film in punctuated[:40]:
        bare = re.sub(r"[,&:.]", " ", film.label).lower()
        row = shipped_engine.catalog.row_of_id[film.key]
        if shipped_engine._titles.exact_films(bare)[:1] != [row]:
            continue  # the bare words name another film first
        tried += 1
        read += shipped_engine.resolve_several(f"{bare}, {plain[0].label}") == (film, plain[0])
    assert read == tried > 0


def test_lists_of_three_and_long_lists(shipped_engine) -> None:
    films = named_by_title(shipped_engine, 400)
    a, b, c = films[:3]
    assert shipped_engine.resolve_several(f"{a.label}, {b.label} y {c.label}") == (a, b, c)
    long_names = sorted(films, key=lambda f: -len(f.label))[:MAX_LISTED]
    typed = ", ".join(f"{f.label} ({f.year})" for f in long_names)
    if len(typed) > 200:  # longer than one title may be, still a list
        assert shipped_engine.resolve_several(typed) == tuple(long_names)
