"""The built catalog, loaded once into flat arrays the queries and indexes share.

Films are addressed by *row* (0..n-1) inside the process and by TMDB id across boundaries.
People are addressed by their position in ``People.names`` of their role.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from movierec.results import Role

__all__ = [
    "DEFAULT_DATA",
    "RUNTIME_MOVIE_COLUMNS",
    "Catalog",
    "CatalogError",
    "Groups",
    "People",
    "factorize",
    "load",
]

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"
# Long texts are only needed to build the recommender index, not to answer questions; the
# overview is the exception: the card shows it.
RUNTIME_MOVIE_COLUMNS = [
    "id",
    "title",
    "release_date",
    "release_year",
    "budget",
    "revenue",
    "return",
    "popularity",
    "vote_average",
    "vote_count",
    "runtime",
    "genres",
    "production_companies",
    "collection",
    "imdb_id",
    "overview",
]
KAGGLE_OVERVIEW = "tmdb"  # Kaggle's overviews are TMDB's synopses
Ints = npt.NDArray[np.int64]


class CatalogError(Exception):
    """The data folder is missing or unreadable."""


@dataclass(frozen=True)
class Groups:
    """Integer values grouped by owner: ``values[starts[i]:starts[i + 1]]`` belong to owner i."""

    starts: npt.NDArray[np.int64]
    values: npt.NDArray[np.int32]

    @classmethod
    def build(
        cls,
        owners: npt.NDArray[np.integer[Any]],
        values: npt.NDArray[np.integer[Any]],
        n_owners: int,
    ) -> Groups:
        order = np.argsort(owners, kind="stable")  # keeps the given order within an owner
        counts = np.bincount(owners, minlength=n_owners)
        starts = np.zeros(n_owners + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(starts=starts, values=values[order].astype(np.int32))

    def __getitem__(self, owner: int) -> npt.NDArray[np.int32]:
        return self.values[self.starts[owner] : self.starts[owner + 1]]

    def sizes(self) -> npt.NDArray[np.int64]:
        return np.diff(self.starts)

    def union(self, owners: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int32]:
        """Every value of these owners, once each, ascending: one gather, however many."""
        return np.unique(self.values[self.segments(owners)[1]])

    def segments(self, owners: npt.NDArray[np.integer[Any]]) -> tuple[Ints, Ints]:
        """Where each of ``owners``' values begin in their concatenation, and their positions
        in ``values``, owners one after another (a gather index: no loop over owners)."""
        first, lengths = self.starts[owners], self.starts[owners + 1] - self.starts[owners]
        before = np.cumsum(lengths) - lengths  # value j of owner i: first[i] + j
        return before, np.repeat(first - before, lengths) + np.arange(int(lengths.sum()))


@dataclass(frozen=True)
class People:
    """Everyone credited in one role; ``films[p]`` are person p's film rows by release date."""

    role: Role
    names: Sequence[str]  # a tuple, or a snapshot column unpacked when first read
    films: Groups

    def __len__(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Catalog:
    ids: npt.NDArray[np.int32]  # TMDB id per row
    # Strings: tuples when built from the tables, snapshot columns (movierec.columns) when
    # loaded from it, unpacked when first read; either way indexed and iterated alike.
    titles: Sequence[str]
    dates: npt.NDArray[np.datetime64]  # datetime64[D]
    years: npt.NDArray[np.int32]
    budget: npt.NDArray[np.float64]
    revenue: npt.NDArray[np.float64]
    returns: npt.NDArray[np.float64]
    popularity: npt.NDArray[np.float64]
    vote_average: npt.NDArray[np.float64]
    vote_count: npt.NDArray[np.int64]
    runtime: npt.NDArray[np.float64]  # NaN when unknown
    genres: Sequence[tuple[str, ...]]
    companies: Sequence[tuple[str, ...]]
    collection: Sequence[str | None]
    imdb_id: Sequence[str | None]
    actors: People
    directors: People
    cast: Groups  # film row → actor indexes, billing order
    directed_by: Groups  # film row → director indexes
    row_of_id: dict[int, int]
    # From the optional extras (empty tuples for a catalog built without them). Per film row:
    image_url: Sequence[str | None] = ()  # the poster (or other picture) to show
    overview: Sequence[str | None] = ()  # Kaggle's, else a Wikipedia lead paragraph
    overview_source: Sequence[str | None] = ()  # "tmdb", "wikipedia"
    overview_url: Sequence[str | None] = ()  # attribution link (CC BY-SA text)
    alt_titles: Sequence[tuple[str, ...]] = ()  # alternative titles, and
    alt_languages: Sequence[tuple[str, ...]] = ()  # their ISO 639-1 code ("" unknown)

    def __len__(self) -> int:
        return len(self.titles)

    def row(self, movie_id: int) -> int | None:
        return self.row_of_id.get(movie_id)

    def people(self, role: Role) -> People:
        return self.actors if role == "actor" else self.directors

    def cast_names(self, row: int, limit: int | None = None) -> list[str]:
        """The film's actors in billing order, each once (one actor may play two parts); the
        first ``limit`` only (a card's five of a blockbuster's hundred and more credits)."""
        names: dict[str, None] = {}
        for p in self.cast[row].tolist():
            if limit is not None and len(names) >= limit:
                break
            names[self.actors.names[p]] = None
        return list(names)

    def director_names(self, row: int) -> list[str]:
        return list(dict.fromkeys(self.directors.names[p] for p in self.directed_by[row].tolist()))

    def aliases(self, row: int) -> list[tuple[str, str]]:
        """The film's alternative titles with their language ("" when unknown)."""
        if not self.alt_titles:
            return []
        return list(zip(self.alt_titles[row], self.alt_languages[row], strict=True))

    def extra(self, column: Sequence[str | None], row: int) -> str | None:
        """One value of an extras column, None for a catalog built without extras."""
        return column[row] if column else None


H = TypeVar("H", bound=Hashable)


def factorize(values: Sequence[H]) -> tuple[npt.NDArray[np.int32], list[H]]:
    """Codes (first-seen order) and the unique values; a dict is all it takes."""
    ids: dict[H, int] = {}
    codes = np.fromiter((ids.setdefault(v, len(ids)) for v in values), np.int32, len(values))
    return codes, list(ids)


def _role(
    role: Role,
    film_rows: npt.NDArray[np.int32],
    names: npt.NDArray[np.object_],
    dates: npt.NDArray[np.datetime64],
    n_films: int,
) -> tuple[People, Groups]:
    codes, uniques = factorize(names.tolist())
    # person → films by date, each film once even when credited twice
    order = np.lexsort((film_rows, dates[film_rows], codes))
    person, films = codes[order], film_rows[order]
    first = np.ones(len(person), dtype=bool)
    first[1:] = (person[1:] != person[:-1]) | (films[1:] != films[:-1])
    people = People(
        role=role,
        names=tuple(uniques),
        films=Groups.build(person[first], films[first], len(uniques)),
    )
    return people, Groups.build(film_rows, codes, n_films)


def _texts(values: list[str | None]) -> tuple[str | None, ...]:
    return tuple(v or None for v in values)


def _extras(
    folder: Path, row_lookup: npt.NDArray[np.int32], n: int, kaggle_overviews: Sequence[str | None]
) -> dict[str, Any]:
    """The extras tables merged per film row; a catalog built without them has none."""
    import pyarrow.parquet as pq

    image: list[str | None] = [None] * n
    overview = list(kaggle_overviews)
    source: list[str | None] = [KAGGLE_OVERVIEW if text else None for text in overview]
    url: list[str | None] = [None] * n
    titles: list[list[str]] = [[] for _ in range(n)]
    languages: list[list[str]] = [[] for _ in range(n)]
    if (folder / "film_extras.parquet").is_file():
        for r in pq.ParquetFile(folder / "film_extras.parquet").read().to_pylist():
            row = int(row_lookup[r["movie_id"]])
            image[row] = r["image_url"]
            if r["overview"] and not overview[row]:  # Kaggle's first
                overview[row], source[row] = r["overview"], r["overview_source"]
                url[row] = r["overview_url"]
    if (folder / "alt_titles.parquet").is_file():
        for r in pq.ParquetFile(folder / "alt_titles.parquet").read().to_pylist():
            row = int(row_lookup[r["movie_id"]])
            titles[row].append(r["title"])
            languages[row].append(r["language"] or "")
    return {
        "image_url": tuple(image),
        "overview": tuple(overview),
        "overview_source": tuple(source),
        "overview_url": tuple(url),
        "alt_titles": tuple(tuple(t) for t in titles),
        "alt_languages": tuple(tuple(lang) for lang in languages),
    }


def load(folder: Path = DEFAULT_DATA) -> Catalog:
    """Build the catalog from the parquet tables (the bot itself starts from the snapshot)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        # ParquetFile, not read_table: the dataset layer behind read_table imports pandas
        movies = pq.ParquetFile(folder / "movies.parquet").read(columns=RUNTIME_MOVIE_COLUMNS)
        credits = pq.ParquetFile(folder / "credits.parquet").read(
            columns=["movie_id", "name", "job"]
        )
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{folder}: no usable catalog ({exc}); run `make data`") from None

    ids = movies["id"].to_numpy().astype(np.int32)
    n = len(ids)
    row_lookup = np.full(int(ids.max(initial=0)) + 1, -1, dtype=np.int32)
    row_lookup[ids] = np.arange(n, dtype=np.int32)
    # days since 1970 as int32 first: converting date32 directly loads pandas (0.2 s, 45 MB)
    dates = movies["release_date"].cast(pa.int32()).to_numpy().astype("datetime64[D]")

    credit_rows = row_lookup[credits["movie_id"].to_numpy()]
    names = credits["name"].to_numpy(zero_copy_only=False)
    job = pc.fill_null(credits["job"].cast("string"), "").to_numpy(zero_copy_only=False)
    is_cast, is_director = job == "", job == "Director"
    actors, cast = _role("actor", credit_rows[is_cast], names[is_cast], dates, n)
    directors, directed_by = _role(
        "director", credit_rows[is_director], names[is_director], dates, n
    )

    def numbers(name: str, dtype: npt.DTypeLike = np.float64) -> npt.NDArray[Any]:
        values: npt.NDArray[Any] = movies[name].to_numpy(zero_copy_only=False)
        return values.astype(dtype)

    return Catalog(
        ids=ids,
        titles=tuple(movies["title"].to_pylist()),
        dates=dates,
        years=numbers("release_year", np.int32),
        budget=numbers("budget"),
        revenue=numbers("revenue"),
        returns=numbers("return"),
        popularity=numbers("popularity"),
        vote_average=numbers("vote_average"),
        vote_count=numbers("vote_count", np.int64),
        runtime=pc.fill_null(movies["runtime"], np.nan).to_numpy().astype(np.float64),
        genres=tuple(tuple(g) for g in movies["genres"].to_pylist()),
        companies=tuple(tuple(c) for c in movies["production_companies"].to_pylist()),
        collection=_texts(movies["collection"].to_pylist()),
        imdb_id=_texts(movies["imdb_id"].to_pylist()),
        actors=actors,
        directors=directors,
        cast=cast,
        directed_by=directed_by,
        row_of_id={int(movie_id): row for row, movie_id in enumerate(ids.tolist())},
        **_extras(folder, row_lookup, n, _texts(movies["overview"].to_pylist())),
    )
