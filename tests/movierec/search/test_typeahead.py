"""Typeahead against an obviously correct reference: every word suffix of every key compared
with what was typed, the films ranked by votes then row."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from movierec.catalog import Catalog, Groups
from movierec.engine import Engine
from movierec.search import text, typeahead
from movierec.search.keys import KeyTables, word_suffixes
from movierec.search.lookup import StringTable

KEYS = st.text(alphabet="ab ", min_size=1, max_size=7)
PAIRS = st.lists(st.tuples(KEYS, st.integers(0, 5)), min_size=1, max_size=25)
VOTES = st.lists(st.integers(0, 3), min_size=6, max_size=6)  # few values: ties are common


def suffixes_of(key: str) -> list[str]:
    words = key.split(" ")
    return [" ".join(words[i:]) for i in range(len(words))]


def reference(pairs: list[tuple[str, int]], votes: list[int], query: str, limit: int) -> list[int]:
    key = text.fold(query)
    if not key:
        return []
    starts = {key, text.drop_article(key)}
    films = {
        film
        for k, film in pairs
        if k and any(s.startswith(start) for s in suffixes_of(k) for start in starts)
    }
    return sorted(films, key=lambda row: (-votes[row], row))[:limit]


def typeahead_over(pairs: list[tuple[str, int]], votes: list[int], stored: bool) -> Any:
    tables = KeyTables.build(pairs)
    if stored:  # as an unpacked snapshot gives them
        tables = dataclasses.replace(tables, suffixes=word_suffixes(list(tables.keys)))
    catalog = cast(Catalog, SimpleNamespace(vote_count=np.asarray(votes, dtype=np.int64)))
    return typeahead.Typeahead(catalog, tables)


@given(PAIRS, VOTES, st.text(alphabet="ab ", max_size=4), st.integers(0, 7), st.booleans())
def test_rows_are_the_reference_rows(pairs, votes, query, limit, stored) -> None:
    found = typeahead_over(pairs, votes, stored).rows(query, limit)
    assert found == reference(pairs, votes, query, limit)


@given(st.lists(st.text(alphabet="ab c", max_size=6), max_size=20))
def test_word_suffixes_are_every_suffix_sorted_then_by_key(keys: list[str]) -> None:
    order = word_suffixes(keys)
    expected = sorted((s, k) for k, key in enumerate(keys) for s in suffixes_of(key))
    assert order.dtype == np.int32 and order.shape == (2, len(expected))
    table = StringTable.of(keys)
    read = [(table.tail(k, skip), k) for k, skip in zip(*order.tolist(), strict=True)]
    assert read == expected


@given(st.lists(st.lists(st.integers(0, 9), max_size=4), min_size=1, max_size=8), st.data())
def test_groups_union_is_every_value_once_ascending(groups: list[list[int]], data) -> None:
    owners = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    values = np.asarray([v for g in groups for v in g], dtype=np.int32)
    built = Groups.build(owners, values, len(groups))
    picked = data.draw(st.lists(st.integers(0, len(groups) - 1), max_size=10))
    union = built.union(np.asarray(picked, dtype=np.int64))
    assert union.tolist() == sorted({v for p in picked for v in groups[p]})


def test_the_unpacked_snapshot_keeps_the_order_the_first_query_used_to_sort(
    mini_catalog_dir, monkeypatch
) -> None:
    """Sorting ~400k suffixes on the first inline query held every chat for half a second."""
    engine = Engine.load(mini_catalog_dir)
    tables = engine._typeahead._tables
    assert tables.suffixes is not None
    np.testing.assert_array_equal(tables.suffixes, word_suffixes(list(tables.keys)))

    def sorting(keys: object) -> None:
        raise AssertionError("sorted at the first query")

    monkeypatch.setattr(typeahead, "word_suffixes", sorting)
    assert engine.typeahead("toy", 3)[0].label.startswith("Toy Story")


def test_without_an_unpacked_copy_the_first_query_sorts(mini_catalog_dir) -> None:
    fresh = Engine.load(mini_catalog_dir)
    stored = fresh._typeahead._tables
    bare = typeahead.Typeahead(fresh.catalog, dataclasses.replace(stored, suffixes=None))
    assert bare.rows("story", 5) == fresh._typeahead.rows("story", 5) != []


@pytest.mark.parametrize("limit", [0, 1])
def test_a_limit_keeps_the_most_voted(mini_catalog_dir, limit) -> None:
    engine = Engine.load(mini_catalog_dir)
    rows = engine._typeahead.rows("t", 100)
    votes = engine.catalog.vote_count
    assert rows == sorted(rows, key=lambda r: (-int(votes[r]), r))
    assert engine._typeahead.rows("t", limit) == rows[:limit]
