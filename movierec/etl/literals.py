"""Safe parsing of the Python-literal cells Kaggle's CSVs use for nested data.

Kaggle wrote lists of dicts with ``str(list)``: single quotes, ``None``, apostrophes inside
double quotes. ``ast.literal_eval`` reads exactly that grammar and cannot run code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = [
    "MAX_CELL_CHARS",
    "BadLiteral",
    "as_int",
    "clean_text",
    "dict_items",
    "names",
    "parse_literal",
]

# A cell deeper or longer than this is hostile or corrupt, not data.
MAX_CELL_CHARS = 5_000_000


class BadLiteral(ValueError):
    """A cell that is not a Python literal of the expected shape."""


@lru_cache(maxsize=65_536)
def _parse_cached(text: str) -> Any:
    return ast.literal_eval(text)


def parse_literal(text: str | None) -> Any:
    """Parse one cell; empty cells are ``None``. Raises :class:`BadLiteral` on anything else."""
    if text is None:
        return None
    text = text.strip()
    if not text or text in ("nan", "None"):
        return None
    if len(text) > MAX_CELL_CHARS:
        raise BadLiteral("cell too long")
    try:
        # Short cells repeat a lot (genres, countries); long ones (credits) never do.
        return _parse_cached(text) if len(text) < 512 else ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise BadLiteral(str(exc)[:80]) from None


def dict_items(value: Any) -> list[dict[str, Any]]:
    """The dicts of a parsed list cell (or a single dict), ignoring anything else inside."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, dict)]
    raise BadLiteral(f"expected a list of dicts, got {type(value).__name__}")


def clean_text(value: Any) -> str | None:
    """A stripped non-empty string, or None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def names(items: Iterable[dict[str, Any]], key: str = "name") -> list[str]:
    """The non-empty ``key`` values of dicts, in order, without repeats."""
    seen: dict[str, None] = {}
    for item in items:
        name = clean_text(item.get(key))
        if name is not None:
            seen.setdefault(name, None)
    return list(seen)


def as_int(value: Any) -> int | None:
    """An integer from an int, a float with no fraction, or digit text; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
