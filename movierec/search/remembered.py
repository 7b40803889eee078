"""The last answers of a resolver, remembered: people ask for the same films and names."""

from __future__ import annotations

import functools
from collections.abc import Callable

from movierec.results import Resolution
from movierec.search import text

__all__ = ["remembering"]


def remembering(
    resolve: Callable[[str | None], Resolution], size: int
) -> Callable[[str | None], Resolution]:
    """``resolve`` with the last ``size`` answers remembered (results are frozen, so one answer
    can be handed to many callers; lru_cache is thread-safe). Texts too long to be a query are
    refused by the resolver at once and never kept."""
    if size <= 0:
        return resolve
    remembered = functools.lru_cache(maxsize=size)(resolve)

    def resolve_remembering(query: str | None) -> Resolution:
        if query is not None and len(query) > text.MAX_QUERY_CHARS:
            return resolve(query)
        return remembered(query)

    return resolve_remembering
