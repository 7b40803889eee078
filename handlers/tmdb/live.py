"""Live TMDB in the conversation: films the catalog lacks, and Spanish titles and posters.

:mod:`handlers.dialog` calls three hooks, each a no-op without a TMDB client:

- :func:`resolve` — a title that resolves to nothing good locally (``NotFound``: only "did you
  mean" guesses) is searched on TMDB in the user's language; a hit becomes the press a button
  would make, with the TMDB id as its key (the catalog is keyed by TMDB ids too, so "el padrino"
  found on TMDB is the catalog's Godfather).
- :func:`answer` — a card, /score, /votos or /recomendar for a TMDB id the catalog does not
  have: built from ``/movie/{id}`` and marked as live data.
- :func:`localise` — a Spanish speaker's card, /score or /votos for a catalog film gains the
  Spanish title, overview and poster from TMDB where the catalog has none.

Each waits at most ``settings.timeout`` for TMDB, then the local answer goes out unchanged:
whatever fails, the user sees the offline bot, never an error about TMDB.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from rapidfuzz import fuzz

from handlers import films, recommend, texts
from handlers.actions import Action
from handlers.buttons import Press
from handlers.reply import MAX_CAPTION, MAX_MESSAGE, Button, Photo, Reply, fit
from handlers.services import Services
from handlers.texts import number, raw, say
from handlers.tmdb.film import Found, LiveFilm
from movierec.queries import MIN_VOTES
from movierec.results import Invalid, Match, MovieCard, NotFound

__all__ = ["LIVE_ACTIONS", "answer", "localise", "pick", "resolve"]

log = logging.getLogger(__name__)
LIVE_ACTIONS = frozenset({"card", "score", "votes", "recommend"})
LOCALISED = frozenset({"card", "score", "votes"})
MATCH_SCORE = 85  # how close (0-100) a TMDB title must be to what was typed
OVERVIEW_CHARS = 300
T = TypeVar("T")


async def _within(s: Services, work: Awaitable[T]) -> T | None:
    """``work``'s result, or None after the TMDB timeout or on any error (logged by type)."""
    assert s.tmdb is not None
    try:
        return await asyncio.wait_for(work, s.tmdb.settings.timeout)
    except TimeoutError:
        log.info("TMDB too slow; answered from the catalog")
    except Exception as error:  # live data is optional: nothing here reaches the user
        log.warning("TMDB lookup failed (%s); answered from the catalog", type(error).__name__)
    return None


def _clean(query: str) -> str:
    """What may go in a URL: no lone surrogates, no control characters, not too long."""
    text = query.encode("utf-8", "ignore").decode("utf-8")
    return "".join(c for c in text if c.isprintable()).strip()[:200]


def pick(query: str, found: list[Found]) -> Found | None:
    """TMDB's first result whose title (either one) is close to what was typed."""
    wanted = query.lower()
    for hit in found[:10]:
        titles = (hit.title.lower(), hit.original_title.lower())
        if max(fuzz.WRatio(wanted, t) for t in titles if t) >= MATCH_SCORE:
            return hit
    return None


async def resolve(s: Services, lang: str, action: Action, query: str) -> Press | None:
    """The press to answer ``query`` with when TMDB takes part; None: the usual local path."""
    if s.tmdb is None or action.argument != "title" or action.name not in LIVE_ACTIONS:
        return None
    resolution = s.engine.resolve_title(query)
    if isinstance(resolution, Match):  # a catalog film: answered locally, localised on the way
        return Press(action.name, resolution.candidate.key)
    if not isinstance(resolution, NotFound):
        return None  # ambiguous (a question with buttons) or invalid: as offline
    cleaned = _clean(query)
    if not cleaned or not s.tmdb.available:
        return None
    hit = await _within(s, _search(s, lang, cleaned))
    return Press(action.name, hit) if hit is not None else None


