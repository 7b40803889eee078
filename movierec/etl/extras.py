"""Optional extras beside Kaggle's files: alternative titles, overviews and images.

    python -m movierec.etl --source DIR --extras DIR --out DIR

The folder's README documents three files keyed by TMDB id (``alternative_titles.csv``,
``overviews.csv``, ``images.csv``, plain or gzipped). Kaggle's files stay the primary source:
the extras only fill what they lack (an overview where Kaggle has none, an image) and add
aliases. Extras are never fatal: a missing or unreadable file, missing columns, unknown ids,
duplicates and bad values are counted in the manifest (``extras``) and skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from movierec.etl import sources
from movierec.etl.literals import clean_text
from movierec.etl.transform import parse_id
from movierec.search import text

__all__ = [
    "ALT_TITLES",
    "ALT_TITLES_SCHEMA",
    "FILM_EXTRAS_SCHEMA",
    "IMAGES",
    "IMAGE_RANK",
    "OVERVIEWS",
    "TMDB_POSTER",
    "Extras",
    "build",
    "kaggle_posters",
]

ALT_TITLES = sources.SourceSpec(
    names=("alternative_titles.csv",), required=("id", "iso_639_1", "title", "source")
)
OVERVIEWS = sources.SourceSpec(names=("overviews.csv",), required=("id", "text", "url", "source"))
IMAGES = sources.SourceSpec(names=("images.csv",), required=("id", "kind", "value", "source"))
TMDB_POSTER = "https://image.tmdb.org/t/p/w342"
# Which image a film shows, best first. TMDB serves posters reliably and Telegram fetches them
# fast; the extras' paths are current (2020s), Kaggle's are from 2017 and some were replaced
# since, so the current one goes first. Wikimedia thumbnails are stable; the IMDb URLs were
# rewritten from old ids and never checked (a refusal falls back to a text card at send time).
IMAGE_RANK = {"tmdb": 0, "kaggle": 1, "wikimedia": 2, "imdb": 3}
OTHER_IMAGE_RANK = 4
_POSTER_PATH = re.compile(r"/[A-Za-z0-9_.-]{1,200}\.(?:jpg|jpeg|png)")
_URL = re.compile(r"https://[^\s<>\"']{4,1000}")
MAX_OVERVIEW = 4000  # a lead paragraph, not an article

ALT_TITLES_SCHEMA = pa.schema(
    [
        ("movie_id", pa.int32()),
        ("title", pa.string()),
        ("language", pa.string()),  # ISO 639-1, null when the source does not say
        ("country", pa.string()),
        ("source", pa.string()),
    ]
)
FILM_EXTRAS_SCHEMA = pa.schema(
    [
        ("movie_id", pa.int32()),
        ("image_url", pa.string()),
        ("image_source", pa.string()),
        # only where Kaggle has no overview: Kaggle's stays in movies.parquet
        ("overview", pa.string()),
        ("overview_source", pa.string()),
        ("overview_url", pa.string()),
        ("overview_license", pa.string()),
    ]
)


@dataclass
class Extras:
    """What the extras add, as tables, and one report per file for the manifest."""

    alt_titles: pa.Table
    film_extras: pa.Table
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)


def kaggle_posters(table: sources.CsvTable) -> dict[int, str]:
    """TMDB id → Kaggle's ``poster_path``, first row per id (as the movies table keeps)."""
    if "poster_path" not in table.header:
        return {}
    id_col, path_col = table.column("id"), table.column("poster_path")
    found: dict[int, str] = {}
    for row in table.rows:
        movie_id = parse_id(row[id_col])
        if movie_id is not None and movie_id not in found:
            found[movie_id] = row[path_col].strip()
    return found


def _read(folder: Path, spec: sources.SourceSpec, report: dict[str, Any]) -> Any:
    path = sources.find(folder, spec)
    if path is None:
        report["error"] = "missing"
        return None
    report["file"] = path.name
    try:
        table = sources.read_csv(path, spec)
    except sources.SourceError as exc:
        report["error"] = str(exc).replace(str(folder), "").lstrip("/")[:300]
        return None
    report["sha256"] = table.sha256
    report["rows_read"] = len(table.rows) + table.bad_rows
    return table


def _rows(table: sources.CsvTable, movie_ids: set[int], counts: Counter[str]) -> Any:
    """Rows as dicts with a known ``id``; malformed and unknown ones counted."""
    counts["malformed_row"] += table.bad_rows
    for row in table.rows:
        cells = dict(zip(table.header, row, strict=True))
        movie_id = parse_id(cells["id"])
        if movie_id is None:
            counts["malformed_row"] += 1
        elif movie_id not in movie_ids:
            counts["unknown_id"] += 1
        else:
            yield movie_id, cells


def _finish(report: dict[str, Any], counts: Counter[str], written: int) -> None:
    report["rows_written"] = written
    report["dropped"] = dict(sorted((+counts).items()))


