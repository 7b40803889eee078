"""What a full build derives from the fresh tables: the recommender index, the snapshot, and
the films' original languages for /descubrir."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from movierec import catalog, snapshot
from movierec.discover import languages as discover_languages
from movierec.recommend import build as index_build
from movierec.search import keys

__all__ = ["default_steps", "index_step", "snapshot_step"]


def index_step(staging: Path, source: Path | None = None) -> dict[str, object]:
    return index_build.build_step(staging, source)


def snapshot_step(staging: Path) -> dict[str, object]:
    """The catalog and search key tables as flat arrays: what the bot starts from."""
    built = catalog.load(staging)
    snapshot.save(built, keys.build_tables(built), staging / snapshot.FILE_NAME)
    return {"snapshot": {"file": snapshot.FILE_NAME, "version": snapshot.VERSION}}


def default_steps() -> list[Callable[..., dict[str, object]]]:
    return [index_step, snapshot_step, discover_languages.build_step]
