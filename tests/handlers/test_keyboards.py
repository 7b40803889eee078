"""Keyboards built once (handlers/keyboards.py): the same JSON Telegram would get from a plain
InlineKeyboardMarkup, whatever python-telegram-bot does with the object."""

from __future__ import annotations

import copy
import json
import pickle

from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.keyboards import Keyboard, keyboard
from handlers.reply import Button, Reply

labels = st.text(min_size=1, max_size=12)
buttons = st.one_of(
    st.builds(Button, labels, data=st.text(min_size=1, max_size=20)),
    st.builds(Button, labels, url=st.just("https://example.org/x")),
)
rows = st.lists(st.lists(buttons, min_size=1, max_size=4).map(tuple), min_size=1, max_size=4)


def plain(reply_rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in r]
            for r in reply_rows
        ]
    )


@given(rows.map(tuple))
def test_the_json_is_what_a_plain_keyboard_gives(reply_rows) -> None:
    built = keyboard(Reply("x", reply_rows))
    reference = plain(reply_rows)
    assert isinstance(built, Keyboard) and built == reference
    assert built.to_dict() == reference.to_dict()
    assert json.loads(built.to_json()) == json.loads(reference.to_json())
    assert built.to_dict(recursive=False).keys() == reference.to_dict(recursive=False).keys()


def test_the_same_rows_give_the_same_keyboard_and_none_without_buttons() -> None:
    reply_rows = ((Button("a", data="1"), Button("b", url="https://example.org")),)
    assert keyboard(Reply("x", reply_rows)) is keyboard(Reply("y", reply_rows))
    assert keyboard(Reply("x")) is None


def test_copies_and_pickles_keep_the_json() -> None:
    built = Keyboard(((Button("a", data="1"),), (Button("c", data="2"),)))
    for other in (copy.copy(built), copy.deepcopy(built), pickle.loads(pickle.dumps(built))):
        assert (
            other.to_dict()
            == built.to_dict()
            == plain(((Button("a", data="1"),), (Button("c", data="2"),))).to_dict()
        )
