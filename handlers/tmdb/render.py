"""Answers about a film the catalog lacks, from its TMDB data: card, /score, /votos and
/recomendar. Each reads like the catalog's own answer, marked as live data."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from handlers import films, recommend, texts
from handlers.reply import Button, Photo, Reply, fit
from handlers.services import Services
from handlers.texts import number, raw, say
from handlers.tmdb.film import LiveFilm
from movierec.queries import MIN_VOTES
from movierec.results import Invalid, MovieCard

__all__ = ["OVERVIEW_CHARS", "RENDERERS", "as_card", "recommend_live", "short"]

OVERVIEW_CHARS = 300


def as_card(s: Services, lang: str, film: LiveFilm) -> MovieCard:
    """The live film in the catalog's card shape, so it reads like every other card."""
    try:
        released = dt.date.fromisoformat(film.release_date)
    except ValueError:
        released = dt.date(film.year or 1900, 1, 1)
    card = MovieCard(
        movie_id=film.tmdb_id,
        title=film.title,
        year=film.year or 0,
        release_date=released,
        genres=film.genres,
        directors=film.directors,
        cast=film.cast[:5],
        popularity=film.popularity,
        vote_average=film.vote_average,
        vote_count=film.vote_count,
        runtime=film.runtime,
        budget=0,
        revenue=0,
        return_=0.0,
        collection=film.collection,
        imdb_id=film.imdb_id,
    )
    title, overview, poster = _extras(s, lang, film)
    # the cards' optional fields (poster, overview, Spanish title), where this build has them
    extras: dict[str, Any] = {"image_url": poster, "overview": overview, "local_title": title}
    known = {k: v for k, v in extras.items() if k in MovieCard.__dataclass_fields__}
    return dataclasses.replace(card, **known) if known else card


def _extras(s: Services, lang: str, film: LiveFilm) -> tuple[str | None, str | None, str | None]:
    """(Spanish title, overview in the user's language, poster URL) of a live film."""
    assert s.tmdb is not None
    spanish_title, spanish_overview = film.localised(s.tmdb.settings.language("es"))
    title = spanish_title if lang == "es" and spanish_title not in ("", film.title) else None
    overview = (spanish_overview if lang == "es" else "") or film.overview or None
    return title, overview, s.tmdb.poster(film.poster_path)


def _links(s: Services, lang: str, film: LiveFilm) -> tuple[Button, ...]:
    row = [Button("TMDB", url=f"https://www.themoviedb.org/movie/{film.tmdb_id}")]
    if film.imdb_id:
        row.append(Button("IMDb", url=f"https://www.imdb.com/title/{film.imdb_id}/"))
    return tuple(row)


def _card(s: Services, lang: str, film: LiveFilm) -> Reply:
    text = films.card_text(lang, as_card(s, lang, film))
    title, overview, poster = _extras(s, lang, film)
    lines = [text]
    # the card renderer shows the Spanish title and overview when it knows how; else add them
    if title and texts.escape(title) not in text:
        lines.append(say(lang, "live_local_title", title=title))
    if overview and texts.escape(overview[:30]) not in text:
        lines.append(say(lang, "live_overview", overview=short(overview)))
    lines.append(raw(lang, "live_badge"))
    buttons = (
        Button(raw(lang, "button_similar"), data=s.codec.encode("recommend", film.tmdb_id)),
        Button(raw(lang, "button_votes"), data=s.codec.encode("votes", film.tmdb_id)),
    )
    photo = Photo(url=poster) if poster else None
    return Reply(fit(lines), (buttons, _links(s, lang, film)), photo)


def _open(s: Services, lang: str, film: LiveFilm) -> tuple[tuple[Button, ...], ...]:
    return ((Button(raw(lang, "button_card"), data=s.codec.encode("card", film.tmdb_id)),),)


def _score(s: Services, lang: str, film: LiveFilm) -> Reply:
    text = say(
        lang,
        "score_result",
        title=film.title,
        year=film.year or "?",
        popularity=number(lang, film.popularity, films.POPULARITY_DECIMALS),
        average=number(lang, film.vote_average, 1),
    )
    return Reply(f"{text}\n{raw(lang, 'live_now')}", _open(s, lang, film))


def _votes(s: Services, lang: str, film: LiveFilm) -> Reply:
    common = {"title": film.title, "year": film.year or "?", "count": number(lang, film.vote_count)}
    if film.vote_count >= MIN_VOTES:
        text = say(lang, "votes_ok", average=number(lang, film.vote_average, 1), **common)
    else:
        text = say(lang, "votes_too_few", threshold=number(lang, MIN_VOTES), **common)
    return Reply(f"{text}\n{raw(lang, 'live_now')}", _open(s, lang, film))


def recommend_live(s: Services, lang: str, film: LiveFilm, page: int) -> Reply:
    """The catalog ranked against the live film's features (see movierec.recommend.project)."""
    per_page = recommend.PAGE
    wanted = min(per_page * (page + 1) + 1, 50)
    found = s.engine.similar_to_features(film.features(), wanted)
    if isinstance(found, Invalid) or not found[per_page * page :]:
        return Reply(say(lang, "recommend_none", title=film.title))
    items = found[per_page * page : per_page * (page + 1)]
    lines = [say(lang, "recommend_header", title=film.title, year=film.year or "?")]
    first = per_page * page + 1
    for n, rec in enumerate(items, start=first):
        why = recommend.reasons_text(lang, rec.reasons) or raw(lang, "unknown")
        lines.append(say(lang, "recommend_line", n=n, title=rec.title, year=rec.year, why=why))
    lines.append(raw(lang, "live_recommend_note"))
    rows = [
        tuple(
            Button(str(n), data=s.codec.encode("card", rec.movie_id))
            for n, rec in enumerate(items, start=first)
        )
    ]
    if len(found) > per_page * (page + 1) and wanted < 50:
        more = s.codec.encode("recommend", film.tmdb_id, page + 1, edit=True)
        rows.append((Button(raw(lang, "button_more"), data=more),))
    return Reply(fit(lines), tuple(rows))


def short(text: str) -> str:
    return text if len(text) <= OVERVIEW_CHARS else text[: OVERVIEW_CHARS - 1].rstrip() + "…"


RENDERERS = {"card": _card, "score": _score, "votes": _votes}
