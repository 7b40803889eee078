"""The compact string structures behind the search indexes: no catalog needed."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from movierec.search.lookup import HashLookup, StringTable, int_view, stable_hash


def test_stable_hash_is_the_same_in_every_process() -> None:
    # a fixed value: Python's own hash() is salted per process and could not be stored
    assert stable_hash("toy story") == 1_968_410_906
    assert 0 <= stable_hash("") < 2**32


@given(st.lists(st.text(max_size=10), max_size=20))
def test_a_string_table_is_a_sequence_of_its_strings(values: list[str]) -> None:
    table = StringTable.of(values)
    assert len(table) == len(values) and list(table) == values
    assert table[1:3] == values[1:3]
    if values:
        assert table[-1] == values[-1]
    again = StringTable.from_arrays(*table.arrays())
    assert list(again) == values


def test_hash_lookup_finds_every_id_filed_under_a_text() -> None:
    lookup = HashLookup.of([("heat", 7), ("alien", 3), ("heat", 2), ("heat", 7)])
    assert sorted(lookup.candidates("heat")) == [2, 7, 7]
    assert lookup.candidates("alien") == [3]
    assert lookup.candidates("aliens") == []
    assert lookup.hashes.dtype == np.uint32 and np.all(np.diff(lookup.hashes) >= 0)


@given(st.lists(st.text(max_size=10), min_size=1, max_size=20), st.data())
def test_many_strings_at_once_are_the_strings_one_by_one(values: list[str], data) -> None:
    table = StringTable.of(values)
    picks = data.draw(st.lists(st.integers(0, len(values) - 1), max_size=10))
    assert table.many(np.asarray(picks, dtype=np.intp)) == [values[i] for i in picks]
    assert [table.at(i) for i in picks] == [values[i] for i in picks]


def test_int_view_reads_like_a_list() -> None:
    for dtype in (np.int32, np.int64):
        values = np.asarray([0, 5, -3, 2**31 - 1], dtype=dtype)
        view = int_view(values)
        assert list(view) == values.tolist() and view[2] == -3 and len(view) == 4
    hashes = np.asarray([0, 7, 2**31, 2**32 - 1], dtype=np.uint32)  # unsigned: stable hashes
    assert list(int_view(hashes)) == hashes.tolist()


def test_many_keeps_what_it_read_and_reads_the_rest() -> None:
    table = StringTable.of(["heat", "", "alien", "Amélie", "heat"])
    assert table.many(np.array([2, 0])) == ["alien", "heat"]
    assert table.many(np.array([0, 1, 2, 3, 4, 2])) == [
        "heat",
        "",
        "alien",
        "Amélie",
        "heat",
        "alien",
    ]
    assert table.many(np.array([], dtype=np.int64)) == []
    assert table.strings() == ["heat", "", "alien", "Amélie", "heat"]
