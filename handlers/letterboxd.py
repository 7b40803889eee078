"""Importing a Letterboxd export: ratings.csv, watched.csv or watchlist.csv sent as a document.

Letterboxd's data export writes ``Date,Name,Year,Letterboxd URI`` (and ``Rating``, 0.5-5 in
half stars, in ratings.csv). Each row is matched by title and year through the same fuzzy
resolution as typed titles; rows that match no film of that year (±1: festival vs release
dates) are reported, never guessed. A file is read whole and checked before anything is
written, so a bad file (not CSV, wrong columns, binary, too big) changes nothing.
"""

from __future__ import annotations

import asyncio
import csv
import io
import math
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ContextTypes

from handlers import dialog, lists, viewer
from handlers.reply import Reply, fit
from handlers.services import services
from handlers.store import ListWrite, Store
from handlers.texts import say
from movierec.engine import Engine
from movierec.results import Ambiguous, Candidate, Match, NotFound

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "BadFile",
    "Entry",
    "Export",
    "document",
    "match",
    "parse",
]

MAX_BYTES = 2 * 1024 * 1024  # a 2 MB export is ~30,000 films: more than anyone has rated
MAX_ROWS = 5000  # rows resolved per file (a few seconds of fuzzy matching)
YEAR_SLACK = 1
SHOWN_UNMATCHED = 20
CSV_TYPES = frozenset({"text/csv", "text/comma-separated-values", "application/vnd.ms-excel"})


