"""/recomendar: five films like this one, with the reason for each, paged."""

from __future__ import annotations

from collections.abc import Sequence

from handlers import texts, viewer
from handlers.reply import Button, Reply, fit, invalid
from handlers.services import Services
from handlers.texts import Html, raw, say
from movierec.results import Invalid, Reason, Recommendation, Recommendations

PAGE = 5
MOST = 50  # the longest list the engine keeps per film: what is left after your seen films


def reasons_text(lang: str, reasons: tuple[Reason, ...]) -> Html:
    def values(reason: Reason) -> str:
        if reason.kind == "genres":
            return texts.genres(lang, reason.values)
        return ", ".join(reason.values)

    return Html("; ".join(say(lang, f"reason_{r.kind}", values=values(r)) for r in reasons))


def recommend(s: Services, lang: str, movie_id: int, page: int = 0) -> Reply:
    found = s.engine.card(movie_id)
    if isinstance(found, Invalid):
        return invalid(lang, found.reason)
    recs, skipped = unseen(s, movie_id, page)
    if isinstance(recs, Invalid):
        return invalid(lang, recs.reason, found.title)
    if not recs.items:
        return Reply(say(lang, "recommend_none", title=found.title))
    lines = [say(lang, "recommend_header", title=found.title, year=found.year)]
    if skipped:
        lines.append(texts.count(lang, "recommend_skipped", skipped))
    items, open_row = _numbered(s, lang, recs.items, recs.offset + 1)
    lines += items
    rows = [open_row]
    if recs.more:
        more = s.codec.encode("recommend", movie_id, page + 1, edit=True)
        rows.append((Button(raw(lang, "button_more"), data=more),))
    return Reply(fit(lines), tuple(rows))


def recommend_many(s: Services, lang: str, movie_ids: tuple[int, ...]) -> Reply:
    """Films like all of these at once ("/recomendar titanic, toy story"), the viewer's seen
    ones left out: one page, with no "more" (a button carries one film)."""
    seeds = [c for c in (s.engine.card(m) for m in movie_ids) if not isinstance(c, Invalid)]
    names = texts.listing(
        lang,
        [say(lang, "recommend_many_film", title=c.title, year=c.year) for c in seeds],
        seeds[-1].title if seeds else "",
    )
    seen = viewer.current().ratings
    found = s.engine.similar_to_many(movie_ids, MOST if seen else PAGE)
    if isinstance(found, Invalid):
        return invalid(lang, found.reason)
    recs = [rec for rec in found if rec.movie_id not in seen]
    if not recs:
        return Reply(say(lang, "recommend_many_none", films=names))
    lines = [say(lang, "recommend_many_header", films=names)]
    if len(recs) < len(found):  # of the whole list, as /recomendar with one film says
        lines.append(texts.count(lang, "recommend_skipped", len(found) - len(recs)))
    items, open_row = _numbered(s, lang, recs[:PAGE], 1)
    return Reply(fit(lines + items), (open_row,))


def _numbered(
    s: Services, lang: str, recs: Sequence[Recommendation], first: int
) -> tuple[list[str], tuple[Button, ...]]:
    """Each film's numbered line with its reasons, and the row of buttons opening their cards
    by number."""
    lines = []
    for n, rec in enumerate(recs, start=first):
        why = reasons_text(lang, rec.reasons) or raw(lang, "unknown")
        lines.append(say(lang, "recommend_line", n=n, title=rec.title, year=rec.year, why=why))
    open_row = tuple(
        Button(str(n), data=s.codec.encode("card", rec.movie_id))
        for n, rec in enumerate(recs, start=first)
    )
    return lines, open_row


def unseen(s: Services, movie_id: int, page: int) -> tuple[Recommendations | Invalid, int]:
    """A page of the film's recommendations without the films the viewer has seen, and how
    many seen ones were left out (of the whole list, so every page says the same)."""
    seen = viewer.current().ratings
    if not seen:
        return s.engine.recommendations(movie_id, page, PAGE), 0
    found = s.engine.similar(movie_id, MOST)
    if isinstance(found, Invalid):
        return found, 0
    kept = [r for r in found if r.movie_id not in seen]
    offset = PAGE * page
    if page < 0 or (page > 0 and offset >= len(kept)):
        return Invalid("bad_page"), 0
    page_items = tuple(kept[offset : offset + PAGE])
    more = len(kept) > offset + PAGE
    return Recommendations((movie_id,), page_items, offset, more), len(found) - len(kept)
