"""The query sets: what people type, and the film or person they mean.

``TITLES`` and ``PEOPLE`` are hand-written (facts of the shipped catalog). :func:`traffic`
derives a set that looks like real traffic from any catalog: over half the titles with one
typo, some with a year, exact titles, and people by name or surname, with or without a typo.
:func:`one_typo` is the typo: one deleted, inserted, replaced or swapped letter, never the first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

import numpy as np

from movierec.catalog import Catalog
from movierec.results import Role
from movierec.search import text

# (category, typed, expected title)
TITLES = [
    ("exact", "Toy Story", "Toy Story"),
    ("exact", "Pulp Fiction", "Pulp Fiction"),
    ("exact", "The Matrix", "The Matrix"),
    ("exact", "Forrest Gump", "Forrest Gump"),
    ("exact", "Inception", "Inception"),
    ("exact", "Jurassic Park", "Jurassic Park"),
    ("exact", "The Shawshank Redemption", "The Shawshank Redemption"),
    ("exact", "Amélie", "Amélie"),
    ("typo", "the dark knigth", "The Dark Knight"),
    ("typo", "jurasic park", "Jurassic Park"),
    ("typo", "inseption", "Inception"),
    ("typo", "forest gump", "Forrest Gump"),
    ("typo", "the shawshenk redemption", "The Shawshank Redemption"),
    ("typo", "pulp fiction 1994", "Pulp Fiction"),
    ("accent", "amelie", "Amélie"),
    ("accent", "PENÉLOPE", None),
    ("ambiguous", "Hamlet", "Hamlet"),
    ("ambiguous", "titanic", "Titanic"),
    ("ambiguous", "harry potter", None),
    ("punctuation", "(500) Days of Summer", "(500) Days of Summer"),
    ("punctuation", "*batteries not included", "Batteries not Included"),
    ("punctuation", "Se7en", "Se7en"),
    ("punctuation", "M*A*S*H", "M*A*S*H"),
    ("punctuation", "[REC]", "[REC]"),
    ("punctuation", "Face/Off", "Face/Off"),
]
# (role, category, typed, expected name)
PEOPLE: list[tuple[Role, str, str, str]] = [
    ("actor", "exact", "Tom Hanks", "Tom Hanks"),
    ("actor", "exact", "Meryl Streep", "Meryl Streep"),
    ("actor", "typo", "tom hank", "Tom Hanks"),
    ("actor", "typo", "scarlet johanson", "Scarlett Johansson"),
    ("actor", "typo", "brad pit", "Brad Pitt"),
    ("actor", "accent", "penelope cruz", "Penélope Cruz"),
    ("director", "exact", "John Lasseter", "John Lasseter"),
    ("director", "accent", "pedro almodovar", "Pedro Almodóvar"),
    ("director", "surname", "spielberg", "Steven Spielberg"),
    ("director", "typo", "kubrik", "Stanley Kubrick"),
    ("director", "typo", "michael man", "Michael Mann"),
]

LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_LETTERS = 6  # shorter titles are too close to other titles for one typo to be fair
Kind = Literal["title", "actor", "director"]


@dataclass(frozen=True)
class Query:
    kind: Kind
    category: str  # "typo", "exact", "year", "typo+year", "surname", ...
    typed: str
    expected: int  # TMDB id for a film, position in People.names for a person


def one_typo(typed: str, rng: np.random.Generator) -> str:
    """One edit at a letter other than the first: deleted, inserted, replaced or swapped with
    the next letter (lower case, as typed on a phone); the text unchanged when impossible."""
    lowered = typed.lower()
    letters = [i for i, ch in enumerate(lowered) if ch.isalpha()][1:]
    for _ in range(100):
        if not letters:
            break
        i, edit = int(rng.choice(letters)), int(rng.integers(4))
        new = LETTERS[int(rng.integers(len(LETTERS)))]
        if edit == 0:
            changed = lowered[:i] + lowered[i + 1 :]
        elif edit == 1:
            changed = lowered[:i] + new + lowered[i:]
        elif edit == 2:
            changed = lowered[:i] + new + lowered[i + 1 :]
        elif i + 1 < len(lowered) and lowered[i + 1].isalpha():
            changed = lowered[:i] + lowered[i + 1] + lowered[i] + lowered[i + 2 :]
        else:
            continue
        if text.fold(changed) != text.fold(lowered):
            return changed
    return lowered


def popular_titles(catalog: Catalog, n: int) -> list[int]:
    """Rows of the ``n`` most-voted films whose title no other film has, with enough letters."""
    keys = Counter(text.title_key(t) for t in catalog.titles)
    rows = []
    for row in np.argsort(-catalog.vote_count, kind="stable").tolist():
        title = catalog.titles[row]
        if keys[text.title_key(title)] == 1 and sum(c.isalpha() for c in title) >= MIN_LETTERS:
            rows.append(row)
            if len(rows) == n:
                break
    return rows


def typo_titles(catalog: Catalog, n: int = 200, seed: int = 2024) -> list[tuple[str, int]]:
    """(typed, TMDB id): the most-voted films' titles, each with one typo."""
    rng = np.random.default_rng(seed)
    return [
        (one_typo(catalog.titles[row], rng), int(catalog.ids[row]))
        for row in popular_titles(catalog, n)
    ]


def busiest_people(catalog: Catalog, role: Role, n: int) -> list[int]:
    """The people with the most films whose folded name nobody else has."""
    people = catalog.people(role)
    names = Counter(text.fold(name) for name in people.names)
    order = np.argsort(-people.films.sizes(), kind="stable").tolist()
    return [p for p in order if names[text.fold(people.names[p])] == 1][:n]


def traffic(catalog: Catalog, n: int = 200, seed: int = 7) -> list[Query]:
    """A query set that looks like real traffic, the same for every implementation: three
    quarters titles (60% with one typo, a sixth of those with the year; 20% exact; 20% with
    the year), a quarter people (half with a typo, a quarter by surname): 57% typos."""
    rng = np.random.default_rng(seed)
    n_people = n // 4
    films = popular_titles(catalog, n - n_people)
    queries: list[Query] = []
    for i, row in enumerate(films):
        title, movie_id, year = catalog.titles[row], int(catalog.ids[row]), int(catalog.years[row])
        if i % 10 < 6:
            typed, category = one_typo(title, rng), "typo"
            if i % 10 == 0:
                typed, category = f"{typed} {year}", "typo+year"
        elif i % 10 < 8:
            typed, category = title, "exact"
        else:
            typed, category = f"{title} {year}", "year"
        queries.append(Query("title", category, typed, movie_id))
    for i in range(n_people):
        role: Role = "actor" if i % 3 else "director"
        people = busiest_people(catalog, role, n_people)
        if not people:
            continue
        person = people[(i // 3) % len(people)]
        name = catalog.people(role).names[person]
        if i % 4 == 3 and " " in name:
            typed, category = name.split(" ")[-1], "surname"
        elif i % 2:
            typed, category = one_typo(name, rng), "typo"
        else:
            typed, category = name, "exact"
        queries.append(Query(role, category, typed, person))
    return queries
