"""What the bot says, independent of Telegram: HTML text and rows of buttons."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_MESSAGE = 4096  # Telegram's limit for one message


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None = None  # callback data, or
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)


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
