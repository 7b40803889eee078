"""Compromise picks: never a seen film nor a nominee, the same for the same inputs, fair to
every nominee (on a fake recommender with known similarities), and bad requests as values."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest

from movierec.recommend.compromise import MAX_PICKS, CompromisePick, compromise_picks
from movierec.results import Filters, Invalid, Reason, Recommendation


@pytest.fixture(scope="module")
def popular_ids(shipped_engine) -> list[int]:
    """Well-known films of the catalog under test that the recommender has features for."""
    c = shipped_engine.catalog
    ids = [int(c.ids[r]) for r in np.argsort(-c.vote_count, kind="stable")[:300]]
    return [i for i in ids if not isinstance(shipped_engine.similarity(i, i), Invalid)]


def picks(found: tuple[CompromisePick, ...] | Invalid) -> tuple[CompromisePick, ...]:
    assert not isinstance(found, Invalid), found
    return found


def test_never_a_seen_film_nor_a_nominee_nor_a_like(shipped_engine, popular_ids) -> None:
    rng = random.Random(17)
    for _ in range(25):
        nominees = rng.sample(popular_ids, 3)
        liked = rng.sample(popular_ids, 4)
        first = picks(shipped_engine.compromise(nominees, liked, [], 3))
        assert first, nominees
        # whatever the group has seen (the first answer, plus a random handful) never comes back
        seen = [p.movie_id for p in first] + rng.sample(popular_ids, 40)
        second = picks(shipped_engine.compromise(nominees, liked, seen, 3))
        for pick in second:
            assert pick.movie_id not in seen
            assert pick.movie_id not in nominees and pick.movie_id not in liked
            assert set(pick.near) <= set(nominees)


def test_the_same_inputs_in_any_order_give_the_same_picks(shipped_engine, popular_ids) -> None:
    rng = random.Random(3)
    nominees, liked, seen = popular_ids[:4], popular_ids[10:16], popular_ids[20:60]
    expected = picks(shipped_engine.compromise(nominees, liked, seen, 3))
    for _ in range(5):
        shuffled = [rng.sample(x, len(x)) for x in (nominees, liked, seen)]
        assert picks(shipped_engine.compromise(*shuffled, 3)) == expected
    # duplicates count once
    assert picks(shipped_engine.compromise(nominees * 2, liked, seen, 3)) == expected


def test_picks_come_with_reasons_and_in_score_order(shipped_engine, popular_ids) -> None:
    found = picks(shipped_engine.compromise(popular_ids[:3], [], [], MAX_PICKS))
    assert len(found) == MAX_PICKS
    assert all(p.reasons and p.near for p in found)
    scores = [p.score for p in found]
    assert scores == sorted(scores, reverse=True)


def test_bad_requests_are_values(shipped_engine, popular_ids) -> None:
    assert shipped_engine.compromise([], [], [], 3) == Invalid("no_movie")
    assert shipped_engine.compromise([999_999_999, -4], [], [], 3) == Invalid("no_movie")
    assert shipped_engine.compromise(popular_ids[:2], [], [], 0) == Invalid("bad_k")
    assert shipped_engine.compromise(popular_ids[:2], [], [], MAX_PICKS + 1) == Invalid("bad_k")
    # an unknown nominee among known ones is skipped, not an error
    assert picks(shipped_engine.compromise([*popular_ids[:2], 999_999_999], [], [], 2))


SIMS = {(10, 1): 0.9, (10, 2): 0.0, (11, 1): 0.4, (11, 2): 0.4, (12, 1): 0.3, (12, 2): 0.3}


class Fake:
    """A recommender with hand-set similarities: candidates 10 to 13 for nominees 1 and 2."""

    def __init__(self, saga: int | None = None) -> None:
        self.saga = saga

    def similar_to_many(
        self, movie_ids: Sequence[int], k: int = 5, filters: Filters | None = None
    ) -> list[Recommendation] | Invalid:
        out = []
        for movie_id, fit in ((10, 0.9), (11, 0.5), (12, 0.4), (13, 0.3)):
            kind = "collection" if movie_id == self.saga else "genres"
            out.append(
                Recommendation(movie_id, f"F{movie_id}", 2000, fit, fit, (Reason(kind, ("x",)),))
            )
        return out[:k]

    def similarity(self, a: int, b: int) -> float | Invalid:
        if a == b:
            return 1.0 if a in (1, 2, 10, 11, 12, 13) else Invalid("unknown_movie")
        return SIMS.get((a, b), SIMS.get((b, a), 0.1))


def test_a_film_between_the_nominees_beats_one_close_to_only_one() -> None:
    found = picks(compromise_picks(Fake(), [1, 2], k=3))
    # 10 is the recommender's best (0.9 like nominee 1) but unrelated to nominee 2
    assert [p.movie_id for p in found] == [11, 12, 10]
    assert found[0].weakest == pytest.approx(0.4) and found[0].near == (1, 2)


def test_a_sequel_of_a_nominee_is_no_compromise() -> None:
    found = picks(compromise_picks(Fake(saga=11), [1, 2], k=2))
    assert [p.movie_id for p in found] == [12, 10]
    # with one nominee the group's taste is that film: its saga may be proposed
    assert 11 in [p.movie_id for p in picks(compromise_picks(Fake(saga=11), [1], k=4))]
