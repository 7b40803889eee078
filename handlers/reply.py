"""What the bot says, independent of Telegram: HTML text and rows of buttons."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from handlers import texts
from movierec.results import InvalidReason

__all__ = ["MAX_CAPTION", "MAX_MESSAGE", "Button", "Photo", "Reply", "fit", "invalid"]

MAX_MESSAGE = 4096  # Telegram's limit for one message
MAX_CAPTION = 1024  # and for a photo's caption
QUOTED_CHARS = 80  # of what the user typed, echoed back in a complaint


@dataclass(frozen=True)
class Photo:
    """A picture above the text: a URL Telegram fetches itself (a poster), or PNG bytes we
    upload (a chart). Never both."""

    url: str | None = None
    data: bytes | None = None
    name: str = "chart.png"

    @functools.cached_property
    def key(self) -> str:
        """What Telegram's file id for this picture is kept under (handlers/photos.py): its
        URL, or a digest of a chart's bytes (the same chart drawn again is the same picture).
        Computed once per photo: a send looks it up and then stores under it."""
        if self.url is not None:
            return self.url
        assert self.data is not None
        return "png:" + hashlib.blake2b(self.data, digest_size=16).hexdigest()


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
    photo: Photo | None = None
    # False when something the reply should carry is missing for now (a chart that was late or
    # failed): it is sent as it is, but never remembered for the next asker
    complete: bool = True


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
