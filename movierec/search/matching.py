"""Resolving what people type into films and people: exact keys first, then fuzzy.

The answer is a :class:`Match` when one entity clearly wins, :class:`Ambiguous` (best first)
when several fit, or :class:`NotFound` with the closest suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt

from movierec.catalog import Catalog, People
from movierec.results import Ambiguous, Candidate, Invalid, Match, NotFound, Resolution
from movierec.search import text
from movierec.search.fuzzy import Scored, Scoring
from movierec.search.keys import KeyTables
from movierec.search.lookup import int_view

__all__ = [
    "CLEAR_LEAD",
    "CONFIDENT",
    "FILM_DOMINANCE",
    "MAX_CHOICES",
    "PERSON_DOMINANCE",
    "PLAUSIBLE_PARTIAL",
    "PLAUSIBLE_RATIO",
    "SUGGEST",
    "WARM_UP_QUERY",
    "PersonResolver",
    "TitleResolver",
]

MAX_CHOICES = 5
CONFIDENT = 85.0  # whole-string similarity for a typo to count as the same key
CLEAR_LEAD = 5.0  # ...when the runner-up is at least this much further away
# To be offered as a choice: close as a whole (a typo), or containing the query almost
# verbatim ("harry potter"); "padrino" in "submarino" is a suggestion at most.
PLAUSIBLE_RATIO = 80.0
PLAUSIBLE_PARTIAL = 90.0
SUGGEST = 60.0
# An exact tie still has an obvious answer when one entity dwarfs the rest: "titanic" is the
# 1997 film (votes), "de niro" is Robert (films); "hamlet" and "hanks" stay questions.
FILM_DOMINANCE = 20.0
PERSON_DOMINANCE = 5.0

Accept = Callable[[int], bool]


WARM_UP_QUERY = "warm up qzx"  # matches nothing exactly, so it goes through the fuzzy search


def _everything(_entity: int) -> bool:
    return True


class _Resolver:
    def __init__(
        self, tables: KeyTables, popularity: npt.NDArray[np.int64], dominance: float
    ) -> None:
        self.tables = tables
        self._keys = tables.keys
        self._owners = tables.owners
        # key id → owners through list-fast views of the arrays (no numpy call per key)
        self._owner_starts = int_view(tables.owners.starts)
        self._owner_values = int_view(tables.owners.values)
        self._index = tables.index
        self._popularity = popularity
        self._dominance = dominance

    def _owned(self, key_id: int) -> list[int]:
        starts = self._owner_starts
        return list(self._owner_values[starts[key_id] : starts[key_id + 1]])

    def _exact(self, key: str) -> list[int]:
        key_ids = [k for k in self.tables.exact.candidates(key) if self._keys[k] == key]
        if not key_ids:
            squeezed = text.compact(key)
            key_ids = [
                k
                for k in self.tables.squeezed.candidates(squeezed)
                if text.compact(self._keys[k]) == squeezed
            ]
        return self._by_popularity(e for k in key_ids for e in self._owned(k))

    def _by_popularity(self, entities: Iterable[int]) -> list[int]:
        return sorted(set(entities), key=lambda e: (-self._popularity[e], e))

    def _search(self, key: str) -> Scoring:
        # keys scoring below SUGGEST everywhere change no answer (not even "not found")
        return self._index.scoring(key, floor=SUGGEST)

    def _fuzzy(self, query: str, search: Scoring, accept: Accept = _everything) -> Resolution:
        """The answer from the keys ``search`` found for ``query``, owners ``accept``ed."""
        clear = self._clear_winner(query, search, accept)
        if clear is not None:
            return clear
        found = search.scored()
        scored = (
            found  # every key has an owner
            if accept is _everything
            else [s for s in found if any(map(accept, self._owned(s.key_id)))]
        )
        if not scored:
            return NotFound(query, ())
        best = max(scored, key=lambda s: s.ratio)
        if best.ratio >= CONFIDENT:
            entities = self._by_popularity(e for e in self._owned(best.key_id) if accept(e))
            rivals = [
                e
                for s in scored
                if s is not best and s.ratio > best.ratio - CLEAR_LEAD
                for e in self._owned(s.key_id)
                if accept(e)
            ]
            # "michael man": Michael Mann wins over one-film Michael Maks by his body of work
            if self._dominates(entities[0], rivals):
                return self._choice(query, entities)
        plausible = [
            s for s in scored if s.ratio >= PLAUSIBLE_RATIO or s.partial >= PLAUSIBLE_PARTIAL
        ]
        ranked = self._ranked(plausible, accept)
        if len(ranked) == 1:
            return Match(ranked[0])
        if ranked:
            return Ambiguous(query, ranked)
        return NotFound(query, self._ranked([s for s in scored if s.best >= SUGGEST], accept)[:3])

    def _clear_winner(self, query: str, search: Scoring, accept: Accept) -> Resolution | None:
        """The answer ``_fuzzy`` gives when one key is closest as a whole (a typo) and its
        owner dwarfs every owner of a key nearly as close, found from the whole-string ratios
        alone (the token and partial scores, most of a search, are never computed); None
        when that is not the case. Keys this close (a ratio above 80) pass the search's floor
        (SUGGEST), and with one closest key no order of the scored list can make another the
        best: the same answer either way (tested against the full scoring).
        """
        ratio = search.ratio
        near = np.flatnonzero(ratio > CONFIDENT - CLEAR_LEAD)
        if not len(near):
            return None
        near = near[np.argsort(-ratio[near], kind="stable")]
        key_ids, ratios = search.ids[near].tolist(), ratio[near].tolist()
        best = -1.0
        entities: list[int] = []
        rivals: list[int] = []
        for key_id, r in zip(key_ids, ratios, strict=True):
            owners = [e for e in self._owned(key_id) if accept(e)]
            if not owners:
                continue  # not among the keys _fuzzy looks at
            if not entities:
                best, entities = r, owners
            elif r == best:
                return None  # a tie: which one is best depends on the other scores
            elif r > best - CLEAR_LEAD:
                rivals += owners
        if best < CONFIDENT:
            return None
        leaders = self._by_popularity(entities)
        return self._choice(query, leaders) if self._dominates(leaders[0], rivals) else None

    def _ranked(self, scored: list[Scored], accept: Accept) -> tuple[Candidate, ...]:
        best: dict[int, float] = {}
        for s in scored:
            for e in self._owned(s.key_id):
                if accept(e) and s.best > best.get(e, -1.0):
                    best[e] = s.best
        ranked = sorted(best, key=lambda e: (-best[e], -self._popularity[e], e))
        return tuple(self.candidate(e) for e in ranked[:MAX_CHOICES])

    def _dominates(self, leader: int, others: Iterable[int]) -> bool:
        """Whether ``leader`` dwarfs every other (votes for films, films for people)."""
        top = max((self._popularity[e] for e in others), default=None)
        return top is None or self._popularity[leader] >= self._dominance * max(top, 1)

    def _choice(self, query: str, entities: list[int]) -> Resolution:
        """One entity, or a question; ``entities`` are sorted by popularity."""
        if self._dominates(entities[0], entities[1:]):
            return Match(self.candidate(entities[0]))
        return Ambiguous(query, tuple(self.candidate(e) for e in entities[:MAX_CHOICES]))

    def candidate(self, entity: int) -> Candidate:
        raise NotImplementedError

    def resolve(self, query: str | None) -> Resolution:
        raise NotImplementedError

    def warm(self) -> None:
        """Build what the first typo would (the fuzzy index's key strings, the columns a
        candidate reads: 148k names for actors): a search that matches nothing exactly, and
        one candidate. Nothing is remembered."""
        self.resolve(WARM_UP_QUERY)
        if len(self._popularity):
            self.candidate(0)


class TitleResolver(_Resolver):
    def __init__(self, catalog: Catalog, tables: KeyTables) -> None:
        self._catalog = catalog
        super().__init__(tables, catalog.vote_count, FILM_DOMINANCE)

    def candidate(self, row: int) -> Candidate:
        c = self._catalog
        return Candidate("movie", int(c.ids[row]), c.titles[row], year=int(c.years[row]))

    def resolve(self, query: str | None) -> Resolution:
        problem = text.query_problem(query)
        if problem:
            return Invalid(problem)
        assert query is not None
        key = text.title_key(query)
        exact = self._exact(key)  # first, so "2001: A Space Odyssey" keeps its number
        if exact:
            return self._choice(query, exact)
        title, year = text.split_year(text.fold(query))
        if year is None:
            # a mistyped "the" (after the year: "she 1984" is She, not the film 1984)
            rest = text.article_typo(key)
            exact = self._exact(rest) if rest else []
            if exact:
                return self._choice(query, exact)
            return self._fuzzy(query, self._search(key))
        # the key of what is left: "la la land 2016" is "la land", not "land"
        title = text.title_key(title)
        years = self._catalog.years

        def in_year(row: int) -> bool:
            return int(years[row]) == year

        same_title = self._exact_title(title)
        exact = [row for row in same_title if in_year(row)]
        if exact:
            return self._choice(query, exact)
        if same_title:  # "titanic 1998": the Titanics, nearest year first
            same_title.sort(key=lambda row: abs(int(years[row]) - year))
            if len(same_title) == 1:
                return Match(self.candidate(same_title[0]))
            return Ambiguous(query, tuple(self.candidate(r) for r in same_title[:MAX_CHOICES]))
        scored = self._search(title)  # once: the year only filters what it found
        found = self._fuzzy(query, scored, in_year)
        # a wrong year should not hide the film: fall back to the title alone
        return found if not isinstance(found, NotFound) else self._fuzzy(query, scored)

    def exact_films(self, query: str) -> list[int]:
        """The films whose title (or an alternative title) is ``query`` as typed, the year
        after it theirs when there is one; most popular first. No typo forgiven."""
        if text.query_problem(query):
            return []
        rows = self._exact(text.title_key(query))
        title, year = text.split_year(text.fold(query))
        if rows or year is None:
            return rows
        years = self._catalog.years
        return [row for row in self._exact(text.title_key(title)) if int(years[row]) == year]

    def names_of(self, movie_id: int) -> list[str]:
        """The film's title and its alternative titles (what its keys were made from)."""
        c = self._catalog
        row = c.row_of_id.get(movie_id)
        if row is None:
            return []
        return [c.titles[row], *(c.alt_titles[row] if c.alt_titles else ())]

    def _exact_title(self, key: str) -> list[int]:
        """The films whose key is ``key``; when none, and its first word is a mistyped "the"
        ("te hangover", "thse departed"), the films whose key is the rest (a key without
        that word is one no typo search finds: the whole query is too far from it)."""
        found = self._exact(key)
        rest = None if found else text.article_typo(key)
        return self._exact(rest) if rest else found


class PersonResolver(_Resolver):
    def __init__(self, catalog: Catalog, people: People, tables: KeyTables) -> None:
        self._catalog = catalog
        self._people = people
        self._film_counts = people.films.sizes()
        super().__init__(tables, self._film_counts, PERSON_DOMINANCE)

    def candidate(self, person: int) -> Candidate:
        films = self._people.films[person]
        votes = self._catalog.vote_count[films]
        known_for = self._catalog.titles[int(films[int(np.argmax(votes))])] if len(films) else None
        return Candidate(
            self._people.role,
            person,
            self._people.names[person],
            films=int(self._film_counts[person]),
            known_for=known_for,
        )

    def resolve(self, query: str | None) -> Resolution:
        problem = text.query_problem(query)
        if problem:
            return Invalid(problem)
        assert query is not None
        key = text.fold(query)
        exact = self._exact(key)
        return self._choice(query, exact) if exact else self._fuzzy(query, self._search(key))
