"""Several films typed as one text: "titanic, toy story", "heat y ronin", "alien + aliens".

A list is read only where one title is not the better reading, since many titles look like
lists ("pride and prejudice", "crouching tiger, hidden dragon", "20,000 leagues under the
sea"):

- a text that is a title as typed (a year after it or not) is that title;
- a text its search found a film for, that is one of the film's names with a typo or two
  ("lady and the trap": Lady and the Tramp; "el club e la lucha"), is that film;
- otherwise it is a list when its parts are titles as typed (one given to several films:
  the most popular, which the answer names): split at marks ("romeo and juliet, titanic",
  "monsters inc, heat"), else at marks and "and"s ("heat y ronin", "a, b y c"); and when the
  whole text found nothing, parts between marks may have typos ("titanic, toy stroy").

Pieces that together are a title as typed stay together ("crazy, stupid, love, heat").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz.distance import OSA

from movierec.results import Ambiguous, Candidate, Invalid, Match, NotFound, Resolution
from movierec.search import text
from movierec.search.matching import TitleResolver

__all__ = [
    "MAX_JOINED",
    "MAX_LISTED",
    "MAX_PIECES",
    "listed_at_marks",
    "listed_at_words",
    "listed_films",
    "looks_listed",
]

MAX_LISTED = 5  # titles read from one list; more are left out
MAX_PIECES = 8  # pieces a text is cut into at most (read no further: each may be searched)
SAME_FILM = 0.9  # a text this similar to a name of the film it found is that name mistyped
LIST_LIKE = 0.75  # a text less similar than this to every name of the films found is no name
MAX_CHARS = MAX_LISTED * text.MAX_QUERY_CHARS  # a list may be longer than one title
MAX_JOINED = 6  # pieces one title may span: "the good, the bad and the ugly"
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


def looks_listed(query: str) -> bool:
    """Whether ``query`` has marks or "and"s between pieces: only then can it be a list."""
    return len(_spans(_AT_MARKS_AND_WORDS, query)) >= 2


def listed_films(titles: TitleResolver, resolve: Resolve, query: str) -> tuple[Candidate, ...]:
    """The films ``query`` lists, each once (one film when every part names it: "heat 1995,
    heat"), at most MAX_LISTED; or () when it is better read as one title, or is too long to
    read at all. ``resolve`` is the engine's (remembering) title resolution."""
    if not looks_listed(query) or titles.exact_films(query):
        return ()
    whole = resolve(query)
    if isinstance(whole, Invalid) and (whole.reason != "too_long" or len(query) > MAX_CHARS):
        return ()  # the asker is told why, as for one title
    found, closeness = _closeness(titles, query, whole)
    readings = [(_AT_MARKS, False), (_AT_MARKS_AND_WORDS, False)]
    # parts may have typos when the whole text found nothing, or only films it is no name of
    # (a Match is kept: "thee karate kid, part ii" is one film, mistyped twice)
    if isinstance(whole, NotFound) or (isinstance(whole, Ambiguous) and closeness < LIST_LIKE):
        readings.append((_AT_MARKS, True))
    parts_at: dict[re.Pattern[str], list[str]] = {}  # the typo reading reuses the marks'
    for splitter, typos in readings:
        if splitter not in parts_at:
            parts_at[splitter] = _titled_parts(titles, splitter, query)
        parts = parts_at[splitter]
        picked = []
        for part in parts[:MAX_LISTED] if len(parts) >= 2 else ():  # the first five count
            film = _film(titles, resolve, part, typos)
            if film is None:
                break
            picked.append(film)
        else:
            films = {c.key: c for c in picked}
            # a text close to the name of the film it found is that name mistyped, unless
            # it names that film exactly beside others ("heat, indiana jones and the ...")
            if films and (closeness < SAME_FILM or found in films):
                return tuple(films.values())
    return ()


def _closeness(titles: TitleResolver, query: str, whole: Resolution) -> tuple[int | None, float]:
    """The film the whole text found (None: none), and how close the text is to its nearest
    name (title or alternative title, 1.0: the same; two typos in eight letters or more count
    as SAME_FILM: "george & a.." is George & A.J.)."""
    if not isinstance(whole, Match | Ambiguous):
        return None, 0.0
    found = whole.candidate if isinstance(whole, Match) else whole.candidates[0]
    typed = text.title_key(query)
    best = 0.0
    for name in titles.names_of(found.key):
        key = text.title_key(name)
        edits = OSA.distance(typed, key)
        close = 1.0 - edits / max(len(typed), len(key), 1)  # OSA's normalized similarity
        if len(typed) >= 8 and edits <= 2:
            close = max(close, SAME_FILM)
        best = max(best, close)
    return found.key, best


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
