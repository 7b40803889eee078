"""/recomendar: five films like this one, with the reason for each, paged."""

from __future__ import annotations

from handlers import texts
from handlers.reply import Button, Reply, fit, invalid
from handlers.services import Services
from handlers.texts import Html, raw, say
from movierec.results import Invalid, Reason

PAGE = 5


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
    recs = s.engine.recommendations(movie_id, page, PAGE)
    if isinstance(recs, Invalid):
        return invalid(lang, recs.reason, found.title)
    if not recs.items:
        return Reply(say(lang, "recommend_none", title=found.title))
    lines = [say(lang, "recommend_header", title=found.title, year=found.year)]
    first = recs.offset + 1
    for n, rec in enumerate(recs.items, start=first):
        why = reasons_text(lang, rec.reasons) or raw(lang, "unknown")
        lines.append(say(lang, "recommend_line", n=n, title=rec.title, year=rec.year, why=why))
    open_row = tuple(
        Button(str(n), data=s.codec.encode("card", rec.movie_id))
        for n, rec in enumerate(recs.items, start=first)
    )
    rows = [open_row]
    if recs.more:
        more = s.codec.encode("recommend", movie_id, page + 1, edit=True)
        rows.append((Button(raw(lang, "button_more"), data=more),))
    return Reply(fit(lines), tuple(rows))
