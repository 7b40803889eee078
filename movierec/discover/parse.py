"""Free text, Spanish or English, to a :class:`Query`: "comedia corta de los 90", "good sci-fi".

Numbers first (ranges, decades, votes, minutes), each pattern consuming what it matched, then
phrases from :mod:`movierec.discover.vocabulary`, longest first. Whatever is left and is not a
stopword comes back in ``Parsed.unknown``, so the answer can say which words it ignored.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from movierec.discover.query import Parsed, Query, Unanswerable
from movierec.discover.vocabulary import (
    DECADE_WORDS,
    GENRE_WORDS,
    GOOD_WORDS,
    LANGUAGE_WORDS,
    LONG_WORDS,
    POPULAR_WORDS,
    SHORT_WORDS,
    STOPWORDS,
    UNSEEN_WORDS,
)

__all__ = ["LONG_MINUTES", "MAX_CHARS", "POPULAR_VOTES", "SHORT_MINUTES", "fold", "parse"]

MAX_CHARS = 300
SHORT_MINUTES = 100  # "corta" / "short": under this
LONG_MINUTES = 150  # "larga" / "long": over this
POPULAR_VOTES = 1000  # "popular" / "famous": at least this many votes
FIRST_YEAR, LAST_YEAR = 1870, 2039
YEAR = r"(1[89]\d\d|20[0-3]\d)"
NUMBER = r"(\d{1,3}(?:[.,]\d{3})+|\d+)"
UNIT = r"(minutos?|minutes?|mins?|m|horas?|hours?|hrs?|h)\b"
LESS = r"(?:\b(?:menos de|menor de|por debajo de|no mas de|under|less than|shorter than|below)"
LESS += r"|<=?)"
MORE = r"(?:\b(?:mas de|mayor de|al menos|minimo|min|por lo menos|over|more than|at least|"
MORE += r"longer than|above)|>=?)"


def fold(text: str) -> str:
    """Lower case without accents; ’ and ` as '; everything else not a word char is a space."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", text)  # 5,000 and 5.000 are 5000
    text = text.replace("’", "'").replace("`", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"[^\w'<>=+\-]+", " ", text).strip()


def _decade(q: Query, digits: str) -> Query:
    """'90' → the 1990s, '00' → 2000s, '10' → 2010s, '1980' → 1980s."""
    value = int(digits)
    if value < 100:
        value += 2000 if value < 20 else 1900
    start = value - value % 10
    return _years(q, start, start + 9)


def _number(text: str) -> int:
    return int(re.sub(r"[.,]", "", text))


Rule = tuple["re.Pattern[str]", Callable[[Query, "re.Match[str]"], Query]]


def _years(q: Query, a: int | None, b: int | None) -> Query:
    return replace(q, year_from=a if a is not None else q.year_from, year_to=b or q.year_to)


def _minutes(m: re.Match[str]) -> int:
    amount, unit = _number(m.group(1)), m.group(2)
    return amount * 60 if unit.startswith("h") else amount


RULES: list[Rule] = [
    # 1995-2000, de 1990 a 1995, entre 1990 y 1995, between 1990 and 1995, from 1990 to 1995
    (
        re.compile(
            rf"\b(?:de|desde|entre|between|from)?\s*{YEAR}\s*(?:-|a|al|hasta|y|to|and|until)\s*"
            rf"{YEAR}\b"
        ),
        lambda q, m: _years(q, *sorted((int(m.group(1)), int(m.group(2))))),
    ),
    # votes: "mas de 1000 votos", "at least 500 votes", "1000+ votes", "con 200 votos"
    (
        re.compile(rf"(?:{MORE}\s*)?{NUMBER}\s*\+?\s*(?:votos|votes|valoraciones|ratings)\b"),
        lambda q, m: replace(q, min_votes=_number(m.group(1))),
    ),
    # length: "menos de 90 minutos", "under 2 hours", "mas de 2 horas", "over 150 min"
    (
        re.compile(rf"(?:\bde\s+)?{LESS}\s*{NUMBER}\s*{UNIT}"),
        lambda q, m: replace(q, shorter_than=_minutes(m)),
    ),
    (
        re.compile(rf"(?:\bde\s+)?{MORE}\s*{NUMBER}\s*{UNIT}"),
        lambda q, m: replace(q, longer_than=_minutes(m)),
    ),
    # before / after a year
    (
        re.compile(rf"\b(?:antes de(?:l)?|anteriores a|before|until|hasta(?: el)?|pre)\s*{YEAR}\b"),
        lambda q, m: _years(q, None, int(m.group(1)) - (0 if "hasta" in m.group(0) else 1)),
    ),
    (
        re.compile(rf"\b(?:despues de(?:l)?|posteriores a|after|post)\s*{YEAR}\b"),
        lambda q, m: _years(q, int(m.group(1)) + 1, None),
    ),
    (
        re.compile(rf"\b(?:desde(?: el)?|since|a partir de(?:l)?)\s*{YEAR}\b"),
        lambda q, m: _years(q, int(m.group(1)), None),
    ),
    # decades: años 80, los 90, década de los 70, the 80s; then 90s, 90's, '90s, 1980s
    (
        re.compile(
            r"\b(?:(?:los\s+)?(?:anos|decada\s+de(?:\s+los)?)|los|the)\s+'?(\d0|(?:19|20)\d0)"
            r"(?:'?s)?\b"
        ),
        lambda q, m: _decade(q, m.group(1)),
    ),
    (re.compile(r"(?:\B'|\b)(\d0|(?:19|20)\d0)'?s\b"), lambda q, m: _decade(q, m.group(1))),
    # a single year
    (re.compile(rf"\b(?:en|in|del|de|of)?\s*{YEAR}\b"), lambda q, m: _years(q, *[int(m[1])] * 2)),
]


def _genre(q: Query, genre: str) -> Query:
    return q if genre in q.genres else replace(q, genres=(*q.genres, genre))


def _language(q: Query, code: str) -> Query:
    return replace(q, language=code)


def _phrases() -> list[tuple[tuple[str, ...], Callable[[Query], Query]]]:
    table: list[tuple[tuple[str, ...], Callable[[Query], Query]]] = []

    def add(words: tuple[str, ...] | list[str], change: Callable[[Query], Query]) -> None:
        table.extend((tuple(fold(w).split()), change) for w in words)

    for genre, words in GENRE_WORDS.items():
        add(words, functools.partial(_genre, genre=genre))
    for code, words in LANGUAGE_WORDS.items():
        add(words, functools.partial(_language, code=code))
    for word, start in DECADE_WORDS.items():
        add([word], functools.partial(_years, a=start, b=start + 9))
    add(SHORT_WORDS, lambda q: replace(q, shorter_than=SHORT_MINUTES))
    add(LONG_WORDS, lambda q: replace(q, longer_than=LONG_MINUTES))
    add(GOOD_WORDS, lambda q: replace(q, good=True))
    add(POPULAR_WORDS, lambda q: replace(q, min_votes=max(q.min_votes, POPULAR_VOTES)))
    add(UNSEEN_WORDS, lambda q: replace(q, unseen=True))
    table.sort(key=lambda entry: -len(entry[0]))  # "ciencia ficcion" before "ficcion"
    return table


PHRASES = _phrases()
LONGEST = max(len(words) for words, _ in PHRASES)
BY_WORDS = {words: change for words, change in reversed(PHRASES)}


def parse(text: str | None) -> Parsed | Unanswerable:
    """The query in ``text``; an empty text is the empty query (every film)."""
    if text is None or not text.strip():
        return Parsed(Query())
    if len(text) > MAX_CHARS:
        return Unanswerable("too_long")
    folded = fold(text)
    query = Query()
    for pattern, rule in RULES:
        # each match is consumed, so "1995-2000" is not read again as the year 1995
        for found in reversed(list(pattern.finditer(folded))):
            query = rule(query, found)
            folded = folded[: found.start()] + " " + folded[found.end() :]
    words = re.split(r"[\s'<>=+/]+", folded.strip())
    unknown: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(LONGEST, len(words) - i), 0, -1):
            change = BY_WORDS.get(tuple(words[i : i + size]))
            if change is not None:
                query = change(query)
                i += size
                break
        else:
            word = words[i]
            if word not in STOPWORDS and word.strip("-+<>=") and word not in unknown:
                unknown.append(word)
            i += 1
    query = _sane(query)
    if query.empty and unknown:
        return Unanswerable("not_understood")
    return Parsed(query, tuple(unknown))


def _sane(q: Query) -> Query:
    """Years inside what a catalog can hold, in order; lengths that can both hold."""
    lo = None if q.year_from is None else min(max(q.year_from, FIRST_YEAR), LAST_YEAR)
    hi = None if q.year_to is None else min(max(q.year_to, FIRST_YEAR), LAST_YEAR)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return replace(q, year_from=lo, year_to=hi)
