"""/parami (/foryou): films for you from what you liked, and films to rate to get there.

Answered in private like every list (:func:`handlers.lists.deliver`); the picks come from
:meth:`movierec.engine.Engine.for_you` over the person's ratings, off the event loop.
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from handlers import dialog, viewer
from handlers.lists import PAGE, asker, deliver, title_of
from handlers.recommend import reasons_text
from handlers.reply import Button, Reply, fit
from handlers.services import Services
from handlers.texts import Html, raw, say
from handlers.viewer import Viewer
from movierec.recommend.personal import Rating
from movierec.results import Invalid

__all__ = ["MIN_RATINGS", "for_you", "for_you_reply"]

MIN_RATINGS = 3  # fewer and /parami first asks for a few ratings
STARTERS = 6  # films offered to rate when starting


def because(s: Services, lang: str, liked: tuple[int, ...]) -> str:
    names = [title_of(s, m)[0] for m in liked]
    if len(names) == 1:
        return say(lang, "because_single", a=names[0])
    return say(lang, "because_two", a=names[0], b=names[1])


def quick_start(s: Services, lang: str, v: Viewer) -> Reply:
    """Well-known films of different genres to rate with 👍/👎 before the first /parami."""
    rows: list[tuple[Button, ...]] = []
    genres: set[str] = set()
    for candidate in s.engine.popular(50):
        card = s.engine.card(candidate.key)
        if isinstance(card, Invalid) or v.seen(card.movie_id) or len(rows) == STARTERS:
            continue
        if card.genres and card.genres[0] in genres:
            continue  # varied: one film per leading genre
        genres.update(card.genres[:1])
        label = dialog.candidate_label(lang, candidate)
        votes = (
            Button(viewer.label(lang, op, False), data=s.codec.encode("mark", card.movie_id, op))
            for op in (viewer.LIKE, viewer.DISLIKE)
        )
        rows.append((Button(label, data=s.codec.encode("card", card.movie_id)), *votes))
    rated = sum(r is not None for r in v.ratings.values())
    return Reply(say(lang, "quick_start", n=rated, needed=MIN_RATINGS), tuple(rows))


async def for_you_reply(s: Services, lang: str, owner: int) -> Reply:
    """Five films from your likes; under them, while you have rated fewer than three, a few
    well-known films to rate (only those when nothing is liked yet)."""
    v = await viewer.load(s.store, owner)
    ratings = [Rating(m, r) for m, r in sorted(v.ratings.items())]
    picks = await asyncio.to_thread(s.engine.for_you, ratings, PAGE, None, sorted(v.later))
    if isinstance(picks, Invalid):  # nothing liked yet (or only films the catalog lost)
        return quick_start(s, lang, v)
    lines = [raw(lang, "for_you_header" if picks else "for_you_none")]
    for n, pick in enumerate(picks, start=1):
        rec = pick.recommendation
        why = because(s, lang, pick.because)
        if rec.reasons:
            why += "; " + reasons_text(lang, rec.reasons[:2])
        lines.append(
            say(lang, "recommend_line", n=n, title=rec.title, year=rec.year, why=Html(why))
        )
    rows: list[tuple[Button, ...]] = []
    if picks:
        rows.append(
            tuple(
                Button(str(n), data=s.codec.encode("card", p.recommendation.movie_id))
                for n, p in enumerate(picks, start=1)
            )
        )
    if sum(r is not None for r in v.ratings.values()) < MIN_RATINGS:
        more = quick_start(s, lang, v)
        lines += ["", more.text]
        rows += more.buttons
    return Reply(fit(lines), tuple(rows))


async def for_you(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await asker(update, context)
    if found is not None:
        reply = await for_you_reply(found.services, found.lang, found.owner)
        await deliver(update, context, reply)
