"""The generated ``data/README.md``: what each field means, how complete it is, its origin."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from movierec.recommend.index import TOP_N

__all__ = ["CREDIT_FIELDS", "LICENCES", "MOVIE_FIELDS", "TOP", "coverage", "render"]

TOP = 5000  # "the films people ask about": the most-voted
LICENCES = [
    "- **Kaggle's *The Movies Dataset*** (TMDB metadata, MovieLens links; CC0 on Kaggle).",
    "- **TMDB** (overviews in Kaggle's file, poster paths, the links to themoviedb.org): "
    "*This product uses the TMDB API but is not endorsed or certified by TMDB.*",
    "- **HetRec 2011 (GroupLens) Spanish titles** and **MovieLens 20M a.k.a. titles**: "
    "GroupLens terms, research and **non-commercial use only**, cite GroupLens "
    "(F. M. Harper, J. A. Konstan, *The MovieLens Datasets*, ACM TiiS 2015).",
    "- **Wikipedia lead paragraphs**: **CC BY-SA 4.0**; every text carries its article URL "
    "(`overview_url`) and is shown with that link wherever it is shown.",
    "- **Wikimedia Commons / IMDb image URLs**: pictures are never copied or fetched by us; "
    "Telegram fetches them by URL when a card is sent.",
]

MOVIE_FIELDS = {
    "id": "TMDB id (the key of every table)",
    "title": "title as in TMDB (2017)",
    "release_date": "premiere date; films without one are not in the catalog",
    "release_year": "year of `release_date`",
    "budget": "budget in USD, 0 when unknown",
    "revenue": "revenue in USD, 0 when unknown",
    "return": "revenue / budget, 0 when either is unknown",
    "popularity": "TMDB popularity score",
    "vote_average": "TMDB average vote (0-10)",
    "vote_count": "number of TMDB votes",
    "runtime": "minutes, null when unknown",
    "genres": "genre names",
    "production_companies": "company names",
    "production_countries": "country names",
    "spoken_languages": "language names",
    "collection": "name of the collection (saga) the film belongs to",
    "original_language": "ISO 639-1 code",
    "tagline": "tagline",
    "overview": "plot summary",
    "imdb_id": "IMDb id (`tt…`), from the metadata or links.csv",
}
CREDIT_FIELDS = {
    "movie_id": "TMDB id of the film",
    "kind": "`cast` or `crew`",
    "position": "billing order (cast) or order among kept crew",
    "name": "person's name",
    "person_id": "TMDB person id, when the source has it",
    "character": "role played (cast)",
    "job": "Director, Screenplay, Writer, Producer or Original Music Composer (crew)",
}


def _present(column: pa.ChunkedArray) -> int:
    """How many values carry information: not null, not empty, not zero."""
    valid = column.drop_null()
    if pa.types.is_list(valid.type):
        return int(pc.sum(pc.greater(pc.list_value_length(valid), 0)).as_py() or 0)
    if pa.types.is_string(valid.type):
        return int(pc.sum(pc.greater(pc.utf8_length(valid), 0)).as_py() or 0)
    if pa.types.is_integer(valid.type) or pa.types.is_floating(valid.type):
        return int(pc.sum(pc.not_equal(valid, 0)).as_py() or 0)
    return len(valid)


def _films_with(credits: pa.Table, kind: str, job: str | None = None) -> int:
    mask = pc.equal(credits["kind"].cast(pa.string()), kind)
    if job is not None:
        mask = pc.and_(mask, pc.equal(credits["job"].cast(pa.string()), job))
    return len(pc.unique(credits.filter(mask)["movie_id"]))


def coverage(folder: Path) -> list[tuple[str, int, int]]:
    """(what, films with it, of the TOP most-voted films with it), for the extras' fields."""
    movies = pq.read_table(folder / "movies.parquet", columns=["id", "vote_count", "overview"])
    ids = movies["id"].to_pylist()
    order = sorted(range(len(ids)), key=lambda i: (-movies["vote_count"][i].as_py(), ids[i]))
    top = {ids[i] for i in order[:TOP]}
    kaggle_overview = {i for i, t in zip(ids, movies["overview"].to_pylist(), strict=True) if t}
    extras = pq.read_table(folder / "film_extras.parquet").to_pylist()
    alt = pq.read_table(folder / "alt_titles.parquet").to_pylist()
    wiki = {r["movie_id"] for r in extras if r["overview"]}
    sets = {
        "Spanish title (`alt_titles`, language `es`)": {
            r["movie_id"] for r in alt if r["language"] == "es"
        },
        "any alternative title (`alt_titles`)": {r["movie_id"] for r in alt},
        "TMDB poster (`image_source` tmdb or kaggle)": {
            r["movie_id"] for r in extras if r["image_source"] in ("tmdb", "kaggle")
        },
        "any image (`image_url`)": {r["movie_id"] for r in extras if r["image_url"]},
        "overview from Kaggle (TMDB synopsis)": kaggle_overview,
        "overview from Wikipedia (where Kaggle has none)": wiki,
        "any overview": kaggle_overview | wiki,
    }
    return [(what, len(found), len(found & top)) for what, found in sets.items()]


