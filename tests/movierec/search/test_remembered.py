"""The memory of recent resolutions."""

from __future__ import annotations

from movierec.results import NotFound
from movierec.search.remembered import remembering


def test_the_memory_keeps_queries_not_overlong_text() -> None:
    asked: list[str | None] = []

    def resolve(query: str | None) -> NotFound:
        asked.append(query)
        return NotFound(query or "", ())

    remember = remembering(resolve, 2)
    for query in ("heat", "heat", "alien", "heat", "x" * 201, "x" * 201):
        remember(query)
    assert asked == ["heat", "alien", "x" * 201, "x" * 201]  # overlong text: never kept
    remember("toy story")  # a third query: the least recently used ("alien") goes
    remember("alien")
    assert asked[-2:] == ["toy story", "alien"]
    assert remembering(resolve, 0) is resolve
