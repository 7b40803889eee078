"""The original contract's transformations, from Kaggle rows to typed columnar tables.

Each builder takes a :class:`CsvTable` and returns an Arrow table plus a Counter of what was
dropped or repaired, by reason, so the manifest can report every skipped row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from movierec.etl.literals import BadLiteral, as_int, clean_text, dict_items, names, parse_literal
from movierec.etl.sources import CsvTable

__all__ = [
    "CREDITS_SCHEMA",
    "CREW_JOBS",
    "KEYWORDS_SCHEMA",
    "LIST_COLUMNS",
    "MOVIES_SCHEMA",
    "build_credits",
    "build_keywords",
    "build_movies",
    "film_return",
    "imdb_ids_from_links",
    "parse_amount",
    "parse_date",
    "parse_id",
]

CREW_JOBS = ("Director", "Screenplay", "Writer", "Producer", "Original Music Composer")
LIST_COLUMNS = ("genres", "production_companies", "production_countries", "spoken_languages")

MOVIES_SCHEMA = pa.schema(
    [
        ("id", pa.int32()),
        ("title", pa.string()),
        ("release_date", pa.date32()),
        ("release_year", pa.int16()),
        ("budget", pa.int64()),
        ("revenue", pa.int64()),
        ("return", pa.float64()),
        ("popularity", pa.float64()),
        ("vote_average", pa.float64()),
        ("vote_count", pa.int32()),
        ("runtime", pa.float32()),
        ("genres", pa.list_(pa.string())),
        ("production_companies", pa.list_(pa.string())),
        ("production_countries", pa.list_(pa.string())),
        ("spoken_languages", pa.list_(pa.string())),
        ("collection", pa.string()),
        ("original_language", pa.string()),
        ("tagline", pa.string()),
        ("overview", pa.string()),
        ("imdb_id", pa.string()),
    ]
)
CREDITS_SCHEMA = pa.schema(
    [
        ("movie_id", pa.int32()),
        ("kind", pa.dictionary(pa.int8(), pa.string())),
        ("position", pa.int16()),
        ("name", pa.string()),
        ("person_id", pa.int64()),
        ("character", pa.string()),
        ("job", pa.dictionary(pa.int8(), pa.string())),
    ]
)
KEYWORDS_SCHEMA = pa.schema([("movie_id", pa.int32()), ("keywords", pa.list_(pa.string()))])


def parse_id(text: str) -> int | None:
    """A TMDB id: digits only. The shifted rows of the real file have dates here."""
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value < 2**31 else None


def parse_amount(text: str, counts: Counter[str], field: str) -> float:
    """A non-negative number; empty is 0 (Kaggle's "unknown"), garbage is 0 and counted."""
    text = text.strip()
    if not text:
        return 0.0
    try:
        value = float(text)
    except ValueError:
        counts[f"{field}_not_numeric"] += 1
        return 0.0
    if not math.isfinite(value) or value < 0:
        counts[f"{field}_not_numeric"] += 1
        return 0.0
    return value


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def film_return(revenue: int, budget: int) -> float:
    """revenue / budget, 0 when either is unknown (0)."""
    return revenue / budget if revenue > 0 and budget > 0 else 0.0


def _literal(text: str, counts: Counter[str], field: str) -> list[dict[str, Any]]:
    try:
        return dict_items(parse_literal(text))
    except BadLiteral:
        counts[f"{field}_unparseable"] += 1
        return []


def imdb_ids_from_links(table: CsvTable | None) -> dict[int, str]:
    """tmdbId → ``tt%07d`` from links.csv, first mapping per id."""
    if table is None:
        return {}
    tmdb_col, imdb_col = table.column("tmdbId"), table.column("imdbId")
    result: dict[int, str] = {}
    for row in table.rows:
        tmdb = parse_id(row[tmdb_col].split(".")[0])
        imdb = parse_id(row[imdb_col])
        if tmdb is not None and imdb is not None:
            result.setdefault(tmdb, f"tt{imdb:07d}")
    return result


def build_movies(table: CsvTable, imdb_fallback: dict[int, str]) -> tuple[pa.Table, Counter[str]]:
    counts: Counter[str] = Counter(malformed_row=table.bad_rows)
    col = {name: i for i, name in enumerate(table.header)}

    def cell(row: list[str], name: str) -> str:
        index = col.get(name)
        return row[index] if index is not None else ""

    seen: set[int] = set()
    out: dict[str, list[Any]] = {field.name: [] for field in MOVIES_SCHEMA}
    for row in table.rows:
        movie_id = parse_id(cell(row, "id"))
        if movie_id is None:
            counts["malformed_row"] += 1
            continue
        if movie_id in seen:
            counts["duplicate_id"] += 1
            continue
        seen.add(movie_id)
        released = parse_date(cell(row, "release_date"))
        if released is None:
            counts["no_release_date" if not cell(row, "release_date").strip() else "bad_date"] += 1
            continue
        title = clean_text(cell(row, "title"))
        if title is None:
            counts["no_title"] += 1
            continue
        budget = int(parse_amount(cell(row, "budget"), counts, "budget"))
        revenue = int(parse_amount(cell(row, "revenue"), counts, "revenue"))
        collection = names(_literal(cell(row, "belongs_to_collection"), counts, "collection"))
        imdb = clean_text(cell(row, "imdb_id"))
        runtime = parse_amount(cell(row, "runtime"), counts, "runtime")
        values: dict[str, Any] = {
            "id": movie_id,
            "title": title,
            "release_date": released,
            "release_year": released.year,
            "budget": budget,
            "revenue": revenue,
            "return": film_return(revenue, budget),
            "popularity": parse_amount(cell(row, "popularity"), counts, "popularity"),
            "vote_average": parse_amount(cell(row, "vote_average"), counts, "vote_average"),
            "vote_count": int(parse_amount(cell(row, "vote_count"), counts, "vote_count")),
            "runtime": runtime or None,
            "collection": collection[0] if collection else None,
            "original_language": clean_text(cell(row, "original_language")),
            "tagline": clean_text(cell(row, "tagline")),
            "overview": clean_text(cell(row, "overview")),
            "imdb_id": imdb if imdb and imdb.startswith("tt") else imdb_fallback.get(movie_id),
        }
        for name in LIST_COLUMNS:
            values[name] = names(_literal(cell(row, name), counts, name))
        for name, value in values.items():
            out[name].append(value)
    return pa.Table.from_pydict(out, schema=MOVIES_SCHEMA), +counts


def _cast_rows(movie_id: int, cast: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    # Billing order is TMDB's `order`; fall back to position where it is missing.
    ranked = sorted(
        enumerate(cast),
        key=lambda pair: o if (o := as_int(pair[1].get("order"))) is not None else pair[0],
    )
    rows = []
    for position, (_, member) in enumerate(ranked):
        name = clean_text(member.get("name"))
        if name is not None:
            person_id, character = as_int(member.get("id")), clean_text(member.get("character"))
            rows.append((movie_id, "cast", position, name, person_id, character, None))
    return rows


def _crew_rows(movie_id: int, crew: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    seen: set[tuple[str, str]] = set()
    for member in crew:
        job, name = clean_text(member.get("job")), clean_text(member.get("name"))
        if job in CREW_JOBS and name is not None and (job, name) not in seen:
            seen.add((job, name))
            rows.append((movie_id, "crew", len(rows), name, as_int(member.get("id")), None, job))
    return rows


def _rows_per_film(
    table: CsvTable, movie_ids: set[int], counts: Counter[str]
) -> Iterator[tuple[int, list[str]]]:
    """The first row of each catalog film; malformed, repeated and unknown ids are counted."""
    id_col = table.column("id")
    seen: set[int] = set()
    for row in table.rows:
        movie_id = parse_id(row[id_col])
        if movie_id is None:
            counts["malformed_row"] += 1
        elif movie_id in seen:
            counts["duplicate_id"] += 1
        else:
            seen.add(movie_id)
            if movie_id in movie_ids:
                yield movie_id, row
            else:
                counts["not_in_movies"] += 1


def build_credits(table: CsvTable, movie_ids: set[int]) -> tuple[pa.Table, Counter[str]]:
    counts: Counter[str] = Counter(malformed_row=table.bad_rows)
    cast_col, crew_col = table.column("cast"), table.column("crew")
    rows: list[tuple[Any, ...]] = []
    for movie_id, row in _rows_per_film(table, movie_ids, counts):
        rows += _cast_rows(movie_id, _literal(row[cast_col], counts, "cast"))
        rows += _crew_rows(movie_id, _literal(row[crew_col], counts, "crew"))
    columns: list[Sequence[Any]] = (
        list(zip(*rows, strict=True)) if rows else [[] for _ in CREDITS_SCHEMA]
    )
    data = {field.name: list(values) for field, values in zip(CREDITS_SCHEMA, columns, strict=True)}
    return pa.Table.from_pydict(data, schema=CREDITS_SCHEMA), +counts


def build_keywords(table: CsvTable, movie_ids: set[int]) -> tuple[pa.Table, Counter[str]]:
    counts: Counter[str] = Counter(malformed_row=table.bad_rows)
    keywords_col = table.column("keywords")
    out: dict[str, list[Any]] = {"movie_id": [], "keywords": []}
    for movie_id, row in _rows_per_film(table, movie_ids, counts):
        out["movie_id"].append(movie_id)
        out["keywords"].append(names(_literal(row[keywords_col], counts, "keywords")))
    return pa.Table.from_pydict(out, schema=KEYWORDS_SCHEMA), +counts