def _extras_section(folder: Path, n: int) -> list[str]:
    if not (folder / "film_extras.parquet").is_file():
        return []
    top = min(TOP, n)
    lines = [
        "## Extras: alternative titles, images, overviews",
        "",
        "`alt_titles.parquet` (`movie_id`, `title`, `language`, `country`, `source`): aliases",
        "the title search answers to, and the Spanish title shown to Spanish speakers.",
        "`film_extras.parquet` (`movie_id`, `image_url`, `image_source`, `overview`,",
        "`overview_source`, `overview_url`, `overview_license`): one image per film (a TMDB",
        "poster path first, current paths before Kaggle's 2017 ones, as",
        "`https://image.tmdb.org/t/p/w342` + path; then Wikimedia, then IMDb URLs), and a",
        "Wikipedia lead paragraph only for films whose Kaggle overview is empty (Kaggle's stays in",
        "`movies.parquet`). Rows skipped from each extras file are counted in `manifest.json`.",
        "",
        f"| field | all {n:,} films | top {top:,} by votes |",
        "|---|---|---|",
    ]
    for what, films, in_top in coverage(folder):
        lines.append(
            f"| {what} | {films:,} ({films / max(n, 1):.1%}) "
            f"| {in_top:,} ({in_top / max(top, 1):.1%}) |"
        )
    return [*lines, ""]


def render(folder: Path, manifest: dict[str, object]) -> str:
    movies = pq.read_table(folder / "movies.parquet")
    credits = pq.read_table(folder / "credits.parquet")
    keywords = pq.read_table(folder / "keywords.parquet")
    n = movies.num_rows
    lines = [
        "# The movierec catalog",
        "",
        "Generated by `python -m movierec.etl` (`make data`); do not edit by hand.",
        f"Schema version {manifest['schema_version']}. Row counts, input checksums and every",
        "dropped or repaired row are in `manifest.json`.",
        "",
        f"## movies.parquet — {n:,} films with a release date",
        "",
        "| field | meaning | films with a value |",
        "|---|---|---|",
    ]
    for name, meaning in MOVIE_FIELDS.items():
        present = _present(movies[name])
        lines.append(f"| `{name}` | {meaning} | {present:,} ({present / max(n, 1):.1%}) |")
    lines += [
        "",
        f"## credits.parquet — {credits.num_rows:,} credits, one row each",
        "",
        "| field | meaning |",
        "|---|---|",
        *(f"| `{name}` | {meaning} |" for name, meaning in CREDIT_FIELDS.items()),
        "",
        f"- films with at least one cast member: {_films_with(credits, 'cast'):,}",
        f"- films with a director: {_films_with(credits, 'crew', 'Director'):,}",
        f"- films with a screenplay credit: {_films_with(credits, 'crew', 'Screenplay'):,}",
        "",
        f"## keywords.parquet — {keywords.num_rows:,} films",
        "",
        "`movie_id`, `keywords` (list of TMDB keyword names). Films with at least one keyword: "
        f"{_present(keywords['keywords']):,}.",
        "",
        *_extras_section(folder, n),
        "## Derived files",
        "",
        "- `recommender.npz`: the recommender's feature vectors (one TF-IDF block per field, plus",
        "  dense semantic topics and, from MovieLens ratings, collaborative factors), popularity",
        f"  prior and every film's {TOP_N} nearest neighbours (see the project README).",
        "- `engine.npz`: the catalog and its search indexes as flat arrays, what the bot loads",
        "  at start-up; rebuilt from the tables above by every `make data`.",
        "",
        "## Provenance",
        "",
        "Built from Kaggle's *The Movies Dataset* (Rounak Banik, 2017; TMDB metadata, MovieLens",
        "links). Input files and the SHA-256 of their CSV content (after gunzip):",
        "",
    ]
    tables = manifest["tables"]
    assert isinstance(tables, dict)
    lines += [f"- `{r['file']}` — `{r['sha256']}`" for r in tables.values()]
    added = manifest.get("extras")
    for r in (added if isinstance(added, dict) else {}).values():
        if "sha256" in r:
            lines.append(f"- `{r['file']}` (extras) — `{r['sha256']}`")
    lines += ["", "## Licences", "", *LICENCES]
    lines += [
        "",
        "The coverage figures above are what these inputs hold. The recovered copy in",
        "`../shared/data/kaggle` is partial (full cast for ~4.5k films and top 3 names for most",
        "others; crew beyond directors for ~4.5k films; overview, tagline and runtime partial;",
        "popularity rounded down before 2008-08-21); the genuine Kaggle download is complete.",
        "",
    ]
    return "\n".join(lines)
