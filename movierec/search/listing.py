"""Several films typed as one text: "titanic, toy story", "heat y ronin", "alien + aliens".

A list is read only where one title is not the better reading, since many titles look like
lists ("pride and prejudice", "crouching tiger, hidden dragon", "20,000 leagues under the
sea"):

- a text that is a title as typed (a year after it or not) is that title;
- a text whose search found a film (a typo forgiven) with every "and" and comma it has
  ("lady and the trap": Lady and the Tramp) is that film;
- otherwise each part must be a title as typed (one given to several films: the most
  popular, which the answer names), except that when the whole text found nothing, parts
  between marks may have typos too ("titanic, toy stroy").

Marks split first ("romeo and juliet, titanic"), then "and"s too ("heat y ronin"); pieces
that together are a title as typed stay together ("crazy, stupid, love, heat").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from movierec.results import Ambiguous, Candidate, Invalid, Match, NotFound, Resolution
from movierec.search.matching import TitleResolver

__all__ = [
    "MAX_JOINED",
    "MAX_LISTED",
    "MAX_PIECES",
    "listed_at_marks",
    "listed_at_words",
    "listed_films",
]

MAX_LISTED = 5  # titles read from one list; more are left out
MAX_PIECES = 12  # pieces a text is cut into at most (read no further)
MAX_JOINED = 4  # pieces one title may span: "the good, the bad and the ugly"
# Marks between titles (a comma between digits is a number's: "20,000 leagues"; lines; CJK
# commas), and the words for "and" (es "y"/"e", en "and", "&")
_MARKS = r"[;+|\n，、；]|(?<!\d),|,(?!\d)"
_AT_MARKS = re.compile(rf"\s*(?:{_MARKS})\s*")
_AT_MARKS_AND_WORDS = re.compile(rf"\s*(?:{_MARKS})\s*|\s+(?:y|e|and|&)\s+", re.IGNORECASE)
Resolve = Callable[[str], Resolution]


def _spans(splitter: re.Pattern[str], query: str) -> list[tuple[int, int]]:
    """Where the non-blank pieces between separators are, at most MAX_PIECES."""
    spans, start = [], 0
    for separator in splitter.finditer(query):
        spans.append((start, separator.start()))
        start = separator.end()
    spans.append((start, len(query)))
    return [(a, b) for a, b in spans if query[a:b].strip()][:MAX_PIECES]


def listed_at_marks(query: str) -> list[str]:
    """The pieces of ``query`` between marks (no title joined yet)."""
    return [query[a:b].strip() for a, b in _spans(_AT_MARKS, query)]


def listed_at_words(query: str) -> list[str]:
    """The pieces of ``query`` between marks and "and"s (no title joined yet)."""
    return [query[a:b].strip() for a, b in _spans(_AT_MARKS_AND_WORDS, query)]


def _titled_parts(titles: TitleResolver, splitter: re.Pattern[str], query: str) -> list[str]:
    """The pieces, each run of them that is a title as typed joined back, longest first."""
    spans, parts, i = _spans(splitter, query), [], 0
    while i < len(spans):
        last = i  # the piece alone, unless it starts a title
        for j in range(min(len(spans), i + MAX_JOINED) - 1, i, -1):
            if titles.exact_films(query[spans[i][0] : spans[j][1]]):
                last = j
                break
        parts.append(query[spans[i][0] : spans[last][1]].strip())
        i = last + 1
    return parts


def listed_films(titles: TitleResolver, resolve: Resolve, query: str) -> tuple[Candidate, ...]:
    """The films ``query`` lists, each once (one film when every part names it: "heat 1995,
    heat"), at most MAX_LISTED; or () when it is better read as one title, or is too long to
    read at all. ``resolve`` is the engine's (remembering) title resolution."""
    if len(listed_at_words(query)) < 2 or titles.exact_films(query):
        return ()
    whole = resolve(query)
    if isinstance(whole, Invalid):  # too long: the asker is told so, as for one title
        return ()
    if isinstance(whole, Match | Ambiguous):
        found = whole.candidate if isinstance(whole, Match) else whole.candidates[0]
        if len(listed_at_words(found.label)) >= len(listed_at_words(query)):
            return ()
    found_nothing = isinstance(whole, NotFound)
    for splitter, typos in ((_AT_MARKS, found_nothing), (_AT_MARKS_AND_WORDS, False)):
        parts = _titled_parts(titles, splitter, query)
        if len(parts) < 2:
            continue
        picked = [_film(titles, resolve, part, typos) for part in parts]
        if None not in picked:
            films = {c.key: c for c in picked if c is not None}
            return tuple(films.values())[:MAX_LISTED]
    return ()


def _film(titles: TitleResolver, resolve: Resolve, part: str, typos: bool) -> Candidate | None:
    """The film one part names: a title as typed (its most popular film), or with ``typos``
    what the search finds (an ambiguous part: the likeliest)."""
    exact = titles.exact_films(part)
    if exact:
        return titles.candidate(exact[0])
    found = resolve(part) if typos else None
    if isinstance(found, Match):
        return found.candidate
    return found.candidates[0] if isinstance(found, Ambiguous) and found.candidates else None
