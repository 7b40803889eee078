"""The trigram shortlist and rapidfuzz scoring, on a handful of keys: no catalog needed."""

from __future__ import annotations

import numpy as np
import pytest

from movierec.search.fuzzy import FuzzyIndex, query_grams
from movierec.search.keys import KeyTables

KEYS = ["dark knight", "dark knight rises", "godfather", "godfather 2", "pedro almodovar", "heat"]


@pytest.fixture(scope="module")
def index() -> FuzzyIndex:
    return FuzzyIndex.build(KEYS)


def best(index: FuzzyIndex, query: str) -> str:
    return index.keys[index.search(query)[0].key_id]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("dark knigth", "dark knight"),
        ("godfather 2", "godfather 2"),
        ("godfater", "godfather"),
        ("almodovar", "pedro almodovar"),
        ("knight dark", "dark knight"),
    ],
)
def test_typos_fragments_and_word_order(index: FuzzyIndex, query: str, key: str) -> None:
    assert best(index, query) == key


def test_a_missing_number_costs(index: FuzzyIndex) -> None:
    scored = {index.keys[s.key_id]: s for s in index.search("godfather 2")}
    assert scored["godfather 2"].ratio > scored["godfather"].ratio


def test_nothing_in_common_is_nothing(index: FuzzyIndex) -> None:
    assert index.search("zzzz") == []
    assert len(index.shortlist("zzzz")) == 0


def test_results_are_sorted_best_first(index: FuzzyIndex) -> None:
    scored = index.search("dark")
    assert [s.best for s in scored] == sorted((s.best for s in scored), reverse=True)


def test_the_stored_form_gives_the_same_index(index: FuzzyIndex) -> None:
    again = FuzzyIndex.from_arrays(KEYS, index.arrays())
    for query in ("dark knigth", "godfater", "heat", "almodovar"):
        assert again.search(query) == index.search(query)
    assert len(query_grams("heat")) == len(set(query_grams("heat").tolist()))


def test_an_empty_index_answers_nothing() -> None:
    assert FuzzyIndex.build([]).search("heat") == []


def test_key_tables_file_owners_under_every_key() -> None:
    tables = KeyTables.build([("heat", 0), ("heat", 3), ("alien", 1), ("", 2), ("heat", 0)])
    assert list(tables.keys) == ["heat", "alien"]  # empty keys are dropped
    assert tables.owners[0].tolist() == [0, 3] and tables.owners[1].tolist() == [1]
    assert tables.exact.candidates("alien") == [1]
    again = KeyTables.from_arrays(tables.arrays())
    assert list(again.keys) == list(tables.keys)
    np.testing.assert_array_equal(again.owners.values, tables.owners.values)
