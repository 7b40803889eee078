"""The evaluation's protocol and metrics, on the tests' own ratings."""

from __future__ import annotations

import pytest

from movierec import catalog as catalog_module
from movierec.recommend import evaluate, features
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
