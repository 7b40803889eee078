"""Month and weekday names as people type them: Spanish (the contract), English, short, numbers."""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz, process

from movierec.search import text

__all__ = ["MONTH_NAMES", "TYPO_CUTOFF", "WEEKDAY_NAMES", "parse_month", "parse_weekday"]

# The names, as each language writes them; the edge shows these, the parser folds them.
MONTH_NAMES = {
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
WEEKDAY_NAMES = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
TYPO_CUTOFF = 75.0  # "setiembre"/"septiembre", "febreo", "wensday"


def _table(names: list[tuple[str, ...]], extra: dict[str, int]) -> dict[str, int]:
    """Every spelling → number (1-based); full names and their 3-letter stems."""
    table: dict[str, int] = {}
    for spellings in names:
        for number, name in enumerate(spellings, start=1):
            table.setdefault(name, number)
            table.setdefault(name[:3], number)
    table.update(extra)
    return table


def _folded(names: Mapping[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [tuple(text.fold(name) for name in spellings) for spellings in names.values()]


_MONTHS = _table(
    _folded(MONTH_NAMES),
    {"setiembre": 9, "set": 9, "sept": 9, "dic": 12}
    | {str(n): n for n in range(1, 13)}
    | {f"{n:02d}": n for n in range(1, 10)},
)
_WEEKDAYS = _table(
    _folded(WEEKDAY_NAMES),
    {"mie": 3, "sab": 6, "tues": 2, "thur": 4, "thurs": 4},
)
_MONTH_WORDS = [k for k in _MONTHS if len(k) > 3 and k.isalpha()]
_WEEKDAY_WORDS = [k for k in _WEEKDAYS if len(k) > 4]


def _parse(raw: str | None, table: dict[str, int], words: list[str]) -> int | None:
    key = text.fold(raw or "").replace(" ", "")
    if not key or len(key) > 20:
        return None
    if key in table:
        return table[key]
    match = process.extractOne(key, words, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
    return table[match[0]] if match else None


def parse_month(raw: str | None) -> int | None:
    """1-12, or None when the text is not a month."""
    return _parse(raw, _MONTHS, _MONTH_WORDS)


def parse_weekday(raw: str | None) -> int | None:
    """0 (Monday) to 6 (Sunday), or None."""
    number = _parse(raw, _WEEKDAYS, _WEEKDAY_WORDS)
    return None if number is None else number - 1
