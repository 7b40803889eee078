"""What serving loads: the bot starts from arrays, never from the build tools.

pandas, pyarrow and scikit-learn cost start-up time and memory (and pyarrow and sklearn are
only needed by the ETL); the engine and the bot's services must load without them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SHIPPED_DATA

ROOT = Path(__file__).resolve().parents[2]
BUILD_ONLY = (
    "pandas",
    "pyarrow",
    "sklearn",
    "movierec.etl",
    "movierec.recommend.build",
    "movierec.recommend.features",
    "movierec.recommend.evaluate",
)
PROBE = """
import json, sys
from pathlib import Path
data = Path(sys.argv[1])
from movierec.engine import Engine
from movierec.results import Filters
engine = Engine.load(data)
# every kind of question, so nothing is left to import lazily later
film = engine.popular(1)[0].key
engine.resolve_title(engine.catalog.titles[0]), engine.resolve_person("actor", "hanks")
engine.typeahead("to"), engine.month("enero"), engine.weekday("lunes"), engine.card(film)
engine.score(film), engine.votes(film), engine.person("director", 0)
genre = next(g for names in engine.catalog.genres for g in names)
engine.similar(film, 5, Filters(year_from=1990, genre=genre))
engine.similar_to_many([film, film]), engine.recommendations(film, 1, 5)
from handlers.app import load_services
from handlers.settings import Settings
services = load_services(Settings(state_db=None, data_dir=data))
print(json.dumps(sorted(sys.modules)))
"""


def loaded_modules(data: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_only(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == b or m.startswith(f"{b}.") for b in BUILD_ONLY)]


def test_the_bot_loads_without_the_build_tools() -> None:
    modules = loaded_modules(SHIPPED_DATA)
    assert "movierec.engine" in modules and "handlers.app" in modules
    assert build_only(modules) == []


def test_the_filter_names_what_it_finds() -> None:
    found = build_only(["pandas.core", "pandasx", "movierec.etl.pipeline", "numpy", "sklearn"])
    assert found == ["pandas.core", "movierec.etl.pipeline", "sklearn"]
