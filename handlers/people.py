"""/actor and /director: a person's films and their return."""

from __future__ import annotations

import math

from handlers import charts, texts
from handlers.reply import Button, Reply, fit, invalid
from handlers.services import Services
from handlers.texts import ratio, raw, say
from movierec.results import Invalid

DIRECTOR_PAGE = 8


def actor(s: Services, lang: str, person: int, _page: int = 0) -> Reply:
    report = s.engine.person("actor", person)
    if isinstance(report, Invalid):
        return invalid(lang, report.reason)
    films = texts.count(lang, "films_count", report.film_count)
    chart = charts.person_chart(s, lang, "actor", person, report)
    complete = chart is not None or not report.films  # no films: no chart to wait for
    if not report.films_with_return:
        text = say(lang, "actor_no_money", name=report.name, films=films)
        return Reply(text, photo=chart, complete=complete)
    text = say(
        lang,
        "actor_result",
        name=report.name,
        films=films,
        total=ratio(lang, report.total_return),
        average=ratio(lang, report.average_return),
        known=texts.count(lang, "films_count", report.films_with_return),
    )
    return Reply(text, photo=chart, complete=complete)


def director(s: Services, lang: str, person: int, page: int = 0, chart: bool = True) -> Reply:
    """A page of the director's films; the first answer (page 0) carries the chart."""
    report = s.engine.person("director", person)
    if isinstance(report, Invalid):
        return invalid(lang, report.reason)
    pages = max(1, math.ceil(len(report.films) / DIRECTOR_PAGE))
    page = min(max(page, 0), pages - 1)
    zero = raw(lang, "ratio_zero")
    lines = [
        say(
            lang,
            "director_header",
            name=report.name,
            films=texts.count(lang, "films_count", report.film_count),
            total=ratio(lang, report.total_return) if report.total_return else zero,
            average=ratio(lang, report.average_return) if report.average_return else zero,
            overall=ratio(lang, report.overall_return) if report.overall_return else zero,
        )
    ]
    for film in report.films[page * DIRECTOR_PAGE : (page + 1) * DIRECTOR_PAGE]:
        date = texts.date(lang, film.release_date)
        if not (film.budget or film.revenue):
            lines.append(say(lang, "director_film_no_money", title=film.title, date=date))
            continue
        lines.append(
            say(
                lang,
                "director_film",
                title=film.title,
                date=date,
                ret=ratio(lang, film.return_),
                budget=texts.money(lang, film.budget),
                revenue=texts.money(lang, film.revenue),
            )
        )
    rows: tuple[tuple[Button, ...], ...] = ()
    if pages > 1:
        lines.append(say(lang, "page", page=page + 1, pages=pages))
        nav = []
        if page > 0:
            previous = s.codec.encode("director_page", person, page - 1, edit=True)
            nav.append(Button(raw(lang, "button_previous"), data=previous))
        if page + 1 < pages:
            following = s.codec.encode("director_page", person, page + 1, edit=True)
            nav.append(Button(raw(lang, "button_next"), data=following))
        rows = (tuple(nav),)
    photo = None
    if chart and page == 0 and report.films:
        photo = charts.person_chart(s, lang, "director", person, report)
        return Reply(fit(lines), rows, photo, complete=photo is not None)
    return Reply(fit(lines), rows, photo)


def director_page(s: Services, lang: str, person: int, page: int = 0) -> Reply:
    """◀ ▶ between pages edit the text in place: without the chart, sent once with page 0."""
    return director(s, lang, person, page, chart=False)
