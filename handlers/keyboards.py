"""A reply's rows of buttons as Telegram's inline keyboard, built once per set of rows.

Building one costs more than most answers: a card's keyboard is 11 Telegram objects, and
python-telegram-bot turns the keyboard back into JSON on every send. Telegram's objects are
immutable, so one keyboard serves every reply with the same rows: a remembered answer
(handlers/answer_memory.py) comes back with the very same rows, and its keyboard with the JSON
already made.
"""

from __future__ import annotations

import functools
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, TelegramObject

from handlers.reply import Reply, Rows

__all__ = ["KEYBOARDS", "JsonMadeOnce", "Keyboard", "keyboard"]

KEYBOARDS = 1024  # keyboards kept: ~5 KB each as Telegram objects


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons, or None when it has none."""
    return _built(reply.buttons) if reply.buttons else None


class JsonMadeOnce(TelegramObject):
    """A Telegram object whose JSON form is made once, when it is built (:meth:`keep_json`,
    last thing in ``__init__``).

    python-telegram-bot asks each object it sends for ``to_dict()`` on every request and only
    serialises the result (telegram/request/_requestparameter.py), so handing back the same
    dict is safe; the object itself is frozen, so the dict can never be out of date. The slot
    ``_json`` is each subclass's own (two bases with slots cannot be combined); its name is
    private, and to_dict leaves out names starting with "_"."""

    __slots__ = ()
    _json: dict[str, Any]

    def keep_json(self) -> None:
        with self._unfrozen():
            self._json = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return self._json if recursive else super().to_dict(recursive=False)


class Keyboard(JsonMadeOnce, InlineKeyboardMarkup):
    """An inline keyboard built from a reply's rows, its JSON made once."""

    __slots__ = ("_json",)

    def __init__(self, rows: Rows) -> None:
        super().__init__(
            [
                [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
                for row in rows
            ]
        )
        self.keep_json()


@functools.lru_cache(maxsize=KEYBOARDS)
def _built(rows: Rows) -> Keyboard:
    return Keyboard(rows)
