"""The six questions, checked against values the test computes itself from the parquet files."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from movierec.results import Invalid, MonthCount, WeekdayCount
from tests.conftest import SHIPPED_DATA

MONTH_NAMES = {"enero": 1, "marzo": 3, "setiembre": 9, "diciembre": 12, "July": 7, "abr": 4}
WEEKDAY_NAMES = {"lunes": 0, "miércoles": 2, "viernes": 4, "sabado": 5, "Sunday": 6}


@pytest.fixture(scope="module")
def credits() -> pd.DataFrame:
    return pq.read_table(SHIPPED_DATA / "credits.parquet").to_pandas()


@pytest.mark.parametrize(("raw", "month"), MONTH_NAMES.items())
def test_month_counts_the_whole_catalog(shipped_engine, shipped_movies, raw, month) -> None:
    expected = int((pd.to_datetime(shipped_movies.release_date).dt.month == month).sum())
    assert shipped_engine.queries.films_in_month(raw) == MonthCount(month, expected)


@pytest.mark.parametrize(("raw", "day"), WEEKDAY_NAMES.items())
def test_weekday_counts(shipped_engine, shipped_movies, raw, day) -> None:
    expected = int((pd.to_datetime(shipped_movies.release_date).dt.day_of_week == day).sum())
    assert shipped_engine.queries.films_on_weekday(raw) == WeekdayCount(day, expected)


def test_month_and_weekday_totals_add_up(shipped_engine, shipped_movies) -> None:
    q = shipped_engine.queries
    assert sum(q.films_in_month(str(m)).count for m in range(1, 13)) == len(shipped_movies)
    days = ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"]
    assert sum(q.films_on_weekday(d).count for d in days) == len(shipped_movies)


def test_unknown_month_and_weekday(shipped_engine) -> None:
    assert shipped_engine.queries.films_in_month("brumario").reason == "unknown_month"
    assert shipped_engine.queries.films_on_weekday("").reason == "unknown_weekday"


def test_score(shipped_engine, shipped_movies) -> None:
    row = shipped_movies[shipped_movies.id == 680].iloc[0]
    score = shipped_engine.queries.score(680)
    assert (score.title, score.year) == ("Pulp Fiction", row.release_date.year)
    assert score.popularity == pytest.approx(row.popularity)
    assert score.vote_average == pytest.approx(row.vote_average)


def test_votes_apply_the_threshold(shipped_engine, shipped_movies) -> None:
    many = shipped_movies[shipped_movies.vote_count >= 2000].iloc[0]
    few = shipped_movies[(shipped_movies.vote_count > 0) & (shipped_movies.vote_count < 2000)]
    few = few.iloc[0]
    yes = shipped_engine.queries.votes(int(many.id))
    no = shipped_engine.queries.votes(int(few.id))
    assert yes.meets_threshold and yes.vote_count == many.vote_count
    assert not no.meets_threshold and no.vote_count == few.vote_count and no.threshold == 2000


def test_unknown_ids(shipped_engine) -> None:
    assert shipped_engine.queries.score(-1) == Invalid("unknown_movie")
    assert shipped_engine.queries.votes(10**9) == Invalid("unknown_movie")
    assert shipped_engine.queries.person("actor", -5) == Invalid("unknown_person")
    assert shipped_engine.queries.person("director", 10**9) == Invalid("unknown_person")


def expected_person(movies: pd.DataFrame, credits: pd.DataFrame, name: str, acting: bool):
    mask = credits.kind.eq("cast") if acting else credits.job.eq("Director")
    ids = set(credits[mask & credits.name.eq(name)].movie_id)
    films = movies[movies.id.isin(ids)]
    known = films[films["return"] > 0]
    return films, len(known), float(known["return"].sum())


@pytest.mark.parametrize("name", ["Tom Hanks", "Penélope Cruz", "Robert De Niro"])
def test_actor(shipped_engine, shipped_movies, credits, name) -> None:
    person = shipped_engine.catalog.actors.names.index(name)
    report = shipped_engine.queries.person("actor", person)
    films, n_known, total = expected_person(shipped_movies, credits, name, acting=True)
    assert report.film_count == len(films)
    assert report.films_with_return == n_known
    assert report.total_return == pytest.approx(total)
    assert report.average_return == pytest.approx(total / n_known)


def test_directing_credits_do_not_count_as_acting(shipped_engine, credits) -> None:
    name = "Quentin Tarantino"  # acts in some of the films he directs, not all
    person = shipped_engine.catalog.actors.names.index(name)
    acted = set(credits[credits.kind.eq("cast") & credits.name.eq(name)].movie_id)
    directed = set(credits[credits.job.eq("Director") & credits.name.eq(name)].movie_id)
    assert directed - acted, "the example needs a film he directed without acting"
    report = shipped_engine.queries.person("actor", person)
    assert {f.movie_id for f in report.films} == acted


def test_director(shipped_engine, shipped_movies, credits) -> None:
    person = shipped_engine.catalog.directors.names.index("John Lasseter")
    report = shipped_engine.queries.person("director", person)
    films, n_known, total = expected_person(shipped_movies, credits, "John Lasseter", False)
    assert report.film_count == len(films) and report.films_with_return == n_known
    assert report.total_return == pytest.approx(total)
    dates = [f.release_date for f in report.films]
    assert dates == sorted(dates)
    toy = next(f for f in report.films if f.movie_id == 862)
    assert (toy.budget, toy.revenue) == (30_000_000, 373_554_033)
    assert toy.return_ == pytest.approx(373_554_033 / 30_000_000)
    assert str(toy.release_date) == "1995-10-30"