async def _search(s: Services, lang: str, query: str) -> int | None:
    assert s.tmdb is not None
    found = await s.tmdb.search(query, s.tmdb.settings.language(lang))
    hit = pick(query, found or [])
    if hit is None:
        return None
    if s.engine.catalog.row(hit.tmdb_id) is not None:
        return hit.tmdb_id  # in the catalog under its English title
    # fetch it now, so the answer is ready (and cached) and a failure stays local
    return hit.tmdb_id if await s.tmdb.film(hit.tmdb_id) is not None else None


# -- films the catalog does not have ----------------------------------------------------------


async def answer(s: Services, lang: str, press: Press) -> Reply | None:
    """The live answer for a TMDB id outside the catalog; None: answer locally."""
    if s.tmdb is None or press.action not in LIVE_ACTIONS:
        return None
    if s.engine.catalog.row(press.key) is not None:
        return None
    film = await _within(s, s.tmdb.film(press.key))
    if film is None:
        return None
    if press.action == "recommend":
        return await asyncio.to_thread(_recommend, s, lang, film, press.page)
    return {"card": _card, "score": _score, "votes": _votes}[press.action](s, lang, film)


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
        lines.append(say(lang, "live_overview", overview=_short(overview)))
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


def _recommend(s: Services, lang: str, film: LiveFilm, page: int) -> Reply:
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


def _short(text: str) -> str:
    return text if len(text) <= OVERVIEW_CHARS else text[: OVERVIEW_CHARS - 1].rstrip() + "…"


# -- catalog films, for Spanish speakers -------------------------------------------------------


async def localise(s: Services, lang: str, press: Press, reply: Reply) -> Reply:
    """``reply`` with TMDB's Spanish title, overview and poster where the catalog has none."""
    if s.tmdb is None or lang != "es" or press.action not in LOCALISED:
        return reply
    card = s.engine.card(press.key)
    if isinstance(card, Invalid):
        return reply
    # what the catalog already has (builds without the cards' extras have none of it)
    local_title = _catalog_title(s, press.key)
    image_url = getattr(card, "image_url", None)
    photo = reply.photo or (Photo(url=image_url) if image_url else None)
    wants_overview = press.action == "card" and not getattr(card, "overview", None)
    if local_title and photo is not None and not wants_overview:
        return dataclasses.replace(reply, photo=photo)  # the catalog has it all: no call
    film = await _within(s, s.tmdb.film(press.key))
    if film is None:
        return dataclasses.replace(reply, photo=photo)
    if photo is None:
        poster = s.tmdb.poster(film.poster_path)
        photo = Photo(url=poster) if poster else None
    title, overview = film.localised(s.tmdb.settings.language("es"))
    text = reply.text
    if title and not local_title and title != card.title and texts.escape(title) not in text:
        text = _with_local_title(lang, text, card, title)
    if wants_overview and overview:
        line = say(lang, "live_overview", overview=_short(overview))
        if len(text) + len(line) + 2 <= (MAX_CAPTION if photo else MAX_MESSAGE):
            text = f"{text}\n\n{line}"
    return dataclasses.replace(reply, text=text, photo=photo)


def _catalog_title(s: Services, movie_id: int) -> str | None:
    """The catalog's own Spanish title, where the build has alternative titles."""
    local_title = getattr(s.engine, "local_title", None)
    found = local_title(movie_id, "es") if callable(local_title) else None
    return found if isinstance(found, str) else None


def _with_local_title(lang: str, text: str, card: MovieCard, title: str) -> str:
    """ "<b>The Godfather</b> (1972)" becomes "<b>El padrino</b> (The Godfather, 1972)", as
    the cards write a Spanish title the catalog knows; a text without that heading gains a
    line instead."""
    heading = f"<b>{texts.escape(card.title)}</b> ({card.year})"
    if heading in text:
        local = f"<b>{texts.escape(title)}</b> ({texts.escape(card.title)}, {card.year})"
        return text.replace(heading, local, 1)
    head, _, rest = text.partition("\n")
    line = say(lang, "live_local_title", title=title)
    return f"{head}\n{line}\n{rest}" if rest else f"{head}\n{line}"
