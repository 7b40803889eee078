"""The one facade the edge talks to: loaded once, shared by the bot, console and benchmarks.

Every question answers a typed value from :mod:`movierec.results`: the answer, or
:class:`~movierec.results.Invalid` (or ``NotFound``/``Ambiguous`` when resolving) saying why not.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from movierec import catalog as catalog_module
from movierec import snapshot
from movierec.catalog import Catalog
from movierec.discover import languages as discover_languages
from movierec.discover.query import DiscoverPage, Draw, Query, Saga, Unanswerable
from movierec.discover.rank import Ranking
from movierec.discover.saga import Sagas
from movierec.queries import Queries
from movierec.recommend import index as index_module
from movierec.recommend import personal
from movierec.recommend.compromise import CompromisePick, compromise_picks
from movierec.recommend.project import LiveFeatures, Projector
from movierec.recommend.recommender import Recommender
from movierec.results import (
    Ambiguous,
    Candidate,
    Filters,
    Invalid,
    Match,
    MonthCount,
    MovieCard,
    NotFound,
    PersonReport,
    Recommendation,
    Recommendations,
    Resolution,
    Role,
    Score,
    Votes,
    WeekdayCount,
)
from movierec.search import keys, listing, text
from movierec.search.keys import KeyTables
from movierec.search.matching import PersonResolver, TitleResolver
from movierec.search.remembered import remembering
from movierec.search.typeahead import Typeahead

__all__ = ["CARD_CAST", "RESOLUTION_MEMO", "Engine"]

CARD_CAST = 5
# What people type repeats all day (the same films, the same typos), and a resolution is a
# pure function of the text: the last few thousand are remembered, per kind. 0 turns it off
# (the bench's resolution rows time the search itself, not the memory).
RESOLUTION_MEMO = 4096
POPULAR_KEPT = 50
COMPROMISE_MIN_VOTES = 100  # a group's pick should be a film people can find and have heard of
log = logging.getLogger(__name__)


class Engine:
    def __init__(
        self,
        catalog: Catalog,
        tables: dict[str, KeyTables],
        index: index_module.SimilarityIndex,
        fingerprint: str = "",
        languages: discover_languages.Loader | None = None,
        memo: int = RESOLUTION_MEMO,
    ) -> None:
        self.catalog = catalog
        self.fingerprint = fingerprint  # which catalog build this is (buttons are tied to it)
        self._queries = Queries(catalog)
        self._titles = TitleResolver(catalog, tables["title"])
        self._people = {
            "actor": PersonResolver(catalog, catalog.actors, tables["actor"]),
            "director": PersonResolver(catalog, catalog.directors, tables["director"]),
        }
        self._title_memo = remembering(self._titles.resolve, memo)
        self._person_memo = {role: remembering(r.resolve, memo) for role, r in self._people.items()}
        self._recommender = Recommender(catalog, index)
        self._projector = Projector(catalog, index)  # films outside the catalog
        self._popular = np.argsort(-catalog.vote_count, kind="stable")[:POPULAR_KEPT]
        self._typeahead = Typeahead(catalog, tables["title"])
        self._ranking = Ranking(catalog, languages)  # /descubrir, /azar: built on first use
        self._sagas = Sagas(catalog)

    @classmethod
    def load(
        cls, folder: Path = catalog_module.DEFAULT_DATA, memo: int = RESOLUTION_MEMO
    ) -> Engine:
        """From the runtime snapshot when the ETL made one, else built from the tables."""
        catalog, tables = cls._catalog_and_tables(folder)
        index = index_module.load(folder / index_module.FILE_NAME)
        manifest = folder / "manifest.json"
        fingerprint = hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]
        ids = catalog.ids
        return cls(
            catalog, tables, index, fingerprint, lambda: discover_languages.load(folder, ids), memo
        )

    @staticmethod
    def _catalog_and_tables(folder: Path) -> tuple[Catalog, dict[str, KeyTables]]:
        if (folder / snapshot.FILE_NAME).is_file():
            try:
                return snapshot.load(folder / snapshot.FILE_NAME)
            except snapshot.StaleSnapshot as stale:
                # still right, only slower: rebuild from the tables
                log.warning("%s; building the indexes from the tables instead", stale)
        catalog = catalog_module.load(folder)
        return catalog, keys.build_tables(catalog)

    # -- resolving what people type ---------------------------------------------------------

    def warm(self) -> None:
        """Build now what the searches build on first use (~50 ms of CPU): a server calls
        this before it serves, so no asker pays it."""
        for resolver in (self._titles, *self._people.values()):
            resolver.warm()
        if len(self.catalog):  # alternative titles: read by lists and Spanish cards (~15 ms)
            self._titles.names_of(int(self.catalog.ids[0]))

    def resolve_title(self, query: str | None) -> Resolution:
        return self._title_memo(query)

    def resolve_person(self, role: Role, query: str | None) -> Resolution:
        return self._person_memo[role](query)

    def may_list(self, query: str | None) -> bool:
        """Whether ``query`` has what a list of films has (marks, "and"s): cheap."""
        return listing.looks_listed(query or "")

    def resolve_several(self, query: str | None) -> tuple[Candidate, ...]:
        """The films of a list typed as one text ("heat, alien"), or () (:mod:`.search.listing`)."""
        return listing.listed_films(self._titles, self.resolve_title, query or "")

    def popular(self, limit: int = 10) -> tuple[Candidate, ...]:
        return tuple(self._titles.candidate(int(r)) for r in self._popular[:limit])

    def typeahead(self, query: str, limit: int = 20) -> tuple[Candidate, ...]:
        """Films for a half-typed title: the resolved film first, then prefix matches."""
        query = query.strip()
        if not query:
            return self.popular(limit)
        resolution = self.resolve_title(query)
        # a title resolved to one film leads; an ambiguous one ("toy": two films called The
        # Toy) does not outrank Toy Story, so its films take their place by popularity
        first = (resolution.candidate,) if isinstance(resolution, Match) else ()
        prefixed = tuple(self._titles.candidate(r) for r in self._typeahead.rows(query, limit))
        fallback: tuple[Candidate, ...] = ()
        if isinstance(resolution, Ambiguous):
            fallback = resolution.candidates
        elif isinstance(resolution, NotFound):
            fallback = resolution.suggestions
        unique = {c.key: c for c in (*first, *prefixed, *fallback)}
        return tuple(unique.values())[:limit]

    # -- the six questions ------------------------------------------------------------------

    def month(self, text: str | None) -> MonthCount | Invalid:
        return self._queries.films_in_month(text)

    def weekday(self, text: str | None) -> WeekdayCount | Invalid:
        return self._queries.films_on_weekday(text)

    def score(self, movie_id: int) -> Score | Invalid:
        return self._queries.score(movie_id)

    def votes(self, movie_id: int) -> Votes | Invalid:
        return self._queries.votes(movie_id)

    def person(self, role: Role, person: int) -> PersonReport | Invalid:
        return self._queries.person(role, person)

    def local_title(self, movie_id: int, language: str | None) -> str | None:
        """The film's title in ``language`` (ISO 639-1, "es") when known and different from
        the catalog's (English) title: "El padrino" for The Godfather; None otherwise, and for
        odd forms that only add a parenthesis ("Toy story (juguetes)")."""
        row = self.catalog.row(movie_id)
        if row is None or not language:
            return None
        own = text.title_key(self.catalog.titles[row])
        for alias, alias_language in self.catalog.aliases(row):
            if alias_language == language and own not in keys.alias_keys(alias):
                return alias
        return None

    def card(self, movie_id: int, language: str | None = None) -> MovieCard | Invalid:
        """The film's card; with ``language``, its title there too (``local_title``)."""
        c = self.catalog
        row = c.row(movie_id)
        if row is None:
            return Invalid("unknown_movie")
        runtime = float(c.runtime[row])
        return MovieCard(
            movie_id=movie_id,
            title=c.titles[row],
            year=int(c.years[row]),
            release_date=c.dates[row].item(),
            genres=c.genres[row],
            directors=tuple(c.director_names(row)),
            cast=tuple(c.cast_names(row, CARD_CAST)),
            popularity=float(c.popularity[row]),
            vote_average=float(c.vote_average[row]),
            vote_count=int(c.vote_count[row]),
            runtime=None if math.isnan(runtime) else int(runtime),
            budget=int(c.budget[row]),
            revenue=int(c.revenue[row]),
            return_=float(c.returns[row]),
            collection=c.collection[row],
            imdb_id=c.imdb_id[row],
            image_url=c.extra(c.image_url, row),
            overview=c.extra(c.overview, row),
            overview_source=c.extra(c.overview_source, row),
            overview_url=c.extra(c.overview_url, row),
            alt_titles=tuple(c.aliases(row)),
            local_title=self.local_title(movie_id, language),
        )

    # -- recommendations --------------------------------------------------------------------

    def similar(
        self, movie_id: int, k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid:
        return self._recommender.similar(movie_id, k, filters)

    def similar_to_many(
        self, movie_ids: Sequence[int], k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid:
        return self._recommender.similar_to_many(movie_ids, k, filters)

    def similar_to_features(
        self, features: LiveFeatures, k: int = 5
    ) -> list[Recommendation] | Invalid:
        """Catalog films like a film the catalog lacks (live data), from its features."""
        return self._projector.similar(features, k)

    def similarity(self, a: int, b: int) -> float | Invalid:
        return self._recommender.similarity(a, b)

    def compromise(
        self, nominees: Sequence[int], liked: Sequence[int], seen: Sequence[int], k: int = 3
    ) -> tuple[CompromisePick, ...] | Invalid:
        """A group's compromise picks: near its nominees and likes, seen by nobody."""
        return compromise_picks(self, nominees, liked, seen, k, min_votes=COMPROMISE_MIN_VOTES)

    def for_you(
        self,
        ratings: Sequence[personal.Rating],
        k: int = 5,
        filters: Filters | None = None,
        exclude: Sequence[int] = (),
    ) -> list[personal.PersonalPick] | Invalid:
        """Films for someone who rated these (1-5; None: seen), never one of them or of
        ``exclude``; each with the liked films it is most like."""
        return personal.for_you(self._recommender, ratings, k, filters, exclude)

    def recommendations(self, movie_id: int, page: int, per_page: int) -> Recommendations | Invalid:
        """Page ``page`` (from 0) of a film's recommendations, ``per_page`` films each (only
        that page is explained: page n costs one page)."""
        if page < 0 or per_page < 1 or per_page * (page + 1) > index_module.TOP_N:
            return Invalid("bad_page")
        offset = per_page * page
        found = self._recommender.page(movie_id, offset, per_page)
        if isinstance(found, Invalid):
            return found
        items, more = found
        return Recommendations(seeds=(movie_id,), items=tuple(items), offset=offset, more=more)

    # -- discover, roulette, sagas ------------------------------------------------------------

    def discover(
        self, query: Query, page: int = 0, per_page: int = 8, exclude: Sequence[int] = ()
    ) -> DiscoverPage | Unanswerable:
        """Page ``page`` of the films passing ``query``, by weighted rating."""
        return self._ranking.page(query, page, per_page, exclude)

    def draw(self, query: Query, exclude: Sequence[int], seed: int) -> Draw | Unanswerable:
        """A well-rated film passing ``query`` at random, none of ``exclude``."""
        return self._ranking.draw(query, exclude, seed)

    def saga(self, movie_id: int) -> Saga | Unanswerable:
        """The film's collection in release order."""
        return self._sagas.saga(movie_id)
