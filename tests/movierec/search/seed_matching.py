"""Resolution as it was before the speed work (a per-key rapidfuzz loop over an argpartition
shortlist, the search run twice for a year), kept verbatim as the oracle the fast one must
equal on the query tables: same kind of answer, same candidates, same order.

One rule was added since, here as in the fast code: a mistyped leading "the" ("te hangover")
also looks the rest of the key up exactly (``_exact_title``; it changed only answers that
were wrong: The Hangover, The Departed, The Matrix, The Lion King on the typo tables).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from movierec.catalog import Catalog, People
from movierec.results import Ambiguous, Candidate, Invalid, Match, NotFound, Resolution
from movierec.search import text
from movierec.search.fuzzy import (
    ALL_WORDS,
    FRAGMENT_RATIO,
    MISSING_NUMBER,
    SHORTLIST,
    FuzzyIndex,
    Scored,
    query_grams,
)
from movierec.search.keys import KeyTables
from movierec.search.matching import (
    CLEAR_LEAD,
    CONFIDENT,
    FILM_DOMINANCE,
    MAX_CHOICES,
    PERSON_DOMINANCE,
    PLAUSIBLE_PARTIAL,
    PLAUSIBLE_RATIO,
    SUGGEST,
)


class SeedFuzzy:
    """The original shortlist and scoring over an index's decoded posting lists."""

    def __init__(self, index: FuzzyIndex) -> None:
        self.keys = index.keys
        self._vocab, self._starts, self._sizes = index._vocab, index._starts, index._sizes
        self._postings = index.postings(np.arange(len(index._vocab)))

    def shortlist(self, query: str, limit: int = SHORTLIST) -> npt.NDArray[np.intp]:
        """Key ids sharing the most trigrams with ``query``, relative to both lengths."""
        grams = query_grams(query)
        columns = np.searchsorted(self._vocab, grams)
        inside = columns < len(self._vocab)
        columns, grams_inside = columns[inside], grams[inside]
        known = columns[self._vocab[columns] == grams_inside]
        if not len(known):
            return np.empty(0, dtype=np.intp)
        hits = np.concatenate(
            [self._postings[self._starts[c] : self._starts[c + 1]] for c in known]
        )
        counts = np.bincount(hits, minlength=len(self.keys))
        candidates = np.flatnonzero(counts)
        shared = counts[candidates]
        # containment favours "almodovar" → "pedro almodovar"; dice favours equal lengths
        dice = 2 * shared / (len(grams) + self._sizes[candidates])
        rank = shared / len(grams) + dice
        if len(candidates) > limit:
            candidates = candidates[np.argpartition(-rank, limit)[:limit]]
        return candidates

    def search(self, query: str, limit: int = SHORTLIST) -> list[Scored]:
        """Shortlisted keys scored by rapidfuzz, best first."""
        words = set(query.split())
        numbers = {w for w in words if w.isdigit()}
        scored = []
        for i in self.shortlist(query, limit).tolist():
            key = self.keys[i]
            key_words = set(key.split())
            # word order ("knight dark"), and a query that is part of a longer key
            # ("harry potter"); never a key that is only a fragment of the query
            partial = 0.0
            if len(key) >= FRAGMENT_RATIO * len(query):
                partial = fuzz.token_sort_ratio(query, key)
                if len(query) <= len(key):
                    partial = max(partial, fuzz.partial_ratio(query, key))
            if len(words) > 1 and words <= key_words:
                partial = max(partial, ALL_WORDS)
            ratio = fuzz.ratio(query, key)
            if not numbers <= key_words:
                ratio, partial = ratio - MISSING_NUMBER, partial - MISSING_NUMBER
            scored.append(Scored(i, ratio, partial))
        scored.sort(key=lambda s: (-s.best, -s.ratio, s.key_id))
        return scored


Accept = Callable[[int], bool]


def _everything(_entity: int) -> bool:
    return True


class _Resolver:
    def __init__(
        self, tables: KeyTables, popularity: npt.NDArray[np.int64], dominance: float
    ) -> None:
        self.tables = tables
        self._keys = tables.keys
        self._owners = tables.owners
        self._index = SeedFuzzy(tables.index)
        self._popularity = popularity
        self._dominance = dominance

    def _owned(self, key_id: int) -> list[int]:
        owners: list[int] = self._owners[key_id].tolist()
        return owners

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

    def _fuzzy(self, query: str, key: str, accept: Accept = _everything) -> Resolution:
        scored = [s for s in self._index.search(key) if any(map(accept, self._owned(s.key_id)))]
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


class TitleResolver(_Resolver):
    def __init__(self, catalog: Catalog, tables: KeyTables) -> None:
        self._catalog = catalog
        super().__init__(tables, catalog.vote_count, FILM_DOMINANCE)

    def candidate(self, row: int) -> Candidate:
        c = self._catalog
        return Candidate("movie", int(c.ids[row]), c.titles[row], year=int(c.years[row]))

    def _exact_title(self, key: str) -> list[int]:
        found = self._exact(key)
        rest = None if found else text.article_typo(key)
        return self._exact(rest) if rest else found

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
            return self._fuzzy(query, key)
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
        found = self._fuzzy(query, title, in_year)
        # a wrong year should not hide the film: fall back to the title alone
        return found if not isinstance(found, NotFound) else self._fuzzy(query, title)


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
        return self._choice(query, exact) if exact else self._fuzzy(query, key)
