import pytest

from movierec.etl.literals import BadLiteral, as_int, dict_items, names, parse_literal


def test_parses_kaggle_literals_with_apostrophes_and_none() -> None:
    cell = "[{'name': \"Kelly O'Connell\", 'id': None}, {'name': 'Tom Hanks', 'id': 31}]"
    assert names(dict_items(parse_literal(cell))) == ["Kelly O'Connell", "Tom Hanks"]


@pytest.mark.parametrize("cell", ["", "   ", None, "nan"])
def test_empty_cells_are_empty_lists(cell: str | None) -> None:
    assert dict_items(parse_literal(cell)) == []


@pytest.mark.parametrize(
    "cell",
    [
        "__import__('os').system('echo pwned')",
        "[{'name': 'x'}] + [1]",
        "(" * 5000 + ")" * 5000,
        "[{'name': 'unterminated",
        "lambda: 1",
    ],
)
def test_code_and_garbage_are_rejected_not_run(cell: str) -> None:
    with pytest.raises(BadLiteral):
        parse_literal(cell)


def test_single_dict_and_stray_items() -> None:
    assert dict_items(parse_literal("{'id': 1, 'name': 'Saga'}")) == [{"id": 1, "name": "Saga"}]
    assert dict_items(parse_literal("[1, 'x', {'name': 'ok'}]")) == [{"name": "ok"}]
    with pytest.raises(BadLiteral):
        dict_items(parse_literal("42"))


def test_names_skip_missing_and_blank_keys_and_repeats() -> None:
    items = [{"id": 1}, {"name": "  "}, {"name": "Drama"}, {"name": "Drama"}, {"name": "War"}]
    assert names(items) == ["Drama", "War"]


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), (3.0, 3), ("12", 12), (2.5, None), (True, None), ("x", None)]
)
def test_as_int(value: object, expected: int | None) -> None:
    assert as_int(value) == expected
