"""What the bot says, independent of Telegram: HTML text and rows of buttons."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers import texts
from movierec.results import InvalidReason

__all__ = ["MAX_MESSAGE", "Button", "Reply", "fit", "invalid"]

MAX_MESSAGE = 4096  # Telegram's limit for one message
QUOTED_CHARS = 80  # of what the user typed, echoed back in a complaint


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None = None  # callback data, or
    url: str | None = None


Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Rows = field(default_factory=tuple)


def fit(lines: list[str], limit: int = MAX_MESSAGE) -> str:
    """Join whole lines, dropping trailing ones that would pass the limit (tags stay balanced)."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def invalid(lang: str, reason: InvalidReason, value: str = "") -> Reply:
    """Why a question cannot be answered, in the user's words where they help."""
    return Reply(texts.say(lang, f"invalid_{reason}", value=value[:QUOTED_CHARS]))
