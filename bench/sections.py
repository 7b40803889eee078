"""The comparisons of ``make bench``, one function per part of the table: what people type
(resolve + answer), recommendations (stored, pages, on the fly, precomputation), the six
questions. Both sides get the same inputs, alternate, and are timed in CPU time
(``bench.measure.alternate``)."""

from __future__ import annotations

import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from bench import queries
from bench.measure import alternate
from bench.queries import Query
from bench.reference import Classic
from bench.report import Row, latency_rows, ms, ratio, verdict
from movierec import npz
from movierec.engine import Engine
from movierec.recommend import build
from movierec.recommend import index as index_module
from movierec.recommend.explained import STORED_SLOTS
from movierec.results import Ambiguous, Filters, Invalid, Match, Recommendations, Resolution

__all__ = ["questions", "recommendations", "resolution"]

MS = 1.0  # target figures below are in ms


def _rounds(quick: bool) -> int:
    return 1 if quick else 3


def right(found: Resolution, expected: int) -> bool:
    """Found: one answer, or a question whose first choice (the one offered first) it is."""
    if isinstance(found, Match):
        return found.candidate.key == expected
    return isinstance(found, Ambiguous) and found.candidates[0].key == expected


# -- what people type ---------------------------------------------------------------------------


def resolution(engine: Engine, classic: Classic, quick: bool) -> list[Row]:
    c = engine.catalog
    films_of = {role: c.people(role).films.sizes() for role in ("actor", "director")}

    def ours(q: Query) -> bool:
        if q.kind == "title":
            found = engine.resolve_title(q.typed)
            if isinstance(found, Match):
                engine.score(found.candidate.key)
            return right(found, q.expected)
        found = engine.resolve_person(q.kind, q.typed)
        if isinstance(found, Match):
            engine.person(q.kind, found.candidate.key)
        return right(found, q.expected)

    def theirs(q: Query) -> bool:
        if q.kind == "title":  # /score: the first title containing the text, its figures
            row = classic._title(q.typed)
            _answer = (row["title"], int(row["release_year"]), float(row["popularity"]))
            return int(row["id"]) == q.expected
        if q.kind == "actor":  # the films whose cast contains the text, their returns
            count = classic.get_actor(q.typed)[1]
        else:
            count = len(classic.get_director(q.typed)[2])
        return count == int(films_of[q.kind][q.expected])

    traffic = queries.traffic(c, 60 if quick else 200)
    sets = {
        "titles with one typo": [q for q in traffic if q.kind == "title" and "typo" in q.category],
        "titles with a year": [q for q in traffic if q.kind == "title" and "year" in q.category],
        "people with one typo": [q for q in traffic if q.kind != "title" and q.category == "typo"],
        "exact hits (titles and names as written)": [q for q in traffic if q.category == "exact"],
        f"the whole query set ({len(traffic)} queries, 57% with a typo)": traffic,
    }
    rows = _lookups_alone(engine, classic, sets, quick)
    for name, subset in sets.items():
        if not subset:
            continue
        timed = alternate(
            {"movierec": ours, "classic": theirs},
            subset,
            _rounds(quick),
            failed=lambda result: result is not True,
        )
        mine, ref = timed["movierec"], timed["classic"]
        rows += latency_rows(f"resolve + answer, {name}", mine, ref)
        n = len(subset)
        rows.append(
            Row(f"… answered right, {name}", f"{n - mine.failed}/{n}", f"{n - ref.failed}/{n}")
        )
    table = queries.typo_titles(c, 200)
    found = sum(right(engine.resolve_title(t), m) for t, m in table)
    theirs_found = sum(classic.title_id(t) == m for t, m in table)
    rows.append(
        Row(
            f"one typo in each of the {len(table)} most-voted unique titles: found",
            f"{found}/{len(table)}",
            f"{theirs_found}/{len(table)}",
        )
    )
    return rows


def _lookups_alone(
    engine: Engine, classic: Classic, sets: dict[str, list[Query]], quick: bool
) -> list[Row]:
    """What the typo targets are about: finding what was meant, without the answer (the
    classic side: its lookup, ``str.contains``)."""
    columns = {"actor": "actors", "director": "directors"}

    def ours(q: Query) -> object:
        if q.kind == "title":
            return engine.resolve_title(q.typed)
        return engine.resolve_person(q.kind, q.typed)

    def theirs(q: Query) -> object:
        if q.kind == "title":
            return classic.title_id(q.typed)
        return classic.films_of(columns[q.kind], q.typed)

    targets = {
        "titles with one typo": (0.5 * MS, 1.5 * MS),
        "people with one typo": (0.6 * MS, None),
    }
    rows: list[Row] = []
    for name, (p50, p99) in targets.items():
        if sets[name]:
            timed = alternate({"movierec": ours, "classic": theirs}, sets[name], _rounds(quick))
            rows += latency_rows(
                f"finding what was meant, {name}", timed["movierec"], timed["classic"], p50, p99
            )
    return rows


# -- recommendations ----------------------------------------------------------------------------


