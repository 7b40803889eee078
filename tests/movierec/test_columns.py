"""Snapshot columns: unpacked when first read, then the tuple they unpacked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from movierec import columns
from movierec.strings import pack_strings


def test_a_column_knows_its_length_without_unpacking() -> None:
    column = columns.strings(*pack_strings(["heat", None, "alien"]))
    assert len(column) == 3 and bool(column)
    assert repr(column) == "Column(unread)"
    assert column[1] is None and column[-1] == "alien"
    assert repr(column) == "Column(3 values)"


def test_a_column_reads_like_the_tuple_it_unpacked() -> None:
    values = ("heat", None, "alien", "")
    column = columns.strings(*pack_strings(list(values)))
    assert column == values and values == column
    assert column != list(values)  # a tuple's equality: a list is not one
    assert tuple(column) == values and list(reversed(column)) == list(reversed(values))
    assert column[1:3] == values[1:3]
    assert "alien" in column and "zzz" not in column
    assert column.index("alien") == 2 and column.count(None) == 1
    with pytest.raises(IndexError):
        column[4]
    with pytest.raises(TypeError):
        hash(column)


def test_an_empty_column() -> None:
    column = columns.strings(*pack_strings([]))
    assert len(column) == 0 and not column and column == ()


def test_texts_refuse_a_missing_value() -> None:
    assert columns.texts(*pack_strings(["a", "b"])) == ("a", "b")
    with pytest.raises(ValueError):
        columns.texts(*pack_strings(["a", None]))


def test_nested_columns_share_equal_strings() -> None:
    lists = [("Drama", "Crime"), (), ("Drama",), ("Comedy", "Drama", "Crime")]
    blob, offsets = pack_strings([s for items in lists for s in items])
    starts = np.cumsum([0, *map(len, lists)])
    column = columns.nested(blob, offsets, starts)
    assert len(column) == 4
    assert column == tuple(lists)
    assert column[0][0] is column[2][0] is column[3][1]  # one "Drama", not three


def test_a_column_is_made_once() -> None:
    made = []

    def make() -> tuple[int, ...]:
        made.append(1)
        return (1, 2, 3)

    column = columns.Column(3, make)
    assert made == []
    assert column[0] == 1 and list(column) == [1, 2, 3] and column == (1, 2, 3)
    assert made == [1]


@dataclass(frozen=True)
class Holder:
    names: Sequence[str]


def test_a_bound_column_leaves_its_tuple_in_its_holder() -> None:
    column = columns.texts(*pack_strings(["heat", "alien"]))
    holder = Holder(column)
    column.bind(holder, "names")
    assert holder.names is column  # still unread
    assert holder.names[1] == "alien"
    assert type(holder.names) is tuple and holder.names == ("heat", "alien")
    read_first = columns.texts(*pack_strings(["x"]))
    assert read_first[0] == "x"
    other = Holder(read_first)
    read_first.bind(other, "names")  # already read: replaced at once
    assert type(other.names) is tuple


def test_the_snapshot_binds_its_columns() -> None:
    from movierec import snapshot
    from tests.conftest import SHIPPED_DATA

    catalog, _tables = snapshot.load(SHIPPED_DATA / snapshot.FILE_NAME)
    assert isinstance(catalog.titles, columns.Column)
    title = catalog.titles[0]
    assert type(catalog.titles) is tuple and catalog.titles[0] == title
    assert isinstance(catalog.actors.names, columns.Column)
    assert isinstance(catalog.actors.names[0], str) and type(catalog.actors.names) is tuple


def test_a_column_made_by_another_thread_between_two_reads() -> None:
    """Thread B sees no values, then thread A finishes making them before B looks at the
    maker: B must answer A's values (it used to fail an assertion)."""

    class Racy(columns.Column[int]):
        __slots__ = ()
        raced = False

        @property  # type: ignore[override]
        def _values(self) -> tuple[int, ...] | None:
            stored = columns.Column._values.__get__(self)  # type: ignore[attr-defined]
            if stored is None and not Racy.raced:
                Racy.raced = True  # thread A runs to the end right after B's first read
                columns.Column._values.__set__(self, (1, 2, 3))  # type: ignore[attr-defined]
                columns.Column._make.__set__(self, None)  # type: ignore[attr-defined]
                return None
            return stored

        @_values.setter
        def _values(self, values: tuple[int, ...] | None) -> None:
            columns.Column._values.__set__(self, values)  # type: ignore[attr-defined]

    column = Racy(3, lambda: (1, 2, 3))
    assert column.values() == (1, 2, 3) and Racy.raced
