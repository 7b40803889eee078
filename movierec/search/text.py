"""Folding what people type and what the catalog holds into comparable keys.

Everything here is literal string work: no user text is ever compiled as a pattern.
"""

from __future__ import annotations

import unicodedata

from rapidfuzz.distance import OSA

from movierec.results import InvalidReason

__all__ = [
    "ARTICLES",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_QUERY_CHARS",
    "ROMAN",
    "SEQUEL_WORDS",
    "WORDS_NEAR_THE",
    "article_typo",
    "compact",
    "drop_article",
    "fold",
    "name_suffixes",
    "query_problem",
    "split_year",
    "title_key",
]

MAX_QUERY_CHARS = 200
# Leading articles people drop or add ("the dark knight", "dark knight"; "el laberinto").
ARTICLES = frozenset({"the", "a", "an", "el", "la", "los", "las", "le", "les", "il", "lo"})
FIRST_YEAR, LAST_YEAR = 1870, 2030
# "Part II" and "part 2" are the same sequel. Single letters (i, v, x) stay: they are words.
ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}


# ASCII punctuation → space, for the fast path of fold()
_ASCII_PUNCTUATION = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation as spaces, single-spaced: "¡Amélie!" → "amelie"."""
    if text.isascii():
        words = text.translate(_ASCII_PUNCTUATION).lower().split()
        return " ".join(ROMAN.get(word, word) for word in words)
    decomposed = unicodedata.normalize("NFKD", text)
    chars = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        chars.append(ch if ch.isalnum() else " ")
    return " ".join(ROMAN.get(word, word) for word in "".join(chars).casefold().split())


def drop_article(key: str) -> str:
    head, _, rest = key.partition(" ")
    return rest if head in ARTICLES and rest else key


# English words one edit from "the": a title starting with one is not a mistyped article
WORDS_NEAR_THE = frozenset(
    {"he", "she", "they", "them", "then", "thee", "thy", "tee", "toe", "tie", "ten", "tea"}
)
# "Part II", "Parte 2", "Chapter 3": the number names the sequel, the word is filler
SEQUEL_WORDS = frozenset({"part", "parte", "chapter", "capitulo", "episode", "episodio"})


def title_key(text: str) -> str:
    words = fold(text).split(" ")
    kept = [
        w
        for i, w in enumerate(words)
        if not (w in SEQUEL_WORDS and i + 1 < len(words) and words[i + 1].isdigit())
    ]
    return drop_article(" ".join(kept))


def article_typo(key: str) -> str | None:
    """The key without its first word when that word is one typo away from "the" ("te",
    "teh", "thse"), else None. Title keys drop a leading article, so a mistyped one is a
    word the title's key lacks: "te hangover" is "hangover" with a typo, not a typo of it.
    Real words that near "the" are meant as typed: "she hulk" is not Hulk."""
    head, _, rest = key.partition(" ")
    if not rest or len(head) < 2 or head in ARTICLES or head in WORDS_NEAR_THE:
        return None
    return rest if OSA.distance(head, "the", score_cutoff=1) <= 1 else None


def compact(key: str) -> str:
    """Without spaces, so "m a s h" (M*A*S*H) meets "mash" and "face off" meets "faceoff"."""
    return key.replace(" ", "")


def name_suffixes(key: str) -> list[str]:
    """What people type for a name: "robert de niro" → ["de niro", "niro"]."""
    words = key.split(" ")
    return [" ".join(words[i:]) for i in range(1, len(words)) if len(words[i]) > 1]


def split_year(key: str) -> tuple[str, int | None]:
    """Take one plausible release year out of a folded query: "titanic 1997" → ("titanic", 1997)."""
    tokens = key.split(" ")
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if len(token) == 4 and token.isdigit() and FIRST_YEAR <= int(token) <= LAST_YEAR:
            rest = " ".join(tokens[:i] + tokens[i + 1 :])
            if rest:
                return rest, int(token)
    return key, None


def query_problem(text: str | None) -> InvalidReason | None:
    """Why a typed query cannot be searched, as a reason code, or None when it can."""
    if text is None or not text.strip():
        return "empty"
    if len(text) > MAX_QUERY_CHARS:
        return "too_long"
    if not fold(text):
        return "no_letters"
    return None
