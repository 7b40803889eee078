"""Live TMDB in the conversation: films the catalog lacks, and Spanish titles and posters.

:mod:`handlers.dialog` calls three hooks, each a no-op without a TMDB client:

- :func:`resolve` — a title that resolves to nothing good locally (``NotFound``: only "did you
  mean" guesses) is searched on TMDB in the user's language; a hit becomes the press a button
  would make, with the TMDB id as its key (the catalog is keyed by TMDB ids too, so "el padrino"
  found on TMDB is the catalog's Godfather). An ambiguous title TMDB knows exactly as a newer
  film ("barbie") gets that film as the first choice.
- :func:`answer` — a card, /score, /votos or /recomendar for a TMDB id the catalog does not
  have: built from ``/movie/{id}`` (:mod:`handlers.tmdb.render`), marked as live data.
- :func:`localise` — a Spanish speaker's card, /score or /votos for a catalog film gains the
  Spanish title, overview and poster from TMDB where the catalog has none.

Each waits at most ``settings.timeout`` for TMDB, then the local answer goes out unchanged:
whatever fails, the user sees the offline bot, never an error about TMDB.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable
from typing import TypeVar

from rapidfuzz import fuzz

from handlers import texts
from handlers.actions import Action
from handlers.buttons import Press
from handlers.reply import MAX_CAPTION, MAX_MESSAGE, Button, Photo, Reply
from handlers.services import Services
from handlers.texts import say
from handlers.tmdb import render
from handlers.tmdb.film import Found, LiveFilm
from movierec.results import Ambiguous, Invalid, Match, MovieCard, NotFound
from movierec.search.text import fold

__all__ = ["LIVE_ACTIONS", "answer", "localise", "pick", "resolve"]

log = logging.getLogger(__name__)
LIVE_ACTIONS = frozenset({"card", "score", "votes", "recommend"})
LOCALISED = frozenset({"card", "score", "votes"})
MATCH_SCORE = 85  # how close (0-100) a TMDB title must be to what was typed
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


async def resolve(s: Services, lang: str, action: Action, query: str) -> Press | Reply | None:
    """How to answer ``query`` when TMDB takes part: a press (one film), a question with
    buttons, or None for the usual local path."""
    if s.tmdb is None or action.argument != "title" or action.name not in LIVE_ACTIONS:
        return None
    resolution = s.engine.resolve_title(query)
    if isinstance(resolution, Match):  # a catalog film: answered locally, localised on the way
        return Press(action.name, resolution.candidate.key)
    cleaned = _clean(query)
    if not cleaned or not s.tmdb.available:
        return None
    if isinstance(resolution, Ambiguous):  # "barbie": the 2023 film joins the catalog's
        newer = await _within(s, _same_title(s, lang, cleaned))
        return _with_newer(s, lang, action, query, resolution, newer) if newer else None
    if not isinstance(resolution, NotFound):
        return None  # invalid: as offline
    hit = await _within(s, _search(s, lang, cleaned))
    return Press(action.name, hit) if hit is not None else None


async def _same_title(s: Services, lang: str, query: str) -> LiveFilm | None:
    """TMDB's film titled exactly ``query`` that the catalog lacks (fetched, so it answers)."""
    assert s.tmdb is not None
    wanted = fold(query)
    for hit in (await s.tmdb.search(query, s.tmdb.settings.language(lang)) or [])[:5]:
        if wanted in (fold(hit.title), fold(hit.original_title)):
            if s.engine.catalog.row(hit.tmdb_id) is not None:
                return None  # the catalog has TMDB's best match: its own question is right
            return await s.tmdb.film(hit.tmdb_id)
    return None


def _with_newer(
    s: Services, lang: str, action: Action, query: str, local: Ambiguous, film: LiveFilm
) -> Reply:
    """The catalog's choices with TMDB's film first: an exact title TMDB ranks above them."""
    from handlers.dialog import candidate_label  # dialog calls this module: import on use

    label = f"🌐 {film.title} ({film.year or '?'})"
    rows = [(Button(label, data=s.codec.encode(action.name, film.tmdb_id, edit=True)),)]
    rows += [
        (Button(candidate_label(lang, c), data=s.codec.encode(action.name, c.key, edit=True)),)
        for c in local.candidates
    ]
    return Reply(say(lang, "ambiguous", query=query), tuple(rows))


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
        return await asyncio.to_thread(render.recommend_live, s, lang, film, press.page)
    return render.RENDERERS[press.action](s, lang, film)


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
        line = say(lang, "live_overview", overview=render.short(overview))
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
