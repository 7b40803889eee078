"""Personal recommendations on the catalog under test: properties, not a fixed list.

Profiles are drawn from the catalog's most-voted films, so the tests hold on any build.
"""

from __future__ import annotations

import numpy as np
import pytest

from movierec.recommend.evaluate_personal import Case, models, run, stars, table
from movierec.recommend.personal import PUSH, Rating, for_you, weight
from movierec.results import Filters, Invalid


@pytest.fixture(scope="module")
def popular(shipped_engine) -> list[int]:
    return [c.key for c in shipped_engine.popular(40)]


def ids(found) -> list[int]:
    assert not isinstance(found, Invalid), found
    return [p.recommendation.movie_id for p in found]


def test_weights_follow_the_rating():
    assert [weight(r) for r in (1, 2, 3, 4, 5, None)] == [-1.5, -1.0, 0.0, 1.0, 1.5, 0.0]


def test_never_recommends_what_was_seen_rated_or_excluded(shipped_engine, popular):
    profile = [Rating(popular[0], 5), Rating(popular[1], 4), Rating(popular[2], 1)]
    profile += [Rating(m) for m in popular[3:10]] + [Rating(popular[10], 3)]
    excluded = popular[11:20]
    found = ids(shipped_engine.for_you(profile, k=50, exclude=excluded))
    assert len(found) == 50
    assert not set(found) & ({r.movie_id for r in profile} | set(excluded))
    assert len(set(found)) == len(found)


def test_deterministic_and_independent_of_order(shipped_engine, popular):
    profile = [Rating(popular[i], 5 - i % 3) for i in range(8)]
    first = shipped_engine.for_you(profile, k=20)
    assert shipped_engine.for_you(list(reversed(profile)), k=20) == first
    assert shipped_engine.for_you(profile, k=20) == first


def test_filters_are_respected(shipped_engine, popular):
    filters = Filters(year_from=2000, year_to=2009, min_votes=50)
    for pick in shipped_engine.for_you([Rating(popular[0], 5)], k=20, filters=filters):
        card = shipped_engine.card(pick.recommendation.movie_id)
        assert 2000 <= card.year <= 2009 and card.vote_count >= 50
    bad = shipped_engine.for_you([Rating(popular[0], 5)], filters=Filters(genre="nope"))
    assert bad == Invalid("unknown_genre")


def test_reasons_name_liked_films_only(shipped_engine, popular):
    liked = {popular[0], popular[5]}
    profile = [Rating(m, 5) for m in liked] + [Rating(popular[9], 1), Rating(popular[3])]
    found = shipped_engine.for_you(profile, k=10)
    assert found and all(p.because and set(p.because) <= liked for p in found)


def test_a_single_like_ranks_like_the_similar_films(shipped_engine, popular):
    # one liked film and nothing else: the same films as /recomendar, maybe reordered only by
    # the stored list's collection cap, so compare as sets of the top ones
    seed = popular[0]
    personal = ids(shipped_engine.for_you([Rating(seed, 5)], k=10))
    similar = [r.movie_id for r in shipped_engine.similar(seed, k=10, filters=Filters())]
    assert len(set(personal) & set(similar)) >= 8


def test_dislikes_push_away(shipped_engine, popular):
    # liking A and disliking B lowers the films closest to B, compared with liking A alone
    a, b = popular[0], popular[1]
    alone = shipped_engine.for_you([Rating(a, 5)], k=50)
    pushed = shipped_engine.for_you([Rating(a, 5), Rating(b, 1)], k=50)
    sim = {p.recommendation.movie_id: shipped_engine.similarity(b, p.recommendation.movie_id)
           for p in (*alone, *pushed)}  # fmt: skip
    mean_alone = np.mean([sim[m] for m in ids(alone)])
    mean_pushed = np.mean([sim[m] for m in ids(pushed)])
    assert PUSH > 0 and mean_pushed < mean_alone


def test_nothing_liked_or_bad_k(shipped_engine, popular):
    assert shipped_engine.for_you([Rating(popular[0], 3)]) == Invalid("no_movie")
    assert shipped_engine.for_you([Rating(popular[0], 1), Rating(10**9, 5)]) == Invalid("no_movie")
    assert shipped_engine.for_you([]) == Invalid("no_movie")
    assert shipped_engine.for_you([Rating(popular[0], 5)], k=0) == Invalid("bad_k")
    assert for_you(shipped_engine._recommender, [Rating(popular[0], 5)], k=True) == Invalid("bad_k")


@pytest.mark.shipped
def test_toy_story_and_heat(shipped_engine):
    found = shipped_engine.for_you([Rating(862, 5), Rating(949, 5)], k=10)
    assert not {862, 949} & set(ids(found))
    assert {p.because[0] for p in found} == {862, 949}  # both tastes are served


# -- the evaluation's pieces (the full run needs MovieLens: `make evaluate-personal`) ----------


def test_movielens_half_stars_round_down_so_three_and_a_half_stays_neutral():
    assert [stars(r) for r in (0.5, 1.0, 2.5, 3.5, 4.0, 4.5, 5.0)] == [1, 1, 2, 3, 4, 4, 5]


def test_evaluation_scores_hits_by_rank(shipped_engine, popular):
    hidden = popular[5]
    case = Case(user=1, hidden=hidden, profile=(Rating(popular[0], 5),), seed=popular[0])
    first = run("first", lambda c: [c.hidden], [case], shipped_engine.catalog)
    third = run("third", lambda c: [popular[1], popular[2], c.hidden], [case, case],
                shipped_engine.catalog)  # fmt: skip
    miss = run("miss", lambda c: [], [case], shipped_engine.catalog)
    assert (first.hr, first.ndcg) == (1.0, 1.0)
    assert third.hr == 1.0 and third.ndcg == pytest.approx(0.5)
    assert (miss.hr, miss.ndcg, miss.coverage) == (0.0, 0.0, 0.0)
    assert "| first | 1.000 | 1.000 |" in table([first])


def test_evaluation_models_leave_out_the_profile(shipped_engine, popular):
    from movierec.recommend.recommender import Recommender

    recommender = Recommender(shipped_engine.catalog, shipped_engine._recommender.index)
    profile = tuple(Rating(m, 5) for m in popular[:5])
    case = Case(user=1, hidden=popular[6], profile=profile, seed=popular[0])
    for name, model in models(recommender).items():
        recs = list(model(case))
        assert len(recs) == 10 and not set(recs) & set(popular[:5]), name


def test_evaluation_scores_only_held_out_users(mini_catalog_dir):
    # the collaborative block learned from the train users' likes: their hidden films would
    # flatter it, so they are never scored; each part is a subset of the one draw over everyone
    from movierec import catalog as catalog_module
    from movierec.recommend import ratings as movielens
    from movierec.recommend.evaluate_personal import cases
    from tests.conftest import KAGGLE_MINI

    catalog = catalog_module.load(mini_catalog_dir)
    parts = movielens.roles(movielens.ratings(KAGGLE_MINI, catalog).user.tolist())
    everyone = cases(KAGGLE_MINI, catalog, None)
    assert everyone
    by_part = {role: cases(KAGGLE_MINI, catalog, role) for role in ("train", "validation", "test")}
    assert cases(KAGGLE_MINI, catalog) == by_part["test"]
    for role, found in by_part.items():
        assert {parts[c.user] for c in found} <= {role}
        assert found == [c for c in everyone if parts[c.user] == role]