class BadFile(Exception):
    """Why a file cannot be imported: a text key (and values) for the user."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Entry:
    name: str
    year: int | None
    rating: int | None  # 1-5: Letterboxd's half stars rounded half up (0.5 → 1, 3.5 → 4)


@dataclass(frozen=True)
class Export:
    entries: tuple[Entry, ...]
    watchlist: bool  # watchlist.csv: watch later, not seen


def _rating(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return min(5, max(1, math.floor(value + 0.5)))


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def parse(data: bytes, file_name: str = "") -> Export:
    """The films in an export; ``BadFile`` when it is not one."""
    if b"\x00" in data:
        raise BadFile("import_not_csv")  # binary: a CSV has no NUL bytes
    try:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error):
        raise BadFile("import_not_csv") from None
    if not rows:
        raise BadFile("import_empty")
    header = [cell.strip().lower() for cell in rows[0]]
    if "name" not in header or "year" not in header:
        raise BadFile("import_bad_columns")
    name, year = header.index("name"), header.index("year")
    rating = header.index("rating") if "rating" in header else None
    entries = []
    for row in rows[1:]:
        if len(row) <= max(name, year) or not row[name].strip():
            continue  # a blank or short line
        stars = _rating(row[rating]) if rating is not None and rating < len(row) else None
        entries.append(Entry(row[name].strip()[:200], _year(row[year]), stars))
    if not entries:
        raise BadFile("import_empty")
    if len(entries) > MAX_ROWS:
        raise BadFile("import_too_many", n=MAX_ROWS)
    return Export(tuple(entries), "watchlist" in file_name.lower())


def _fits(candidate: Candidate, year: int | None) -> bool:
    return year is None or (candidate.year is not None and abs(candidate.year - year) <= YEAR_SLACK)


def match(engine: Engine, entry: Entry) -> int | None:
    """The film an entry names, or None when no film of that title and year is clear."""
    query = f"{entry.name} {entry.year}" if entry.year else entry.name
    found = engine.resolve_title(query)
    if isinstance(found, Match):
        return found.candidate.key if _fits(found.candidate, entry.year) else None
    if isinstance(found, Ambiguous):
        exact = [c for c in found.candidates if entry.year and c.year == entry.year]
        return exact[0].key if len(exact) == 1 else None
    if isinstance(found, NotFound):
        # a suggestion counts only with the very same title and year: never a guess
        same = [
            c for c in found.suggestions
            if c.label.casefold() == entry.name.casefold() and c.year == entry.year
        ]  # fmt: skip
        return same[0].key if len(same) == 1 else None
    return None


def match_all(engine: Engine, export: Export) -> tuple[dict[int, Entry], list[Entry]]:
    matched: dict[int, Entry] = {}
    unmatched = []
    for entry in export.entries:
        movie_id = match(engine, entry)
        if movie_id is None:
            unmatched.append(entry)
        else:
            matched[movie_id] = entry
    return matched, unmatched


def _is_csv(name: str, mime: str | None) -> bool:
    return name.lower().endswith(".csv") or (mime or "").lower() in CSV_TYPES


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document sent to the bot: imported when it is a Letterboxd export."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    doc = message.document
    s = services(context)
    lang = await dialog.language(update, s)
    is_csv = _is_csv(doc.file_name or "", doc.mime_type)
    if dialog.in_group(update):
        if is_csv:  # other files in a group are the group's business
            await dialog.send(update, s, Reply(say(lang, "import_group")))
        return
    owner = lists.person(update)
    if owner is None:
        await lists.refuse_shared(update, context)
        return
    if not is_csv:
        await dialog.send(update, s, Reply(say(lang, "import_not_csv")))
        return
    too_big = Reply(say(lang, "import_too_big", mb=MAX_BYTES // (1024 * 1024)))
    if doc.file_size is not None and doc.file_size > MAX_BYTES:
        await dialog.send(update, s, too_big)  # refused before downloading anything
        return
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    if len(data) > MAX_BYTES:
        await dialog.send(update, s, too_big)
        return
    try:
        export = parse(data, doc.file_name or "")
    except BadFile as bad:
        await dialog.send(update, s, Reply(say(lang, bad.key, **bad.values)))
        return
    matched, unmatched = await asyncio.to_thread(match_all, s.engine, export)
    try:
        await save(s.store, owner, matched, export.watchlist)
    finally:  # even half an import changed the lists the cards show
        s.viewers.forget(owner)
    await dialog.send(update, s, report(lang, export, matched, unmatched))


async def save(store: Store, owner: int, matched: dict[int, Entry], later: bool) -> None:
    """Write the matched films. A watched.csv row (no rating) keeps a rating already given;
    a film already seen is not put back on watch later, and one now seen leaves it.

    The lists are read once and only the changes are written, in batches of 500 per
    transaction (a 5,000-film import took 20 s written one film at a time on SQLite)."""
    async with viewer.lock(owner):
        before = await viewer.load(store, owner)
        writes: list[ListWrite] = []
        for movie_id, entry in matched.items():
            if later:
                if not before.seen(movie_id) and movie_id not in before.later:
                    writes.append(ListWrite(movie_id, viewer.LATER_KIND))
                continue
            rating = entry.rating if entry.rating is not None else before.ratings.get(movie_id)
            if not before.seen(movie_id) or before.ratings[movie_id] != rating:
                writes.append(ListWrite(movie_id, viewer.SEEN_KIND, rating))
            if movie_id in before.later:
                writes.append(ListWrite(movie_id, viewer.LATER_KIND, remove=True))
        await store.list_write_many(owner, writes)


def report(lang: str, export: Export, matched: dict[int, Entry], unmatched: list[Entry]) -> Reply:
    total = len(export.entries)
    if export.watchlist:
        lines = [say(lang, "import_done_later", matched=len(matched), total=total)]
    else:
        rated = sum(e.rating is not None for e in matched.values())
        lines = [say(lang, "import_done_seen", matched=len(matched), total=total, rated=rated)]
    if unmatched:
        lines.append(say(lang, "import_unmatched", n=len(unmatched)))
        lines += [
            say(lang, "import_line", name=e.name, year=e.year or "?")
            for e in unmatched[:SHOWN_UNMATCHED]
        ]
        if len(unmatched) > SHOWN_UNMATCHED:
            lines.append(say(lang, "import_more", n=len(unmatched) - SHOWN_UNMATCHED))
    return Reply(fit(lines))
