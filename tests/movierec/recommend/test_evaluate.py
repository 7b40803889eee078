"""The evaluation's protocol and metrics, on the tests' own ratings."""

from __future__ import annotations

import pytest

from movierec import catalog as catalog_module
from movierec.recommend import evaluate, features
from movierec.recommend import ratings as movielens
from movierec.recommend.evaluate import Trial
from tests.conftest import KAGGLE_MINI


@pytest.fixture(scope="module")
def mini(mini_catalog_dir):
    return catalog_module.load(mini_catalog_dir)


def test_trials_use_liked_films_mapped_through_links(mini) -> None:
    cases = evaluate.trials(KAGGLE_MINI, mini)
    rows = {mini.row(862), mini.row(8844), mini.row(949)}
    # user 1 liked all three, user 2 two of them (a 3.0 is not liked), user 3 none
    assert len(cases) == 3 + 2
    for case in cases:
        assert case.seed in rows and case.seed not in case.targets
        assert case.targets <= rows
    assert cases == evaluate.trials(KAGGLE_MINI, mini)  # fixed seed: reproducible


def test_metrics_by_hand(mini) -> None:
    cases = [Trial(0, frozenset({1, 2})), Trial(1, frozenset({3}))]
    perfect = evaluate.score("perfect", lambda seed: [1, 2] if seed == 0 else [3], cases, mini)
    assert perfect.hr == 1.0 and perfect.ndcg == pytest.approx(1.0)
    late = evaluate.score("late", lambda seed: [4, 2] if seed == 0 else [4], cases, mini)
    # first trial: one hit at rank 2 of an ideal two; second: no hit
    ideal = 1 + 1 / 1.584962500721156
    assert late.hr == 0.5
    assert late.ndcg == pytest.approx((1 / 1.584962500721156) / ideal / 2)
    assert late.coverage == pytest.approx(2 / len(mini))


def test_classic_reference_is_tagline_genres_first_actor_first_director(mini_catalog_dir) -> None:
    fields = features.read_fields(mini_catalog_dir)
    docs = dict(zip(fields.ids.tolist(), evaluate.classic_text(fields), strict=True))
    assert docs[862] == "Animation Comedy Family  Tom Hanks John Lasseter"
    assert docs[8844].endswith(
        "Roll the dice and unleash the excitement! Robin Williams Joe Johnston"
    )


def test_the_command_prints_the_table(mini_catalog_dir, capsys) -> None:
    code = evaluate.main(["--source", str(KAGGLE_MINI), "--data", str(mini_catalog_dir)])
    assert code == 0
    out = capsys.readouterr().out
    for model in ("random", "most popular", "classic TF-IDF", "movierec"):
        assert f"| {model} |" in out


def test_users_are_split_once_and_for_good() -> None:
    users = list(range(1, 672))
    parts = movielens.roles(users)
    counts = {name: sum(1 for p in parts.values() if p == name) for name in set(parts.values())}
    assert counts == {"train": 336, "validation": 168, "test": 167}
    assert parts == movielens.roles(list(reversed(users)))  # by id, not by order of arrival


def test_the_parts_trials_are_the_whole_draw_split(mini) -> None:
    everything = evaluate.trials(KAGGLE_MINI, mini)
    parts = [evaluate.trials(KAGGLE_MINI, mini, role) for role in ("train", "validation", "test")]
    assert sorted(everything, key=repr) == sorted([t for p in parts for t in p], key=repr)
    roles = movielens.roles(movielens.ratings(KAGGLE_MINI, mini).user.tolist())
    for role, cases in zip(("train", "validation", "test"), parts, strict=True):
        assert all(roles[t.user] == role for t in cases)


def test_the_study_scores_every_variant_on_both_parts(mini_catalog_dir, mini) -> None:
    from movierec.recommend import study

    parts = {"validation": evaluate.trials(KAGGLE_MINI, mini)}
    out = study.run(mini_catalog_dir, KAGGLE_MINI, mini, parts, lambda _line: None)
    assert [s.name for s in out["validation"]] == list(study.VARIANTS)
