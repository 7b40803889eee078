"""Offline evaluation of personal recommendations on MovieLens ratings (hide one liked film).

    python -m movierec.recommend.evaluate_personal --source ../shared/data/kaggle [--data data]
        [--users test|validation]

Only held-out users are scored (:func:`.ratings.roles`): the collaborative block, which the
personal recommender uses, learned from the train users' likes, hidden films included. For
each user with at least two liked films (rated >= 4) in the catalog, one liked film is
hidden (drawn with a fixed seed); the profile is every other rating, mapped to 1-5 stars as a
person would give them (half stars round down, so 3.5 stays neutral). A hit is the hidden film
in the top 10. Compared: the most popular films, the single-film recommender (/recomendar
from one other liked film, drawn with the same seed) and the personal recommender (all
ratings: several weighted seeds, dislikes pushing away). Every model leaves out the films in
the profile, as the bot does.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from movierec import catalog as catalog_module
from movierec.catalog import Catalog
from movierec.recommend import index as similarity_index
from movierec.recommend import ratings as movielens
from movierec.recommend.evaluate import LIKED, RANDOM_SEED, K
from movierec.recommend.personal import Rating, for_you
from movierec.recommend.recommender import MAX_K, Recommender
from movierec.results import Invalid

__all__ = ["Case", "Model", "Result", "cases", "main", "models", "run", "stars", "table"]

Model = Callable[["Case"], Sequence[int]]  # a held-out case → recommended TMDB ids


@dataclass(frozen=True)
class Case:
    user: int
    hidden: int  # TMDB id of the liked film held out
    profile: tuple[Rating, ...]  # every other rating, 1-5 stars
    seed: int  # one other liked film: the single-film recommender's question


@dataclass(frozen=True)
class Result:
    name: str
    hr: float
    ndcg: float
    coverage: float  # distinct recommended films / catalog
    cases: int


def stars(rating: float) -> int:
    """MovieLens half stars (0.5-5) as whole stars 1-5, halves rounding down (3.5 → 3)."""
    return max(1, min(5, math.ceil(rating - 0.5)))


def cases(source: Path, catalog: Catalog, role: str | None = "test") -> list[Case]:
    """One case per user with two or more liked films in the catalog, drawn reproducibly;
    ``role``: only the cases of that part of the users (:func:`.ratings.roles`; the draw is
    the same, a subset of the whole set). The default is the test users: the collaborative
    block learned from the train users, whose hidden films it has seen liked; None (every
    user) is for comparing with runs made before the split."""
    frame = movielens.ratings(source, catalog)
    parts = movielens.roles(frame.user.tolist())
    frame = frame.assign(tmdb=catalog.ids[frame.row.to_numpy()])
    rng = np.random.default_rng(RANDOM_SEED)
    out = []
    for user, rows in frame.groupby("user", sort=True):
        rated = dict(zip(rows.tmdb.astype(int), rows.rating, strict=True))  # last one wins
        liked = sorted(m for m, r in rated.items() if r >= LIKED)
        if len(liked) < 2:
            continue
        hidden = int(rng.choice(liked))
        seed = int(rng.choice([m for m in liked if m != hidden]))
        if role is not None and parts[int(user)] != role:
            continue
        profile = tuple(Rating(m, stars(r)) for m, r in sorted(rated.items()) if m != hidden)
        out.append(Case(int(user), hidden, profile, seed))
    return out


def models(recommender: Recommender) -> dict[str, Model]:
    catalog = recommender.catalog
    popular = [int(catalog.ids[r]) for r in np.argsort(-catalog.vote_count, kind="stable")]

    def unseen(case: Case, ids: Sequence[int]) -> list[int]:
        rated = {r.movie_id for r in case.profile}
        return [m for m in ids if m not in rated][:K]

    def most_popular(case: Case) -> list[int]:
        return unseen(case, popular[: K + len(case.profile)])

    def single_film(case: Case) -> list[int]:
        found = recommender.similar(case.seed, MAX_K)
        return [] if isinstance(found, Invalid) else unseen(case, [r.movie_id for r in found])

    def personal(case: Case) -> list[int]:
        found = for_you(recommender, case.profile, K)
        return [] if isinstance(found, Invalid) else [p.recommendation.movie_id for p in found]

    return {"most popular": most_popular, "single film": single_film, "personal": personal}


def run(name: str, model: Model, all_cases: list[Case], catalog: Catalog) -> Result:
    hits, gain, shown = 0, 0.0, set()
    for case in all_cases:
        recs = list(model(case))[:K]
        shown.update(recs)
        if case.hidden in recs:
            hits += 1
            gain += 1.0 / math.log2(recs.index(case.hidden) + 2)
    n = max(len(all_cases), 1)
    return Result(name, hits / n, gain / n, len(shown) / len(catalog), len(all_cases))


def table(results: list[Result]) -> str:
    lines = ["| model | HR@10 | NDCG@10 | coverage |", "|---|---|---|---|"]
    lines += [f"| {r.name} | {r.hr:.3f} | {r.ndcg:.3f} | {r.coverage:.1%} |" for r in results]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m movierec.recommend.evaluate_personal", description=__doc__
    )
    parser.add_argument("--source", type=Path, required=True, help="folder with ratings_small")
    parser.add_argument("--data", type=Path, default=catalog_module.DEFAULT_DATA)
    parser.add_argument(
        "--users",
        choices=("test", "validation"),
        default="test",
        help="which held-out users to score: validation to choose weights, test to report",
    )
    args = parser.parse_args(argv)
    catalog = catalog_module.load(args.data)
    recommender = Recommender(
        catalog, similarity_index.load(args.data / similarity_index.FILE_NAME)
    )
    all_cases = cases(args.source, catalog, args.users)
    results = [run(n, m, all_cases, catalog) for n, m in models(recommender).items()]
    print(f"{len(all_cases)} {args.users} users, one liked film hidden each, K={K}")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
