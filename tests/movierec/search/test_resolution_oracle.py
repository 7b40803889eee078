"""Resolution answers exactly what the original code answered (a per-key rapidfuzz loop over an
argpartition shortlist, :mod:`tests.movierec.search.seed_matching`), on query tables derived
from the catalog under test: typos, years, exact titles, people, fragments and gibberish.
The fixed typo table (``typo_titles.json``, one typo in each of the 200 most-voted unique
titles of the shipped catalog) also pins the accuracy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import queries
from movierec.results import Ambiguous, Match, Resolution
from tests.movierec.search import seed_matching
from tests.movierec.search.test_matching import PEOPLE, TITLES, outcome

TYPO_TABLE = Path(__file__).with_name("typo_titles.json")
# of 200 on the shipped catalog: answered with the film (the original code: 195), and found
# (answered, or offered first in a question; the bench's figure: 197 before the article rule)
TYPO_RIGHT = 197
TYPO_FOUND = 199


@pytest.fixture(scope="module")
def seed(shipped_engine):
    c = shipped_engine.catalog
    tables = {
        "title": shipped_engine._titles.tables,
        "actor": shipped_engine._people["actor"].tables,
        "director": shipped_engine._people["director"].tables,
    }
    return {
        "title": seed_matching.TitleResolver(c, tables["title"]).resolve,
        "actor": seed_matching.PersonResolver(c, c.actors, tables["actor"]).resolve,
        "director": seed_matching.PersonResolver(c, c.directors, tables["director"]).resolve,
    }


def ours(engine, kind: str, typed: str) -> Resolution:
    return engine.resolve_title(typed) if kind == "title" else engine.resolve_person(kind, typed)


def query_table(engine) -> list[tuple[str, str]]:
    c = engine.catalog
    table = [("title", typed) for typed, _ in TITLES] + [(r, q) for r, q, _ in PEOPLE]
    table += [("title", typed) for typed, _ in queries.typo_titles(c, 150)]
    table += [(q.kind, q.typed) for q in queries.traffic(c, 300)]
    table += [("title", f"{typed} 1998") for typed, _ in queries.typo_titles(c, 40, seed=5)]
    table += [
        ("title", q)
        for q in ("harry potter", "star", "love", "the", "zzzxxq", "a", "ab", "2 3", "x 1999")
    ]
    return table


def test_answers_equal_the_original_code(shipped_engine, seed) -> None:
    differences = [
        (kind, typed)
        for kind, typed in query_table(shipped_engine)
        if outcome(ours(shipped_engine, kind, typed)) != outcome(seed[kind](typed))
    ]
    assert differences == []


def test_answers_equal_the_original_code_on_the_mini_catalog(mini_catalog_dir) -> None:
    from movierec.engine import Engine

    engine = Engine.load(mini_catalog_dir)
    c = engine.catalog
    resolvers = {
        "title": seed_matching.TitleResolver(c, engine._titles.tables).resolve,
        "actor": seed_matching.PersonResolver(c, c.actors, engine._people["actor"].tables).resolve,
        "director": seed_matching.PersonResolver(
            c, c.directors, engine._people["director"].tables
        ).resolve,
    }
    for kind, typed in query_table(engine):
        assert outcome(ours(engine, kind, typed)) == outcome(resolvers[kind](typed)), typed


@pytest.mark.shipped
def test_one_typo_finds_the_film(shipped_engine) -> None:
    table = json.loads(TYPO_TABLE.read_text(encoding="utf-8"))
    assert len(table) == 200
    right = [
        isinstance(found := shipped_engine.resolve_title(row["typed"]), Match)
        and found.candidate.key == row["movie_id"]
        for row in table
    ]
    assert sum(right) >= TYPO_RIGHT
    found = [
        isinstance(result := shipped_engine.resolve_title(row["typed"]), Match | Ambiguous)
        and (result.candidate if isinstance(result, Match) else result.candidates[0]).key
        == row["movie_id"]
        for row in table
    ]
    assert sum(found) >= TYPO_FOUND


def test_the_ratio_shortcut_answers_as_the_full_scoring(shipped_engine, monkeypatch) -> None:
    """A clear typo is answered from the whole-string ratios alone (``_clear_winner``); with
    the shortcut off every answer must be the same, and the shortcut must answer some.
    (The resolvers are called directly: the engine remembers answers.)"""
    resolvers = {"title": shipped_engine._titles, **shipped_engine._people}
    table = [*query_table(shipped_engine), ("title", "the dark knigth 2008")]
    fast = [outcome(resolvers[kind].resolve(typed)) for kind, typed in table]
    taken = []
    for resolver in resolvers.values():
        clear = resolver._clear_winner

        def counted(*args, clear=clear):
            found = clear(*args)
            taken.append(found is not None)
            return found

        monkeypatch.setattr(resolver, "_clear_winner", counted)
    assert [outcome(resolvers[kind].resolve(typed)) for kind, typed in table] == fast
    assert 0 < sum(taken) < len(taken)
    for resolver in resolvers.values():
        monkeypatch.setattr(resolver, "_clear_winner", lambda *args: None)
    assert [outcome(resolvers[kind].resolve(typed)) for kind, typed in table] == fast
