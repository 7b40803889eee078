"""Each film's original language: a small derived file, ``discover.npz``, made at build time.

The runtime catalog has no language column (it is not needed to answer the contract's
questions), and reading the parquet at start-up would load pyarrow. So the build writes the
two-letter codes here, aligned with the catalog's TMDB ids. Where TMDB's ``original_language``
is missing (most films before August 2008 in the shipped build) a spoken language stands in,
preferring one a producing country speaks: an approximation, said so in the README.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from movierec import npz
from movierec.discover.vocabulary import COUNTRY_LANGUAGES, SPOKEN_NAMES

__all__ = ["FILE_NAME", "Loader", "build", "build_step", "codes", "load"]

FILE_NAME = "discover.npz"
Loader = Callable[[], "npt.NDArray[np.str_] | None"]  # called on the first language query
log = logging.getLogger(__name__)


def codes(
    original: list[str | None],
    spoken: list[list[str] | None],
    countries: list[list[str] | None] | None = None,
) -> list[str]:
    """The original language; else, of the spoken ones we know, the first that a producing
    country speaks, else the first; else ''."""
    out = []
    for i, (lang, languages) in enumerate(zip(original, spoken, strict=True)):
        if not lang and languages:
            known = [SPOKEN_NAMES[s] for s in languages if s in SPOKEN_NAMES]
            produced = (
                {COUNTRY_LANGUAGES.get(c) for c in (countries[i] or [])} if countries else set()
            )
            lang = next((k for k in known if k in produced), known[0] if known else None)
        out.append((lang or "")[:2])
    return out


def build(folder: Path, target: Path | None = None) -> Path:
    """Write ``folder/discover.npz`` (or ``target``) from ``folder/movies.parquet``."""
    import pyarrow.parquet as pq

    table = pq.ParquetFile(folder / "movies.parquet").read(
        columns=["id", "original_language", "spoken_languages", "production_countries"]
    )
    ids = table["id"].to_numpy().astype(np.int32)
    langs = codes(
        table["original_language"].to_pylist(),
        table["spoken_languages"].to_pylist(),
        table["production_countries"].to_pylist(),
    )
    target = target or folder / FILE_NAME
    npz.write(target, {"ids": ids, "language": np.array(langs, dtype="<U2")})
    return target


def build_step(staging: Path) -> dict[str, object]:
    """The ETL's derived step (movierec.etl.derived): the file and what it holds."""
    build(staging)
    return {"discover": {"file": FILE_NAME}}


def load(folder: Path, ids: npt.NDArray[np.int32]) -> npt.NDArray[np.str_] | None:
    """Codes per catalog row, or ``None`` when the file is missing or made for another build."""
    path = folder / FILE_NAME
    if not path.is_file():
        return None
    try:
        arrays = npz.read(path)
    except npz.NpzError as error:
        log.warning("%s; /descubrir answers without languages", error)
        return None
    stored, language = arrays.get("ids"), arrays.get("language")
    if stored is None or language is None or not np.array_equal(stored, ids):
        log.warning("%s was made for another catalog build; run `make data`", path)
        return None
    return language.astype("<U2")


if __name__ == "__main__":  # python -m movierec.discover.languages [data folder]
    import sys

    from movierec.catalog import DEFAULT_DATA

    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA))
