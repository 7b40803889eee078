"""The six questions, checked against values the test computes itself from the parquet files."""

from __future__ import annotations

import pandas as pd
import pytest

from movierec.queries import MIN_VOTES
from movierec.results import Invalid, MonthCount, PersonReport, WeekdayCount

MONTH_NAMES = {"enero": 1, "marzo": 3, "setiembre": 9, "diciembre": 12, "July": 7, "abr": 4}
WEEKDAY_NAMES = {"lunes": 0, "miércoles": 2, "viernes": 4, "sabado": 5, "Sunday": 6}


@pytest.fixture(scope="module")
def credits(shipped_credits) -> pd.DataFrame:
    return shipped_credits


@pytest.mark.parametrize(("raw", "month"), MONTH_NAMES.items())
def test_month_counts_the_whole_catalog(shipped_engine, shipped_movies, raw, month) -> None:
    expected = int((pd.to_datetime(shipped_movies.release_date).dt.month == month).sum())
    assert shipped_engine.month(raw) == MonthCount(month, expected)


@pytest.mark.parametrize(("raw", "day"), WEEKDAY_NAMES.items())
def test_weekday_counts(shipped_engine, shipped_movies, raw, day) -> None:
    expected = int((pd.to_datetime(shipped_movies.release_date).dt.day_of_week == day).sum())
    assert shipped_engine.weekday(raw) == WeekdayCount(day, expected)


def test_month_and_weekday_totals_add_up(shipped_engine, shipped_movies) -> None:
    engine = shipped_engine
    assert sum(engine.month(str(m)).count for m in range(1, 13)) == len(shipped_movies)
    days = ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"]
    assert sum(engine.weekday(d).count for d in days) == len(shipped_movies)


def test_unknown_month_and_weekday(shipped_engine) -> None:
    assert shipped_engine.month("brumario").reason == "unknown_month"
    assert shipped_engine.weekday("").reason == "unknown_weekday"


def test_score(shipped_engine, shipped_movies) -> None:
    row = shipped_movies.sort_values("vote_count", ascending=False).iloc[0]
    score = shipped_engine.score(int(row.id))
    assert (score.title, score.year) == (row.title, row.release_date.year)
    assert score.popularity == pytest.approx(row.popularity)
    assert score.vote_average == pytest.approx(row.vote_average)


def test_votes_apply_the_threshold(shipped_engine, shipped_movies) -> None:
    # the most voted films (over the threshold in any real catalog) and a random few
    top = shipped_movies.sort_values("vote_count", ascending=False).head(20)
    sample = shipped_movies.sample(n=min(100, len(shipped_movies)), random_state=5)
    for film in pd.concat([top, sample]).itertuples():
        votes = shipped_engine.votes(int(film.id))
        assert (votes.title, votes.year) == (film.title, film.release_date.year)
        assert votes.vote_count == film.vote_count
        assert votes.vote_average == pytest.approx(film.vote_average)
        assert votes.threshold == MIN_VOTES == 2000  # the contract's figure
        assert votes.meets_threshold == (film.vote_count >= MIN_VOTES)


def test_unknown_ids(shipped_engine) -> None:
    assert shipped_engine.score(-1) == Invalid("unknown_movie")
    assert shipped_engine.votes(10**9) == Invalid("unknown_movie")
    assert shipped_engine.person("actor", -5) == Invalid("unknown_person")
    assert shipped_engine.person("director", 10**9) == Invalid("unknown_person")


def expected_person(movies: pd.DataFrame, credits: pd.DataFrame, name: str, acting: bool):
    mask = credits.kind.eq("cast") if acting else credits.job.eq("Director")
    ids = set(credits[mask & credits.name.eq(name)].movie_id)
    films = movies[movies.id.isin(ids)]
    known = films[films["return"] > 0]
    return films, len(known), float(known["return"].sum())


def busiest(credits: pd.DataFrame, acting: bool, n: int) -> list[str]:
    mask = credits.kind.eq("cast") if acting else credits.job.eq("Director")
    per_name = credits[mask].drop_duplicates(["movie_id", "name"]).name.value_counts()
    return per_name.index[:n].tolist()


def assert_report(report: PersonReport, movies: pd.DataFrame, credits, name, acting) -> None:
    films, n_known, total = expected_person(movies, credits, name, acting)
    assert report.name == name and report.film_count == len(films)
    assert report.films_with_return == n_known
    assert report.total_return == pytest.approx(total)
    assert report.average_return == pytest.approx(total / n_known if n_known else 0.0)
    known = films[films["return"] > 0]
    budget = known.budget.sum()
    assert report.overall_return == pytest.approx(known.revenue.sum() / budget if budget else 0.0)
    dates = [f.release_date for f in report.films]
    assert dates == sorted(dates)
    by_id = films.set_index("id")
    assert {f.movie_id for f in report.films} == set(by_id.index)
    for film in report.films:
        row = by_id.loc[film.movie_id]
        assert (film.title, film.release_date) == (row.title, row.release_date)
        assert (film.budget, film.revenue) == (row.budget, row.revenue)
        assert film.return_ == pytest.approx(row["return"])


@pytest.mark.parametrize("role", ["actor", "director"])
def test_people(shipped_engine, shipped_movies, credits, role) -> None:
    acting = role == "actor"
    people = shipped_engine.catalog.people(role)
    for name in busiest(credits, acting, 5):
        report = shipped_engine.person(role, people.names.index(name))
        assert_report(report, shipped_movies, credits, name, acting)


@pytest.mark.shipped
@pytest.mark.parametrize("name", ["Tom Hanks", "Penélope Cruz", "Robert De Niro"])
def test_actor(shipped_engine, shipped_movies, credits, name) -> None:
    person = shipped_engine.catalog.actors.names.index(name)
    report = shipped_engine.person("actor", person)
    assert_report(report, shipped_movies, credits, name, acting=True)


def test_directing_credits_do_not_count_as_acting(shipped_engine, credits) -> None:
    acted = credits[credits.kind.eq("cast")].groupby("name").movie_id.agg(set)
    directed = credits[credits.job.eq("Director")].groupby("name").movie_id.agg(set)
    # someone who acts in some of the films they direct, not all (Quentin Tarantino)
    both = [n for n in directed.index.intersection(acted.index) if directed[n] - acted[n]]
    if not both:
        pytest.skip("nobody both acts and directs in this catalog")
    for name in both[:20]:
        person = shipped_engine.catalog.actors.names.index(name)
        report = shipped_engine.person("actor", person)
        assert {f.movie_id for f in report.films} == acted[name]


@pytest.mark.shipped
def test_director(shipped_engine, shipped_movies, credits) -> None:
    person = shipped_engine.catalog.directors.names.index("John Lasseter")
    report = shipped_engine.person("director", person)
    assert_report(report, shipped_movies, credits, "John Lasseter", acting=False)
    toy = next(f for f in report.films if f.movie_id == 862)
    assert (toy.budget, toy.revenue) == (30_000_000, 373_554_033)
    assert toy.return_ == pytest.approx(373_554_033 / 30_000_000)
    assert str(toy.release_date) == "1995-10-30"