def recommendations(
    engine: Engine, classic: Classic, data: Path, quick: bool, seed: int
) -> list[Row]:
    c = engine.catalog
    rec = engine._recommender
    if not np.array_equal(classic.df["id"].to_numpy(), c.ids):
        raise RuntimeError("the classic reference orders films unlike the catalog")
    with_features = np.flatnonzero(rec._has_features)
    rng = np.random.default_rng(seed)
    sample = rng.choice(with_features, size=min(20 if quick else 150, len(with_features)))
    rows_of = {int(c.ids[r]): int(r) for r in sample}
    ids = list(rows_of)
    rounds = _rounds(quick)

    timed = alternate(
        {
            "movierec": lambda m: engine.similar(m, 5),
            "sorted": lambda m: classic.recommend_row(rows_of[m]),
            "argpartition": lambda m: classic.recommend_rows_top([rows_of[m]]),
        },
        ids,
        rounds,
    )
    mine = timed["movierec"]
    out = latency_rows(
        "similar(id, k=5) with reasons, vs the classic scan + sorted()",
        mine,
        timed["sorted"],
        0.030 * MS,
        0.100 * MS,
    )
    out += latency_rows(
        "similar(id, k=5) with reasons, vs the scan + argpartition", mine, timed["argpartition"]
    )
    out += _precomputation(engine, data, quick, timed["argpartition"].p50_ms - mine.p50_ms)
    out += _pages(engine, ids, rounds)
    out += _on_the_fly(engine, classic, rows_of, rounds)
    return out


def _precomputation(engine: Engine, data: Path, quick: bool, gain_ms: float) -> list[Row]:
    """What serving by lookup costs ahead: the ETL's neighbour lists (timed on a sample of
    films, scaled), and what the first start after a build computes when unpacking."""
    index = engine._recommender.index
    matrix = index.matrix.to_scipy()
    n = matrix.shape[0]
    films = min(n, 512 if quick else 2048)
    started = time.process_time()
    build.top_neighbours(matrix, index.prior, rows=range(films))
    neighbours = (time.process_time() - started) * n / films
    path = data / index_module.FILE_NAME  # read as the bot reads it: its unpacked copy
    arrays = npz.read(path, index_module._derive, index_module.DERIVED_VERSION)
    started = time.process_time()
    index_module._derive(dict(arrays))
    derived = time.process_time() - started
    rows = [
        Row(
            f"precomputation: every film's {index_module.TOP_N} neighbours (`make data`; "
            f"timed on {films:,} films, scaled to {n:,})",
            f"{neighbours:,.0f} s CPU",
        ),
        Row(
            f"precomputation: reasons of the first {STORED_SLOTS} neighbours, features by "
            "column (once per data build, at the first start)",
            f"{derived:.1f} s CPU",
        ),
    ]
    if gain_ms > 0:
        rows.append(
            Row(
                "… paid back after (vs the classic argpartition scan)",
                f"{(neighbours + derived) / (gain_ms / 1000):,.0f} recommendations",
            )
        )
    return rows


def _pages(engine: Engine, ids: list[int], rounds: int) -> list[Row]:
    """Pages of a film's list: each costs one page, whatever its number (the first pages'
    reasons precomputed, later ones explained when asked); the seed engine explained every
    film up to the page asked."""
    last = index_module.TOP_N // 5 - 1
    paged = [m for m in ids if isinstance(engine.recommendations(m, last, 5), Recommendations)]
    if not paged:
        return [Row("recommendations, a page beyond the first", "no film here has 50")]
    pages = {"page 1": 0, "page 2": 1, "page 4": 3, f"page {last + 1}": last}
    calls: dict[str, Any] = {name: partial(_page, engine, page) for name, page in pages.items()}
    calls["seed"] = partial(_seed_page, engine, last)
    timed = alternate(calls, paged, rounds)
    rows = [
        Row(
            f"recommendations {name} (films {5 * page + 1}-{5 * page + 5}) p50",
            ms(timed[name].p50_ms),
        )
        for name, page in pages.items()
    ]
    final, fourth = timed[f"page {last + 1}"], timed["page 4"]
    rows.append(
        Row(
            f"… page {last + 1} p50 vs the seed engine's way ({5 * last + 5} films explained)",
            ms(final.p50_ms),
            ms(timed["seed"].p50_ms),
            ratio(timed["seed"].p50_ms, final.p50_ms),
            f"≤ 1.5 × page 4 ({ms(fourth.p50_ms)}): one page",
            verdict(final.p50_ms <= 1.5 * fourth.p50_ms),
        )
    )
    return rows


def _page(engine: Engine, page: int, movie_id: int) -> object:
    return engine.recommendations(movie_id, page, 5)


def _seed_page(engine: Engine, page: int, movie_id: int) -> object:
    found = engine.similar(movie_id, min(5 * page + 6, index_module.TOP_N))
    return None if isinstance(found, Invalid) else found[5 * page : 5 * page + 5]


