"""Finding and reading Kaggle's CSV files (plain or gzip), with one clear error per problem."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CREDITS",
    "KEYWORDS",
    "LINKS",
    "MOVIES",
    "CsvTable",
    "SourceError",
    "SourceSpec",
    "find",
    "locate",
    "read_csv",
]

# Credits cells of the real dataset exceed csv's default 128 KiB field limit.
csv.field_size_limit(2**31 - 1)


class SourceError(Exception):
    """An input file is missing or unreadable; the message names the file and the expectation."""


@dataclass(frozen=True)
class SourceSpec:
    """One Kaggle input: the names it may go by and the columns the ETL needs from it."""

    names: tuple[str, ...]
    required: tuple[str, ...]


MOVIES = SourceSpec(
    names=("movies_metadata.csv", "movies_dataset.csv"),
    required=("id", "title", "release_date", "budget", "revenue", "genres"),
)
CREDITS = SourceSpec(names=("credits.csv",), required=("cast", "crew", "id"))
KEYWORDS = SourceSpec(names=("keywords.csv",), required=("id", "keywords"))
LINKS = SourceSpec(names=("links.csv",), required=("imdbId", "tmdbId"))  # optional: find()


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read as text: its header, its well-formed rows, and how many were not."""

    path: Path
    header: tuple[str, ...]
    rows: list[list[str]]
    bad_rows: int
    sha256: str

    def column(self, name: str) -> int:
        return self.header.index(name)


def find(source: Path, spec: SourceSpec) -> Path | None:
    """The first of ``spec.names`` present in ``source``, plain or ``.gz``; None if none is."""
    for name in spec.names:
        for candidate in (source / name, source / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    return None


def locate(source: Path, spec: SourceSpec) -> Path:
    """Like :func:`find`, for a file the ETL cannot do without: missing, it is an error."""
    found = find(source, spec)
    if found is None:
        wanted = " or ".join(f"{n}[.gz]" for n in spec.names)
        raise SourceError(f"{source}: missing {wanted}")
    return found


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if path.suffix != ".gz":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error):
        raise SourceError(f"{path}: not a readable gzip file") from None


def _lines(data: bytes, path: Path) -> Iterator[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not a UTF-8 text CSV file") from None
    if "\x00" in text:
        raise SourceError(f"{path}: binary content, expected a CSV file")
    return io.StringIO(text, newline="")


def read_csv(path: Path, spec: SourceSpec) -> CsvTable:
    """Read ``path`` as CSV, checking the header has ``spec.required`` columns.

    Rows whose field count differs from the header's are malformed: counted, not fatal.
    """
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    reader = csv.reader(_lines(data, path))
    try:
        header = tuple(next(reader, ()))
        missing = [c for c in spec.required if c not in header]
        if missing:
            found = ", ".join(header[:8]) or "nothing"
            raise SourceError(
                f"{path}: expected a CSV with columns {', '.join(spec.required)}; "
                f"missing {', '.join(missing)} (found: {found})"
            )
        rows: list[list[str]] = []
        bad = 0
        width = len(header)
        for row in reader:
            if len(row) == width:
                rows.append(row)
            elif row:
                bad += 1
    except csv.Error as exc:
        raise SourceError(f"{path}: not a valid CSV file ({exc})") from None
    return CsvTable(path=path, header=header, rows=rows, bad_rows=bad, sha256=digest)
