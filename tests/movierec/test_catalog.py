"""The catalog's building blocks, on small arrays: no catalog needed."""

from __future__ import annotations

import numpy as np
import pytest

from movierec.catalog import CatalogError, Groups, factorize, load


def test_factorize_numbers_values_in_first_seen_order() -> None:
    codes, uniques = factorize(["b", "a", "b", "c", "a"])
    assert codes.tolist() == [0, 1, 0, 2, 1] and uniques == ["b", "a", "c"]
    assert codes.dtype == np.int32
    empty_codes, empty = factorize([])
    assert len(empty_codes) == 0 and empty == []


def test_groups_keep_the_given_order_within_an_owner() -> None:
    owners = np.array([2, 0, 2, 0, 2])
    values = np.array([10, 11, 12, 13, 14])
    groups = Groups.build(owners, values, n_owners=4)
    assert [groups[o].tolist() for o in range(4)] == [[11, 13], [], [10, 12, 14], []]
    assert groups.sizes().tolist() == [2, 0, 3, 0]
    assert groups.values.dtype == np.int32


def test_a_folder_without_a_catalog_is_one_clear_error(tmp_path) -> None:
    with pytest.raises(CatalogError, match="run `make data`"):
        load(tmp_path)


def test_the_first_cast_names_are_the_first_of_all(shipped_engine) -> None:
    catalog = shipped_engine.catalog
    for row in range(0, len(catalog), max(1, len(catalog) // 500)):
        every = catalog.cast_names(row)
        assert len(set(every)) == len(every)  # each actor once
        for limit in (0, 1, 5):
            assert catalog.cast_names(row, limit) == every[:limit]
