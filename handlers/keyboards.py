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

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.reply import Reply, Rows

__all__ = ["KEYBOARDS", "Keyboard", "keyboard"]

KEYBOARDS = 1024  # keyboards kept: ~5 KB each as Telegram objects


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons, or None when it has none."""
    return _built(reply.buttons) if reply.buttons else None


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard whose JSON form is made once, when it is built.

    python-telegram-bot asks each reply_markup for ``to_dict()`` on every request and only
    serialises the result (telegram/request/_requestparameter.py), so handing back the same
    dict is safe; the keyboard itself is frozen, so the dict can never be out of date."""

    __slots__ = ("_json",)  # private: to_dict leaves out names starting with "_"

    def __init__(self, rows: Rows) -> None:
        super().__init__(
            [
                [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
                for row in rows
            ]
        )
        with self._unfrozen():
            self._json = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return self._json if recursive else super().to_dict(recursive=False)


@functools.lru_cache(maxsize=KEYBOARDS)
def _built(rows: Rows) -> Keyboard:
    return Keyboard(rows)