def _on_the_fly(
    engine: Engine, classic: Classic, rows_of: dict[int, int], rounds: int
) -> list[Row]:
    c = engine.catalog
    ids = list(rows_of)[:50]
    genre = Counter(g for names in c.genres for g in names).most_common(1)[0][0]
    cases: dict[str, tuple[Filters, np.ndarray[Any, Any]]] = {
        f"genre={genre}": (Filters(genre=genre), classic.genre_mask(genre)),
        "years 1990-1999": (
            Filters(year_from=1990, year_to=1999),
            (c.years >= 1990) & (c.years <= 1999),
        ),
        "at least 100 votes": (Filters(min_votes=100), c.vote_count >= 100),
    }

    def ours(filters: Filters, movie_id: int) -> object:
        return engine.similar(movie_id, 5, filters)

    def theirs(allowed: np.ndarray[Any, Any], movie_id: int) -> object:
        return classic.recommend_rows_top([rows_of[movie_id]], allowed)

    out: list[Row] = []
    for name, (filters, allowed) in cases.items():
        timed = alternate(
            {"movierec": partial(ours, filters), "classic": partial(theirs, allowed)}, ids, rounds
        )
        out += latency_rows(
            f"ranking on the fly: filter {name}", timed["movierec"], timed["classic"], 1.0 * MS
        )
    pairs = list(zip(ids[::2], ids[1::2], strict=False))
    timed = alternate(
        {
            "movierec": lambda p: engine.similar_to_many(list(p), 5),
            "classic": lambda p: classic.recommend_rows_top([rows_of[p[0]], rows_of[p[1]]]),
        },
        pairs,
        rounds,
    )
    out += latency_rows(
        "ranking on the fly: two films", timed["movierec"], timed["classic"], 1.0 * MS
    )
    out += _fallback(engine, classic, rounds)
    return out


def _fallback(engine: Engine, classic: Classic, rounds: int) -> list[Row]:
    """Films whose stored list runs short of 5 after the collection cap: ranked on the fly."""
    rec = engine._recommender
    index = rec.index
    width = index.neighbours.shape[1] if index.neighbours is not None else 0
    short = []
    for row in np.flatnonzero(rec._has_features).tolist():
        stored = index.neighbours_of(row)
        if len(stored) == width and len(rec._walk(stored, {row}, 5)) < 5:
            short.append(row)
    if not short:
        return [Row("ranking on the fly: a film whose stored list runs short", "none here")]
    films = [int(engine.catalog.ids[r]) for r in short[:50]]
    row_of = dict(zip(films, short, strict=False))
    timed = alternate(
        {
            "movierec": lambda m: engine.similar(m, 5),
            "classic": lambda m: classic.recommend_rows_top([row_of[m]]),
        },
        films,
        rounds,
    )
    return latency_rows(
        f"ranking on the fly: a film whose stored list runs short ({len(short)} films)",
        timed["movierec"],
        timed["classic"],
        1.0 * MS,
    )


# -- the six questions ---------------------------------------------------------------------------


def questions(engine: Engine, classic: Classic, quick: bool) -> list[Row]:
    """The original endpoints, each as the bot answers it: what was typed resolved, then
    answered; /mes and /dia count films (nothing to resolve)."""
    c = engine.catalog
    n = 20 if quick else 200
    titles = [c.titles[r] for r in queries.popular_titles(c, n)]
    names = {
        role: [c.people(role).names[p] for p in queries.busiest_people(c, role, n)]
        for role in ("actor", "director")
    }

    def title_then(answer: Any) -> Any:
        def call(typed: str) -> object:
            found = engine.resolve_title(typed)
            return answer(found.candidate.key) if isinstance(found, Match) else None

        return call

    def person_then(role: Any) -> Any:
        def call(typed: str) -> object:
            found = engine.resolve_person(role, typed)
            return engine.person(role, found.candidate.key) if isinstance(found, Match) else None

        return call

    cases: list[tuple[str, Any, Any, list[str]]] = [
        (
            "/mes enero",
            lambda _: engine.month("enero"),
            classic.cantidad_filmaciones_mes,
            ["enero"] * n,
        ),
        (
            "/dia viernes",
            lambda _: engine.weekday("viernes"),
            classic.cantidad_filmaciones_dia,
            ["viernes"] * n,
        ),
        ("/score <title>", title_then(engine.score), classic.score_titulo, titles),
        ("/votos <title>", title_then(engine.votes), classic.votos_titulo, titles),
        ("/actor <name>", person_then("actor"), classic.get_actor, names["actor"]),
        ("/director <name>", person_then("director"), classic.get_director, names["director"]),
        (  # a phone's first keystrokes in inline mode: the widest prefixes, the costliest
            "inline @bot <1-3 first letters of a title> (classic: titles containing them)",
            lambda typed: engine.typeahead(typed, 21),
            classic.typeahead,
            [title[: 1 + i % 3] for i, title in enumerate(titles)],
        ),
    ]
    rows: list[Row] = []
    for name, ours, theirs, inputs in cases:
        if not inputs:
            continue
        timed = alternate({"movierec": ours, "classic": theirs}, inputs, _rounds(quick))
        rows += latency_rows(f"{name}: resolve + answer", timed["movierec"], timed["classic"])
    return rows
