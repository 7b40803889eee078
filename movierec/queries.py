"""The six questions of the original contract, answered over the catalog's arrays."""

from __future__ import annotations

import numpy as np

from movierec.catalog import Catalog
from movierec.results import (
    Invalid,
    MonthCount,
    PersonFilm,
    PersonReport,
    Role,
    Score,
    Votes,
    WeekdayCount,
)
from movierec.search.calendar import parse_month, parse_weekday

__all__ = ["MIN_VOTES", "Queries"]

MIN_VOTES = 2000  # /votos answers only for films with at least this many votes


class Queries:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        months = catalog.dates.astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
        self._per_month = np.bincount(months, minlength=12)
        # 1970-01-01 was a Thursday (weekday 3)
        weekdays = (catalog.dates.astype(np.int64) + 3) % 7
        self._per_weekday = np.bincount(weekdays, minlength=7)

    def films_in_month(self, raw: str | None) -> MonthCount | Invalid:
        month = parse_month(raw)
        if month is None:
            return Invalid("unknown_month")
        return MonthCount(month, int(self._per_month[month - 1]))

    def films_on_weekday(self, raw: str | None) -> WeekdayCount | Invalid:
        weekday = parse_weekday(raw)
        if weekday is None:
            return Invalid("unknown_weekday")
        return WeekdayCount(weekday, int(self._per_weekday[weekday]))

    def _row(self, movie_id: int) -> int | None:
        return self.catalog.row(movie_id)

    def score(self, movie_id: int) -> Score | Invalid:
        row = self._row(movie_id)
        if row is None:
            return Invalid("unknown_movie")
        c = self.catalog
        return Score(
            movie_id,
            c.titles[row],
            int(c.years[row]),
            float(c.popularity[row]),
            float(c.vote_average[row]),
        )

    def votes(self, movie_id: int) -> Votes | Invalid:
        row = self._row(movie_id)
        if row is None:
            return Invalid("unknown_movie")
        c = self.catalog
        count = int(c.vote_count[row])
        return Votes(
            movie_id,
            c.titles[row],
            int(c.years[row]),
            count,
            float(c.vote_average[row]),
            meets_threshold=count >= MIN_VOTES,
            threshold=MIN_VOTES,
        )

    def person(self, role: Role, person: int) -> PersonReport | Invalid:
        people = self.catalog.people(role)
        if not 0 <= person < len(people):
            return Invalid("unknown_person")
        c = self.catalog
        rows = people.films[person]
        returns = c.returns[rows]
        known = returns > 0
        films = tuple(
            PersonFilm(
                movie_id=int(c.ids[r]),
                title=c.titles[r],
                release_date=c.dates[r].item(),
                return_=float(c.returns[r]),
                budget=int(c.budget[r]),
                revenue=int(c.revenue[r]),
            )
            for r in rows.tolist()
        )
        total = float(returns[known].sum())
        with_return = int(known.sum())
        budget = float(c.budget[rows][known].sum())
        revenue = float(c.revenue[rows][known].sum())
        return PersonReport(
            role=role,
            name=people.names[person],
            film_count=len(rows),
            films_with_return=with_return,
            total_return=total,
            average_return=total / with_return if with_return else 0.0,
            overall_return=revenue / budget if budget > 0 else 0.0,
            films=films,
        )
