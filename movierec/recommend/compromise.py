"""Compromise picks for a group: films close to everyone's nominees, seen by nobody.

A movie night has a few nominees (one or two per member) and, for members who keep lists, the
films they liked. A compromise pick is a film near that combined taste that nobody in the group
has seen. The recommender ranks films against all seeds at once (nominees and likes); that
shortlist is then re-ordered so that no nominee is ignored: each candidate scores its mean
similarity to the nominees *plus* its similarity to the nominee it is least like (the weakest
link). A film very close to one member's pick and unrelated to the others' loses to one that
sits between them; for the same reason a sequel of a nominee (same collection) is no compromise
and is left out when there are two nominees or more.

Pure and deterministic: the same nominees, likes and seen films give the same picks, whatever
order they come in (seeds are sorted; ties go to the lower TMDB id).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from movierec.recommend.recommender import MAX_K
from movierec.results import Filters, Invalid, Reason, Recommendation

__all__ = ["MAX_LIKED", "MAX_PICKS", "CompromisePick", "Neighbours", "compromise_picks"]

MAX_PICKS = 5
# Likes only colour the taste: a member with 300 rated films must not drown the nominees.
MAX_LIKED = 12
NEAR_SHOWN = 2  # nominees named in a pick's reason


class Neighbours(Protocol):
    """What compromise picks need from the recommender (the Engine has both)."""

    def similar_to_many(
        self, movie_ids: Sequence[int], k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid: ...

    def similarity(self, a: int, b: int) -> float | Invalid: ...


@dataclass(frozen=True)
class CompromisePick:
    movie_id: int
    title: str
    year: int
    score: float  # mean similarity to the nominees + similarity to the least similar one
    weakest: float  # similarity to the nominee it is least like
    near: tuple[int, ...]  # the nominees it is closest to, closest first
    reasons: tuple[Reason, ...]  # shared features with the seed it is closest to


def compromise_picks(
    neighbours: Neighbours,
    nominees: Collection[int],
    liked: Collection[int] = (),
    seen: Collection[int] = (),
    k: int = 3,
    min_votes: int = 0,
) -> tuple[CompromisePick, ...] | Invalid:
    """Up to ``k`` films near ``nominees`` (and ``liked``), none in ``seen`` nor a nominee.

    ``min_votes`` keeps obscure films out while enough others qualify; the list is filled
    without it when too few do. Nominees the recommender knows nothing about are skipped;
    none usable is ``Invalid("no_movie")``.
    """
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_PICKS:
        return Invalid("bad_k")
    seeds = _usable(neighbours, nominees)
    if not seeds:
        return Invalid("no_movie")
    likes = [m for m in _usable(neighbours, liked) if m not in seeds][:MAX_LIKED]
    excluded = {*seen, *seeds, *likes}
    candidates: dict[int, Recommendation] = {}
    for filters in (Filters(min_votes=min_votes), None) if min_votes > 0 else (None,):
        found = neighbours.similar_to_many([*seeds, *likes], MAX_K, filters)
        if isinstance(found, Invalid):
            return found
        for rec in found:
            saga = any(reason.kind == "collection" for reason in rec.reasons)
            if rec.movie_id not in excluded and not (saga and len(seeds) > 1):
                candidates.setdefault(rec.movie_id, rec)
        if len(candidates) >= k:
            break
    picks = [_score(neighbours, rec, seeds) for rec in candidates.values()]
    picks.sort(key=lambda p: (-round(p.score, 6), p.movie_id))
    return tuple(picks[:k])


def _usable(neighbours: Neighbours, ids: Collection[int]) -> list[int]:
    """Distinct ids the recommender has features for, sorted: the order given never matters."""
    unique = sorted({i for i in ids if isinstance(i, int) and not isinstance(i, bool) and i > 0})
    return [i for i in unique if not isinstance(neighbours.similarity(i, i), Invalid)]


def _score(neighbours: Neighbours, rec: Recommendation, nominees: list[int]) -> CompromisePick:
    closeness = []
    for nominee in nominees:
        value = neighbours.similarity(rec.movie_id, nominee)
        closeness.append((0.0 if isinstance(value, Invalid) else value, nominee))
    weakest = min(value for value, _ in closeness)
    mean = sum(value for value, _ in closeness) / len(closeness)
    ranked = sorted(closeness, key=lambda pair: (-pair[0], pair[1]))
    near = tuple(nominee for value, nominee in ranked[:NEAR_SHOWN] if value > 0)
    return CompromisePick(
        movie_id=rec.movie_id,
        title=rec.title,
        year=rec.year,
        score=mean + weakest,
        weakest=weakest,
        near=near,
        reasons=rec.reasons,
    )
