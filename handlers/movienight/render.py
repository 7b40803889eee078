"""What a movie night says: the opening message, the board, picks, the poll, the winner."""

from __future__ import annotations

from handlers import films, texts
from handlers.movienight.night import Night
from handlers.recommend import reasons_text
from handlers.reply import Button, Reply, fit
from handlers.services import Services
from handlers.texts import Html, raw, say
from movierec.recommend.compromise import CompromisePick
from movierec.results import Invalid

__all__ = [
    "OPTION_CHARS",
    "VOTE",
    "board",
    "is_board",
    "opened",
    "option_text",
    "picks_text",
    "question",
    "vote_button",
    "winner",
]

OPTION_CHARS = 100  # Telegram's limit for a poll option
VOTE = 1  # key of the night's 🗳 button
PICK_MARK = "🤝 "


def label(s: Services, movie_id: int) -> tuple[str, int | str]:
    """A film's title and year (or a dash when the catalog lost it)."""
    card = s.engine.card(movie_id)
    if isinstance(card, Invalid):
        return f"#{movie_id}", "—"
    return card.title, card.year


def opened(s: Services, lang: str, night: Night, name: str) -> Reply:
    per_member = Html(texts.count(lang, "night_films", night.per_member))
    text = say(lang, "night_opened", name=name, per_member=per_member)
    return Reply(text, ((vote_button(s, lang),),))


def vote_button(s: Services, lang: str) -> Button:
    return Button(raw(lang, "button_night_vote"), data=s.codec.encode("night", VOTE))


def is_board(s: Services, reply: Reply) -> bool:
    """Whether ``reply`` is the night's board (a reply to it nominates, like the opening)."""
    vote = s.codec.encode("night", VOTE)
    return any(button.data == vote for row in reply.buttons for button in row)


def board(s: Services, lang: str, night: Night, header: str) -> Reply:
    """``header`` (what just happened) and the nominations so far."""
    lines = [header, "", say(lang, "night_board_header", n=len(night.nominations))]
    for n, nomination in enumerate(night.nominations, start=1):
        title, year = label(s, nomination.movie_id)
        lines.append(
            say(lang, "night_board_line", n=n, title=title, year=year, name=nomination.name)
        )
    return Reply(fit(lines), ((vote_button(s, lang),),))


def picks_text(s: Services, lang: str, picks: list[CompromisePick]) -> str:
    if not picks:
        return raw(lang, "night_no_picks")
    lines = [raw(lang, "night_picks_header")]
    for pick in picks:
        near_titles = [label(s, m)[0] for m in pick.near]
        last = near_titles[-1] if near_titles else ""
        near = texts.listing(lang, [texts.escape(t) for t in near_titles], last)
        why = reasons_text(lang, pick.reasons) or raw(lang, "unknown")
        lines.append(
            say(lang, "night_pick_line", title=pick.title, year=pick.year, near=near, why=why)
        )
    return fit(lines)


def option_text(s: Services, movie_id: int, pick: bool) -> str:
    """A poll option: plain text (no HTML in polls), at most Telegram's 100 characters."""
    title, year = label(s, movie_id)
    text = f"{PICK_MARK if pick else ''}{title} ({year})"
    return text if len(text) <= OPTION_CHARS else text[: OPTION_CHARS - 1] + "…"


def question(lang: str, minutes: int) -> str:
    return texts.raw(lang, "night_poll_question").format(minutes=minutes)


def winner(s: Services, lang: str, night: Night, votes: int) -> Reply:
    """The winner's announcement above its card (a photo when the card has one)."""
    assert night.winner is not None
    title, year = label(s, night.winner)
    lines = [say(lang, "night_winner", title=title, year=year)]
    lines[0] += " · " + texts.count(lang, "night_votes", votes)
    if len(night.tied) > 1:
        tied = [label(s, m)[0] for m in night.tied]
        titles = texts.listing(lang, [texts.escape(t) for t in tied], tied[-1])
        lines.append(say(lang, "night_tie", titles=titles))
    card = films.card(s, lang, night.winner)
    return Reply("\n".join(lines) + "\n\n" + card.text, card.buttons, card.photo)
