"""The button codec alone: no catalog, no Application."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.actions import BUTTON_CODES
from handlers.buttons import MAX_BYTES, ButtonCodec, Press

CODEC = ButtonCodec(b"secret", "catalog-1", BUTTON_CODES)


@given(
    action=st.sampled_from(sorted(BUTTON_CODES)),
    key=st.integers(0, 999_999_999),
    page=st.integers(0, 999_999_999),
    edit=st.booleans(),
)
def test_round_trip_within_telegrams_limit(action: str, key: int, page: int, edit: bool) -> None:
    data = CODEC.encode(action, key, page, edit)
    assert len(data.encode()) <= MAX_BYTES
    assert CODEC.decode(data) == Press(action, key, page, edit)


def test_another_secret_or_catalog_expires_the_button() -> None:
    data = CODEC.encode("card", 862)
    assert ButtonCodec(b"other", "catalog-1", BUTTON_CODES).decode(data) is None
    assert ButtonCodec(b"secret", "catalog-2", BUTTON_CODES).decode(data) is None


@given(st.text(max_size=80))
def test_anything_else_is_refused_without_raising(data: str) -> None:
    assert CODEC.decode(data) is None or isinstance(CODEC.decode(data), Press)


def test_codes_must_be_distinct() -> None:
    with pytest.raises(ValueError):
        ButtonCodec(b"s", "c", {"card": "c", "score": "c"})
