"""Strings stored as one blob and offsets: no catalog needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from movierec import npz, strings

texts = st.lists(st.none() | st.text(max_size=12), max_size=30)


@given(texts)
def test_strings_round_trip_with_none_apart_from_empty(values: list[str | None]) -> None:
    blob, offsets = strings.pack_strings(values)
    assert blob.dtype == np.uint8 and offsets.dtype == np.int64
    assert strings.unpack_strings(blob, offsets) == values


@pytest.mark.parametrize(
    "values",
    [
        [],
        [""],
        [None],
        ["a\0b", None, "c"],  # a NUL inside a string: the slow path
        ["Amélie", "東京物語", "🎬 x", None, "", "Straße"],  # 2-, 3- and 4-byte characters
        ["ascii", "only", None, None],
    ],
)
def test_strings_unpack_whatever_their_bytes(values: list[str | None]) -> None:
    assert strings.unpack_strings(*strings.pack_strings(values)) == values


@given(texts)
def test_the_separated_copy_unpacks_the_same(values: list[str | None]) -> None:
    blob, offsets = strings.pack_strings(values)
    separated = strings.separate(blob, offsets)
    if any("\0" in v for v in values if v):
        assert separated is None  # no separator left to split on: sliced instead
    else:
        assert separated is not None
        assert separated.tobytes().count(b"\0") == max(len(values) - 1, 0)
        assert strings.unpack_strings(blob, offsets, separated) == values


def test_unpacked_copies_keep_string_tables_separated(tmp_path: Path) -> None:
    blob, offsets = strings.pack_strings(["Amélie", None, "heat"])
    path = tmp_path / "s.npz"
    npz.write(path, {"titles.blob": blob, "titles.offsets": offsets, "label_blob": blob})
    arrays = npz.read(path)
    separated = strings.separated_of(arrays, "titles.blob")
    assert separated is not None and separated.tobytes() == "Amélie\0\0heat".encode()
    assert strings.separated_of(arrays, "label_blob") is None  # only the snapshot's tables


def test_the_packing_is_one_blob_and_offsets() -> None:
    blob, offsets = strings.pack_strings(["ab", None, "", "é"])
    assert blob.tobytes() == "abé".encode()
    assert offsets.tolist() == [0, 2, -3, 2, 3]  # a None ends at -(end + 1)