def _alt_titles(
    table: sources.CsvTable | None, report: dict[str, Any], titles: dict[int, str]
) -> pa.Table:
    out: dict[str, list[Any]] = {name: [] for name in ALT_TITLES_SCHEMA.names}
    if table is None:
        return pa.Table.from_pydict(out, schema=ALT_TITLES_SCHEMA)
    counts: Counter[str] = Counter()
    seen: set[tuple[int, str, str]] = set()
    for movie_id, cells in _rows(table, set(titles), counts):
        title = clean_text(cells["title"])
        key = text.title_key(title) if title else ""
        if title is None or not key:
            counts["no_title"] += 1
            continue
        language = (clean_text(cells["iso_639_1"]) or "").lower()[:3]
        if (movie_id, key, language) in seen:
            counts["duplicate"] += 1
            continue
        seen.add((movie_id, key, language))
        if key == text.title_key(titles[movie_id]) and language != "es":
            # an a.k.a. equal to the title adds nothing; a Spanish one says "same in Spain"
            counts["same_as_title"] += 1
            continue
        out["movie_id"].append(movie_id)
        out["title"].append(title)
        out["language"].append(language or None)
        out["country"].append(clean_text(cells.get("iso_3166_1", "")))
        out["source"].append(clean_text(cells["source"]))
    _finish(report, counts, len(out["movie_id"]))
    return pa.Table.from_pydict(out, schema=ALT_TITLES_SCHEMA)


def _overviews(
    table: sources.CsvTable | None,
    report: dict[str, Any],
    movie_ids: set[int],
    has_overview: set[int],
) -> dict[int, tuple[str, str, str, str | None]]:
    """Lead paragraphs for films Kaggle gives no overview: id → (text, url, source, licence)."""
    if table is None:
        return {}
    counts: Counter[str] = Counter()
    found: dict[int, tuple[str, str, str, str | None]] = {}
    seen: set[int] = set()
    for movie_id, cells in _rows(table, movie_ids, counts):
        if movie_id in seen:
            counts["duplicate"] += 1
            continue
        seen.add(movie_id)
        body = clean_text(" ".join(cells["text"].split()))
        url = cells["url"].strip()
        if body is None or len(body) > MAX_OVERVIEW:
            counts["bad_text"] += 1
        elif not _URL.fullmatch(url):
            counts["no_url"] += 1  # CC BY-SA text is only shown with its link
        elif movie_id in has_overview:
            counts["kaggle_has_overview"] += 1
        else:
            source = clean_text(cells["source"]) or "unknown"
            found[movie_id] = (body, url, source, clean_text(cells.get("license", "")))
    _finish(report, counts, len(found))
    return found


def _images(
    table: sources.CsvTable | None,
    report: dict[str, Any],
    movie_ids: set[int],
    kaggle: dict[int, str],
) -> dict[int, tuple[str, str]]:
    """The best image per film: id → (URL, source)."""
    best: dict[int, tuple[int, str, str]] = {}

    def offer(movie_id: int, rank: int, url: str, source: str) -> None:
        if movie_id not in best or rank < best[movie_id][0]:
            best[movie_id] = (rank, url, source)

    for movie_id, path in kaggle.items():
        if movie_id in movie_ids and _POSTER_PATH.fullmatch(path):
            offer(movie_id, IMAGE_RANK["kaggle"], TMDB_POSTER + path, "kaggle")
    if table is not None:
        counts: Counter[str] = Counter()
        seen: set[tuple[int, str]] = set()
        for movie_id, cells in _rows(table, movie_ids, counts):
            kind, value = cells["kind"].strip(), cells["value"].strip()
            source = clean_text(cells["source"]) or "unknown"
            if (movie_id, value) in seen:
                counts["duplicate"] += 1
            elif kind == "tmdb_poster_path" and _POSTER_PATH.fullmatch(value):
                offer(movie_id, IMAGE_RANK["tmdb"], TMDB_POSTER + value, "tmdb")
            elif kind == "url" and _URL.fullmatch(value):
                offer(movie_id, IMAGE_RANK.get(source, OTHER_IMAGE_RANK), value, source)
            elif kind in ("url", "tmdb_poster_path"):
                counts["bad_value"] += 1
            else:
                counts["unknown_kind"] += 1
            seen.add((movie_id, value))
        _finish(report, counts, len({m for m, _ in seen}))
    return {movie_id: (url, source) for movie_id, (_, url, source) in best.items()}


def build(
    folder: Path | None,
    titles: dict[int, str],
    has_overview: set[int],
    kaggle: dict[int, str],
) -> Extras:
    """The extras for the catalog's films (``titles``: id → title); ``folder`` may be None."""
    reports: dict[str, dict[str, Any]] = {}

    def read(name: str, spec: sources.SourceSpec) -> tuple[Any, dict[str, Any]]:
        report: dict[str, Any] = {}
        if folder is None:
            return None, report
        reports[name] = report
        return _read(folder, spec, report), report

    movie_ids = set(titles)
    alt = _alt_titles(*read("alternative_titles", ALT_TITLES), titles=titles)
    overviews = _overviews(*read("overviews", OVERVIEWS), movie_ids, has_overview)
    images = _images(*read("images", IMAGES), movie_ids, kaggle)
    out: dict[str, list[Any]] = {name: [] for name in FILM_EXTRAS_SCHEMA.names}
    for movie_id in sorted(set(overviews) | set(images)):
        url, source = images.get(movie_id, (None, None))
        body, link, origin, licence = overviews.get(movie_id, (None, None, None, None))
        row = (movie_id, url, source, body, origin, link, licence)
        for name, value in zip(FILM_EXTRAS_SCHEMA.names, row, strict=True):
            out[name].append(value)
    films = pa.Table.from_pydict(out, schema=FILM_EXTRAS_SCHEMA)
    return Extras(alt_titles=alt, film_extras=films, reports=reports)
