"""ETL: Kaggle's "The Movies Dataset" files → the catalog the bot loads.

    python -m movierec.etl --source DIR [--extras DIR] --out DIR

Reads the genuine files unchanged (plain or .gz) and, optionally, the extras folder
(alternative titles, overviews, images: :mod:`movierec.etl.extras`), writes parquet tables,
``manifest.json`` and a data card into a staging directory, and swaps it in only when
everything succeeded.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from movierec.etl import datacard, extras, sources, transform

__all__ = [
    "ROW_DROP_REASONS",
    "SCHEMA_VERSION",
    "DerivedStep",
    "TableReport",
    "build_tables",
    "default_derived_steps",
    "main",
    "run",
    "summary",
]

SCHEMA_VERSION = 1
ROW_DROP_REASONS = frozenset(
    {"malformed_row", "duplicate_id", "no_release_date", "bad_date", "no_title", "not_in_movies"}
)
# Steps that derive more files from the fresh catalog (movierec.etl.derived). They write into
# the same staging directory, so the catalog and what is derived from it are swapped in together.
DerivedStep = Callable[..., dict[str, object]]


@dataclass(frozen=True)
class TableReport:
    file: str
    sha256: str
    rows_read: int
    rows_written: int
    dropped: dict[str, int]
    repaired: dict[str, int]


def _report(table: sources.CsvTable, written: int, counts: Counter[str]) -> TableReport:
    return TableReport(
        file=table.path.name,
        sha256=table.sha256,
        rows_read=len(table.rows) + table.bad_rows,
        rows_written=written,
        dropped={k: v for k, v in sorted(counts.items()) if k in ROW_DROP_REASONS},
        repaired={k: v for k, v in sorted(counts.items()) if k not in ROW_DROP_REASONS},
    )


def _write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", compression_level=9)


def build_tables(
    source: Path, staging: Path, extras_dir: Path | None = None
) -> tuple[dict[str, TableReport], dict[str, dict[str, object]]]:
    """Read every input from ``source`` (and ``extras_dir``) and write the tables into
    ``staging``; returns the Kaggle tables' reports and the extras' reports."""
    if not source.is_dir():
        raise sources.SourceError(f"{source}: not a directory holding the Kaggle files")
    # Locate every file first, so a missing one fails before any parsing.
    movies_path = sources.locate(source, sources.MOVIES)
    credits_path = sources.locate(source, sources.CREDITS)
    keywords_path = sources.locate(source, sources.KEYWORDS)
    links_path = sources.find(source, sources.LINKS)  # optional

    links = sources.read_csv(links_path, sources.LINKS) if links_path else None
    raw = sources.read_csv(movies_path, sources.MOVIES)
    movies, counts = transform.build_movies(raw, transform.imdb_ids_from_links(links))
    _write(movies, staging / "movies.parquet")
    reports = {"movies": _report(raw, movies.num_rows, counts)}
    movie_ids = set(movies.column("id").to_pylist())
    ids = movies.column("id").to_pylist()
    titles = dict(zip(ids, movies.column("title").to_pylist(), strict=True))
    overviews = movies.column("overview").to_pylist()
    with_overview = {movie_id for movie_id, text in zip(ids, overviews, strict=True) if text}
    added = extras.build(extras_dir, titles, with_overview, extras.kaggle_posters(raw))
    _write(added.alt_titles, staging / "alt_titles.parquet")
    _write(added.film_extras, staging / "film_extras.parquet")

    raw = sources.read_csv(credits_path, sources.CREDITS)
    credits, counts = transform.build_credits(raw, movie_ids)
    _write(credits, staging / "credits.parquet")
    reports["credits"] = _report(raw, len(set(credits.column("movie_id").to_pylist())), counts)

    raw = sources.read_csv(keywords_path, sources.KEYWORDS)
    keywords, counts = transform.build_keywords(raw, movie_ids)
    _write(keywords, staging / "keywords.parquet")
    reports["keywords"] = _report(raw, keywords.num_rows, counts)
    if links is not None:
        reports["links"] = _report(links, len(links.rows), Counter())
    return reports, dict(added.reports)


def _publish(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging``; the old catalog is restored if the swap fails."""
    backup = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, backup)
    try:
        os.replace(staging, out)
    except OSError:
        if backup.exists():
            os.replace(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def run(
    source: Path,
    out: Path,
    derived: Sequence[DerivedStep] = (),
    extras_dir: Path | None = None,
) -> dict[str, object]:
    """Build the catalog from ``source`` (and the optional ``extras_dir``) into ``out``
    atomically; returns the manifest."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        reports, extra_reports = build_tables(source, staging, extras_dir)
        steps: dict[str, object] = {}
        for step in derived:
            # a step that declares ``source`` also reads the input folder (MovieLens ratings)
            wants_source = "source" in inspect.signature(step).parameters
            steps.update(step(staging, source=source) if wants_source else step(staging))
        manifest: dict[str, object] = {
            "schema_version": SCHEMA_VERSION,
            "tables": {name: asdict(report) for name, report in reports.items()},
            "extras": extra_reports,
            "outputs": {
                path.name: pq.ParquetFile(path).metadata.num_rows
                for path in sorted(staging.glob("*.parquet"))
            },
            **steps,
        }
        (staging / "manifest.json").write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        (staging / "README.md").write_text(datacard.render(staging, manifest), encoding="utf-8")
        _publish(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def summary(manifest: dict[str, object]) -> str:
    lines = []
    tables = manifest["tables"]
    assert isinstance(tables, dict)
    for name, report in tables.items():
        dropped = ", ".join(f"{n:,} {reason}" for reason, n in report["dropped"].items())
        repaired = ", ".join(f"{n:,} {reason}" for reason, n in report["repaired"].items())
        line = f"{name}: {report['rows_read']:,} rows read from {report['file']}, "
        line += f"{report['rows_written']:,} kept"
        line += f"; dropped: {dropped}" if dropped else ""
        line += f"; repaired: {repaired}" if repaired else ""
        lines.append(line)
    added = manifest.get("extras")
    for name, report in (added if isinstance(added, dict) else {}).items():
        if "error" in report:
            lines.append(f"{name} (extras): skipped, {report['error']}")
            continue
        dropped = ", ".join(f"{n:,} {reason}" for reason, n in report["dropped"].items())
        line = f"{name} (extras): {report['rows_read']:,} rows read from {report['file']}, "
        line += f"{report['rows_written']:,} kept" + (f"; skipped: {dropped}" if dropped else "")
        lines.append(line)
    return "\n".join(lines)


def default_derived_steps() -> list[DerivedStep]:
    """What a full build derives from the tables: the recommender index, the runtime snapshot."""
    from movierec.etl import derived  # scikit-learn only when building

    return derived.default_steps()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m movierec.etl", description=__doc__)
    parser.add_argument("--source", type=Path, required=True, help="folder with the Kaggle CSVs")
    parser.add_argument("--out", type=Path, required=True, help="catalog folder to (re)build")
    parser.add_argument(
        "--extras", type=Path, help="optional folder with alternative titles, overviews, images"
    )
    parser.add_argument("--tables-only", action="store_true", help="skip derived indexes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        derived = [] if args.tables_only else default_derived_steps()
        if args.extras is not None and not args.extras.is_dir():
            raise sources.SourceError(f"{args.extras}: not a directory holding the extras")
        manifest = run(args.source, args.out, derived, args.extras)
    except sources.SourceError as exc:
        print(f"etl: error: {exc}", file=sys.stderr)
        return 2
    print(summary(manifest))
    print(f"catalog written to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
