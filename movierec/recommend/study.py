"""The recommender's variants and ablations, scored on validation and test users.

    python -m movierec.recommend.study --source ../shared/data/kaggle [--data data]

Weights are chosen on the **validation** users; the **test** users' figures are the ones the
README reports. Each variant is ranked from the build's matrices (:mod:`.offline`), not from a
stored index, so trying one costs seconds; the dense blocks are made once and reweighted.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from movierec import catalog as catalog_module
from movierec.catalog import Catalog
from movierec.recommend import build, features, offline
from movierec.recommend.evaluate import K, Recommend, Scores, Trial, score, table, trials
from movierec.recommend.index import SimilarityIndex

__all__ = ["VARIANTS", "dense_matrix", "main", "ranked", "run"]

NO_DENSE = {"semantic": 0.0, "collaborative": 0.0}
# name → (sparse weights, dense weights) over the defaults
VARIANTS: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "today's model (sparse blocks)": ({}, NO_DENSE),
    "+ semantic": ({}, {"collaborative": 0.0}),
    "+ collaborative": ({}, {"semantic": 0.0}),
    "+ semantic + collaborative (chosen)": ({}, {}),
    **{f"chosen without {name}": ({name: 0.0}, {}) for name in features.DEFAULT_WEIGHTS},
    "chosen, semantic ×2": ({}, {"semantic": 2 * build.DENSE_WEIGHTS["semantic"]}),
    "chosen, collaborative ×2": ({}, {"collaborative": 2 * build.DENSE_WEIGHTS["collaborative"]}),
}


def dense_matrix(index: SimilarityIndex) -> npt.NDArray[np.float32] | None:
    """The dense blocks side by side, each film's vector scaled so that dot products are the
    blocks' part of the cosine (zero rows for films outside a block)."""
    n = len(index.ids)
    parts = []
    for block in index.dense:
        full = np.zeros((n, block.steps.shape[1]), dtype=np.float32)
        full[block.rows] = block.steps * block.scale[:, np.newaxis]
        parts.append(full)
    return np.hstack(parts) if parts else None


def ranked(index: SimilarityIndex, catalog: Catalog, seeds: list[int]) -> Recommend:
    lists = offline.top_lists(
        index.matrix.to_scipy(), dense_matrix(index), index.prior, seeds, catalog.collection, K
    )
    return lambda seed: lists.get(seed, [])


def run(
    folder: Path,
    source: Path,
    catalog: Catalog,
    parts: dict[str, list[Trial]],
    progress: Callable[[str], None] = print,
) -> dict[str, list[Scores]]:
    """Part name → every variant's scores on that part's trials."""
    fields = features.read_fields(folder)
    blocks = build.dense_blocks(folder, fields, source)
    seeds = sorted({t.seed for cases in parts.values() for t in cases})
    out: dict[str, list[Scores]] = {name: [] for name in parts}
    for name, (weights, dense_weights) in VARIANTS.items():
        index = build.build(
            folder,
            weights,
            precompute=False,
            fields=fields,
            dense_weights=dense_weights,
            blocks=blocks,
        )
        recommend = ranked(index, catalog, seeds)
        for part, cases in parts.items():
            out[part].append(score(name, recommend, cases, catalog))
        progress(f"{name}: done")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m movierec.recommend.study", description=__doc__)
    parser.add_argument("--source", type=Path, required=True, help="folder with ratings_small")
    parser.add_argument("--data", type=Path, default=catalog_module.DEFAULT_DATA)
    args = parser.parse_args(argv)
    catalog = catalog_module.load(args.data)
    parts = {part: trials(args.source, catalog, part) for part in ("validation", "test")}
    for part, scores in run(args.data, args.source, catalog, parts, lambda _line: None).items():
        print(f"\n{part} users: {len(parts[part])} trials")
        print(table(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
