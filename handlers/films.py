"""A film's card, /score and /votos."""

from __future__ import annotations

from handlers import texts, viewer
from handlers.movienight import card as movienight_card
from handlers.reply import Button, Reply, Rows, fit, invalid
from handlers.services import Services
from handlers.texts import escape, number, raw, say
from movierec.results import Invalid, MovieCard

POPULARITY_DECIMALS = 2  # one format for popularity, on the card and in /score


def card_text(lang: str, card: MovieCard) -> str:
    unknown = raw(lang, "unknown")

    def field(label_key: str, value: str) -> str:
        return f"<b>{raw(lang, label_key)}:</b> {value}"

    lines = [f"🎬 <b>{escape(card.title)}</b> ({card.year})"]
    lines.append(field("card_genres", escape(texts.genres(lang, card.genres)) or unknown))
    lines.append(field("card_director", escape(", ".join(card.directors)) or unknown))
    lines.append(field("card_cast", escape(", ".join(card.cast)) or unknown))
    lines.append(field("card_score", number(lang, card.popularity, POPULARITY_DECIMALS)))
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
        lines.append(field("card_money", escape(money)))
    if card.return_ > 0:
        lines.append(field("card_return", texts.ratio(lang, card.return_)))
    if card.collection:
        lines.append(field("card_collection", escape(card.collection)))
    return fit(lines)


def card(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    found = s.engine.card(movie_id)
    if isinstance(found, Invalid):
        return invalid(lang, found.reason)
    buttons = (
        Button(raw(lang, "button_similar"), data=s.codec.encode("recommend", movie_id)),
        Button(raw(lang, "button_votes"), data=s.codec.encode("votes", movie_id)),
    )
    rows: list[tuple[Button, ...]] = [buttons]
    if found.imdb_id:
        rows.append((Button("IMDb", url=f"https://www.imdb.com/title/{found.imdb_id}/"),))
    rows.extend(movienight_card.card_rows(s, lang, movie_id))  # 🍿 in a group's open night
    rows.append(viewer.state_row(s.codec, lang, found.movie_id))  # seen, 👍, 👎, later
    return Reply(card_text(lang, found), tuple(rows))


def score(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    result = s.engine.score(movie_id)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason)
    text = say(
        lang,
        "score_result",
        title=result.title,
        year=result.year,
        popularity=number(lang, result.popularity, POPULARITY_DECIMALS),
        average=number(lang, result.vote_average, 1),
    )
    return Reply(text, open_card(s, lang, movie_id))


def votes(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    result = s.engine.votes(movie_id)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason)
    common = {"title": result.title, "year": result.year, "count": number(lang, result.vote_count)}
    if result.meets_threshold:
        text = say(lang, "votes_ok", average=number(lang, result.vote_average, 1), **common)
    else:
        text = say(lang, "votes_too_few", threshold=number(lang, result.threshold), **common)
    return Reply(text, open_card(s, lang, movie_id))


def open_card(s: Services, lang: str, movie_id: int) -> Rows:
    return ((Button(raw(lang, "button_card"), data=s.codec.encode("card", movie_id)),),)
