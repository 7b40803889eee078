"""From a question to a :class:`Reply`: resolve, ask the engine, render. No Telegram here.

Every feature handler, the inline mode and the console go through these functions, so a
question gets the same answer wherever it is asked.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from handlers import texts
from handlers.buttons import Press
from handlers.reply import Button, Reply, fit
from handlers.services import Services
from handlers.texts import escape, number, ratio, raw, say
from movierec.engine import MovieCard
from movierec.recommender import Reason, RecommendError
from movierec.results import (
    Ambiguous,
    Candidate,
    Invalid,
    Match,
    NotFound,
    PersonReport,
)

MOVIE_ACTIONS = frozenset({"card", "score", "votes", "recommend"})
DIRECTOR_PAGE = 8
RECOMMEND_PAGE = 5
MAX_RECOMMEND_PAGES = 10  # 50 films: what the index keeps per film
LABEL_CHARS = 60


def invalid(lang: str, reason: str, value: str = "") -> Reply:
    key = f"invalid_{reason}"
    if key not in texts.TEXTS[lang]:
        key = "invalid_empty"
    return Reply(say(lang, key, value=value[:80]))


def month(s: Services, lang: str, text: str) -> Reply:
    result = s.engine.queries.films_in_month(text)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason, text)
    name = texts.MONTHS[lang][result.month - 1]
    return Reply(say(lang, "month_result", month=name, count=number(lang, result.count)))


def weekday(s: Services, lang: str, text: str) -> Reply:
    result = s.engine.queries.films_on_weekday(text)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason, text)
    name = texts.WEEKDAYS[lang][result.weekday]
    return Reply(say(lang, "weekday_result", weekday=name, count=number(lang, result.count)))


# -- resolving what was typed ---------------------------------------------------------------


def ask(s: Services, lang: str, action: str, query: str) -> Reply:
    """Resolve ``query`` for ``action``; answer, or ask back with buttons."""
    if action in MOVIE_ACTIONS:
        resolution = s.engine.resolve_title(query)
    else:
        resolution = s.engine.resolve_person(action, query)
    if isinstance(resolution, Invalid):
        return invalid(lang, resolution.reason, query)
    if isinstance(resolution, Match):
        return answer(s, lang, Press(action, resolution.candidate.key))
    if isinstance(resolution, Ambiguous):
        return _choices(s, lang, action, say(lang, "ambiguous", query=query), resolution.candidates)
    assert isinstance(resolution, NotFound)
    if not resolution.suggestions:
        return Reply(say(lang, "not_found", query=query))
    header = say(lang, "not_found_suggest", query=query)
    return _choices(s, lang, action, header, resolution.suggestions)


def _label(lang: str, c: Candidate) -> str:
    if c.kind == "movie":
        label = f"{c.label} ({c.year})"
    else:
        label = f"{c.label} · {say(lang, 'films_count', n=number(lang, c.films))}"
        label += f" · {c.known_for}" if c.known_for else ""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _choices(
    s: Services, lang: str, action: str, header: str, candidates: tuple[Candidate, ...]
) -> Reply:
    rows = tuple(
        (Button(_label(lang, c), data=s.codec.encode(action, c.key, edit=True)),)
        for c in candidates
    )
    return Reply(header, rows)


def answer(s: Services, lang: str, press: Press) -> Reply:
    """The answer behind a resolved question or a pressed button."""
    handler = ANSWERS[press.action]
    return handler(s, lang, press.key, press.page)


# -- films ------------------------------------------------------------------------------------


def _card(s: Services, lang: str, movie_id: int) -> MovieCard | Reply:
    card = s.engine.card(movie_id)
    return invalid(lang, card.reason) if isinstance(card, Invalid) else card


def card_text(lang: str, card: MovieCard) -> str:
    unknown = raw(lang, "unknown")

    def field(label_key: str, value: str) -> str:
        return f"<b>{raw(lang, label_key)}:</b> {value}"

    lines = [f"🎬 <b>{escape(card.title)}</b> ({card.year})"]
    lines.append(field("card_genres", escape(texts.genres(lang, card.genres)) or unknown))
    lines.append(field("card_director", escape(", ".join(card.directors)) or unknown))
    lines.append(field("card_cast", escape(", ".join(card.cast)) or unknown))
    lines.append(field("card_score", number(lang, card.popularity, 1)))
    votes = say(
        lang,
        "votes_value",
        average=number(lang, card.vote_average, 1),
        count=number(lang, card.vote_count),
    )
    lines.append(field("card_votes", votes))
    if card.runtime:
        lines.append(field("card_runtime", say(lang, "minutes", n=card.runtime)))
    if card.budget or card.revenue:
        money = f"{texts.money(lang, card.budget)} / {texts.money(lang, card.revenue)}"
        lines.append(field("card_money", money))
    if card.return_ > 0:
        lines.append(field("card_return", ratio(lang, card.return_)))
    if card.collection:
        lines.append(field("card_collection", escape(card.collection)))
    return fit(lines)


def card(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    found = _card(s, lang, movie_id)
    if isinstance(found, Reply):
        return found
    buttons = [
        Button(raw(lang, "button_similar"), data=s.codec.encode("recommend", movie_id)),
        Button(raw(lang, "button_votes"), data=s.codec.encode("votes", movie_id)),
    ]
    rows: list[tuple[Button, ...]] = [tuple(buttons)]
    if found.imdb_id:
        rows.append((Button("IMDb", url=f"https://www.imdb.com/title/{found.imdb_id}/"),))
    return Reply(card_text(lang, found), tuple(rows))


def score(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    result = s.engine.queries.score(movie_id)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason)
    text = say(
        lang,
        "score_result",
        title=result.title,
        year=result.year,
        popularity=number(lang, result.popularity, 2),
        average=number(lang, result.vote_average, 1),
    )
    return Reply(text, _open_card(s, lang, movie_id))


def votes(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    result = s.engine.queries.votes(movie_id)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason)
    common = {"title": result.title, "year": result.year, "count": number(lang, result.vote_count)}
    if result.meets_threshold:
        text = say(lang, "votes_ok", average=number(lang, result.vote_average, 1), **common)
    else:
        text = say(lang, "votes_too_few", threshold=number(lang, result.threshold), **common)
    return Reply(text, _open_card(s, lang, movie_id))


def _open_card(s: Services, lang: str, movie_id: int) -> tuple[tuple[Button, ...], ...]:
    return ((Button(raw(lang, "button_card"), data=s.codec.encode("card", movie_id)),),)


def reasons_text(lang: str, reasons: tuple[Reason, ...]) -> str:
    def values(reason: Reason) -> str:
        if reason.kind == "genres":
            return texts.genres(lang, reason.values)
        return ", ".join(reason.values)

    return "; ".join(say(lang, f"reason_{r.kind}", values=values(r)) for r in reasons)


def recommend(s: Services, lang: str, movie_id: int, page: int = 0) -> Reply:
    page = min(max(page, 0), MAX_RECOMMEND_PAGES - 1)
    found = _card(s, lang, movie_id)
    if isinstance(found, Reply):
        return found
    try:
        recs = s.recommender.similar(movie_id, k=RECOMMEND_PAGE * (page + 1))
    except RecommendError as error:
        return invalid(lang, error.reason, found.title)
    shown = recs[RECOMMEND_PAGE * page :]
    if not shown:
        return Reply(say(lang, "recommend_none", title=found.title))
    lines = [say(lang, "recommend_header", title=found.title, year=found.year)]
    for n, rec in enumerate(shown, start=RECOMMEND_PAGE * page + 1):
        why = reasons_text(lang, rec.reasons) or raw(lang, "unknown")
        lines.append(say(lang, "recommend_line", n=n, title=rec.title, year=rec.year, why=why))
    open_row = tuple(
        Button(str(n), data=s.codec.encode("card", rec.movie_id))
        for n, rec in enumerate(shown, start=RECOMMEND_PAGE * page + 1)
    )
    rows = [open_row]
    if len(recs) == RECOMMEND_PAGE * (page + 1) and page + 1 < MAX_RECOMMEND_PAGES:
        more = s.codec.encode("recommend", movie_id, page + 1, edit=True)
        rows.append((Button(raw(lang, "button_more"), data=more),))
    return Reply(fit(lines), tuple(rows))


# -- people -----------------------------------------------------------------------------------


def _report(s: Services, role: str, person: int) -> PersonReport | Invalid:
    return s.engine.queries.person(role, person)


def actor(s: Services, lang: str, person: int, _page: int = 0) -> Reply:
    report = _report(s, "actor", person)
    if isinstance(report, Invalid):
        return invalid(lang, report.reason)
    if not report.films_with_return:
        return Reply(say(lang, "actor_no_money", name=report.name, films=report.film_count))
    text = say(
        lang,
        "actor_result",
        name=report.name,
        films=number(lang, report.film_count),
        total=ratio(lang, report.total_return),
        average=ratio(lang, report.average_return),
        known=number(lang, report.films_with_return),
    )
    return Reply(text)


def director(s: Services, lang: str, person: int, page: int = 0) -> Reply:
    report = _report(s, "director", person)
    if isinstance(report, Invalid):
        return invalid(lang, report.reason)
    pages = max(1, math.ceil(len(report.films) / DIRECTOR_PAGE))
    page = min(max(page, 0), pages - 1)
    zero = "0×"
    lines = [
        say(
            lang,
            "director_header",
            name=report.name,
            films=number(lang, report.film_count),
            total=ratio(lang, report.total_return) if report.total_return else zero,
            average=ratio(lang, report.average_return) if report.average_return else zero,
        )
    ]
    for film in report.films[page * DIRECTOR_PAGE : (page + 1) * DIRECTOR_PAGE]:
        if not (film.budget or film.revenue):
            date = film.release_date.isoformat()
            lines.append(say(lang, "director_film_no_money", title=film.title, date=date))
            continue
        lines.append(
            say(
                lang,
                "director_film",
                title=film.title,
                date=film.release_date.isoformat(),
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
            nav.append(Button("◀", data=s.codec.encode("director", person, page - 1, True)))
        if page + 1 < pages:
            nav.append(Button("▶", data=s.codec.encode("director", person, page + 1, True)))
        rows = (tuple(nav),)
    return Reply(fit(lines), rows)


ANSWERS: dict[str, Callable[[Services, str, int, int], Reply]] = {
    "card": card,
    "score": score,
    "votes": votes,
    "recommend": recommend,
    "actor": actor,
    "director": director,
}


# -- inline mode ------------------------------------------------------------------------------


def inline_cards(
    s: Services, lang: str, query: str, limit: int = 10
) -> list[tuple[int, str, str, str]]:
    """Up to ``limit`` (movie id, plain title line, plain facts line, card HTML) for a query."""
    query = query.strip()
    if not query:
        candidates = s.engine.popular(limit)
    else:
        resolution = s.engine.resolve_title(query)
        if isinstance(resolution, Match):
            candidates = (resolution.candidate,)
        elif isinstance(resolution, Ambiguous):
            candidates = resolution.candidates
        elif isinstance(resolution, NotFound):
            candidates = resolution.suggestions
        else:
            candidates = ()
    out = []
    for candidate in candidates[:limit]:
        found = s.engine.card(candidate.key)
        if isinstance(found, Invalid):
            continue
        # plain text: Telegram does not parse HTML in result titles and descriptions
        facts = raw(lang, "inline_description").format(
            year=found.year,
            genres=texts.genres(lang, found.genres[:3]) or raw(lang, "unknown"),
            average=number(lang, found.vote_average, 1),
        )
        out.append((found.movie_id, f"{found.title} ({found.year})", facts, card_text(lang, found)))
    return out
