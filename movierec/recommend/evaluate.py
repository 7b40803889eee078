"""Offline evaluation of the recommender on MovieLens ratings (leave-one-out).

    python -m movierec.recommend.evaluate --source ../shared/data/kaggle [--data data]

For each user, seed with a film they rated >= 4 and ask whether their other highly rated films
appear in the top 10. Users are split once (:func:`roles`): train (the collaborative block
learns from them), validation (weights are chosen on them), test (the figures reported).
Compares random, most-popular, the classic TF-IDF of the original project (genres + tagline +
first actor + first director, 1-2-grams, plain cosine) and ours. Every variant and ablation of
ours: :mod:`.study`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from movierec import catalog as catalog_module
from movierec.catalog import Catalog
from movierec.recommend import features
from movierec.recommend import index as similarity_index
from movierec.recommend.ratings import LIKED, LINKS_SMALL, RATINGS_SMALL, ratings, roles
from movierec.recommend.recommender import Recommender
from movierec.results import Invalid

__all__ = [
    "LIKED",
    "LINKS_SMALL",
    "RANDOM_SEED",
    "RATINGS_SMALL",
    "SEEDS_PER_USER",
    "K",
    "Recommend",
    "Scores",
    "Trial",
    "baselines",
    "classic_model",
    "classic_text",
    "main",
    "ours",
    "score",
    "table",
    "trials",
]

K = 10
SEEDS_PER_USER = 3
RANDOM_SEED = 20171110  # the dataset's date: fixed, so every run draws the same trials

Recommend = Callable[[int], Sequence[int]]  # seed row → recommended rows


@dataclass(frozen=True)
class Trial:
    seed: int  # film row
    targets: frozenset[int]  # the user's other liked film rows
    user: int = 0  # MovieLens user id


@dataclass(frozen=True)
class Scores:
    name: str
    hr: float
    ndcg: float
    coverage: float
    mean_popularity: float
    trials: int


def trials(source: Path, catalog: Catalog, role: str | None = None) -> list[Trial]:
    """The fixed set of (seed, targets) pairs drawn from the ratings; ``role``: only the
    trials of that part of the users (the draw is the same: a subset of the whole set)."""
    frame = ratings(source, catalog)
    parts = roles(frame.user.tolist())
    liked_only = frame[frame.rating >= LIKED]
    rng = np.random.default_rng(RANDOM_SEED)
    out: list[Trial] = []
    for user, liked in liked_only.groupby("user", sort=True):
        rows = sorted(set(liked.row.tolist()))
        if len(rows) < 2:
            continue
        for seed in rng.choice(rows, size=min(SEEDS_PER_USER, len(rows)), replace=False):
            if role is None or parts[int(user)] == role:
                out.append(Trial(int(seed), frozenset(rows) - {int(seed)}, int(user)))
    return out


def score(name: str, recommend: Recommend, cases: list[Trial], catalog: Catalog) -> Scores:
    discounts = 1.0 / np.log2(np.arange(2, K + 2))
    hits, gains, shown = 0, 0.0, []
    for trial in cases:
        recs = list(recommend(trial.seed))[:K]
        shown += recs
        relevant = [i for i, row in enumerate(recs) if row in trial.targets]
        hits += bool(relevant)
        ideal = discounts[: min(K, len(trial.targets))].sum()
        gains += discounts[relevant].sum() / ideal
    trials_run = max(len(cases), 1)  # no trial (a tiny catalog's split): zeros, not a crash
    return Scores(
        name=name,
        hr=hits / trials_run,
        ndcg=gains / trials_run,
        coverage=len(set(shown)) / len(catalog),
        mean_popularity=float(catalog.popularity[shown].mean()) if shown else 0.0,
        trials=len(cases),
    )


def classic_text(fields: features.FilmFields) -> list[str]:
    """The original project's document per film: genres + tagline + first actor + director."""
    docs = []
    for genres, tagline, cast, directors in zip(
        fields.genres, fields.tagline, fields.cast, fields.directors, strict=True
    ):
        first_actor = cast[0] if cast else ""
        first_director = directors[0] if directors else ""
        docs.append(" ".join([*genres, tagline, first_actor, first_director]))
    return docs


def classic_model(fields: features.FilmFields) -> Recommend:
    matrix = TfidfVectorizer(ngram_range=(1, 2), stop_words="english").fit_transform(
        classic_text(fields)
    )
    matrix = sp.csr_matrix(matrix)

    def recommend(seed: int) -> list[int]:
        sims = (matrix @ matrix[seed].T).toarray().ravel()
        sims[seed] = -1
        top = np.argpartition(-sims, min(K, len(sims) - 1))[:K]
        return [r for r in top[np.lexsort((top, -sims[top]))].tolist() if r != seed]

    return recommend


def ours(recommender: Recommender) -> Recommend:
    ids = recommender.catalog.ids

    def recommend(seed: int) -> list[int]:
        recs = recommender.similar(int(ids[seed]), K)
        if isinstance(recs, Invalid):
            return []
        return [row for r in recs if (row := recommender.catalog.row(r.movie_id)) is not None]

    return recommend


def baselines(catalog: Catalog, fields: features.FilmFields) -> dict[str, Recommend]:
    rng = np.random.default_rng(RANDOM_SEED)
    popular = np.argsort(-catalog.vote_count, kind="stable")[: K + 1].tolist()
    return {
        "random": lambda seed: [
            r
            for r in rng.choice(len(catalog), min(K + 1, len(catalog)), replace=False)
            if r != seed
        ][:K],
        "most popular": lambda seed: [r for r in popular if r != seed][:K],
        "classic TF-IDF": classic_model(fields),
    }


def table(results: list[Scores]) -> str:
    lines = [
        "| model | HR@10 | NDCG@10 | coverage | mean popularity |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {s.name} | {s.hr:.3f} | {s.ndcg:.3f} | {s.coverage:.1%} | {s.mean_popularity:.1f} |"
        for s in results
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m movierec.recommend.evaluate", description=__doc__
    )
    parser.add_argument("--source", type=Path, required=True, help="folder with ratings_small")
    parser.add_argument("--data", type=Path, default=catalog_module.DEFAULT_DATA)
    args = parser.parse_args(argv)
    catalog = catalog_module.load(args.data)
    fields = features.read_fields(args.data)
    parts = {part: trials(args.source, catalog, part) for part in ("validation", "test")}
    cases = parts["test"]
    results = [score(n, f, cases, catalog) for n, f in baselines(catalog, fields).items()]
    served = Recommender(catalog, similarity_index.load(args.data / similarity_index.FILE_NAME))
    results.append(score("movierec", ours(served), cases, catalog))
    print(f"test users: {len(cases)} trials, {len({t.seed for t in cases})} seed films, K={K}")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
