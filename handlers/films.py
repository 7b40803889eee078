"""A film's card, /score and /votos.

A card is a poster with the facts as its caption (``Reply.photo``: handlers/photos.py sends it
by URL, caches the file_id and falls back to text when Telegram refuses the URL), the overview
shortened to what the caption leaves, and link buttons out (TMDB, IMDb, Letterboxd, a trailer
search, a where-to-watch search). Spanish speakers see the Spanish title first where known.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote_plus

from handlers import texts, viewer
from handlers.movienight import card as movienight_card
from handlers.reply import MAX_CAPTION, MAX_MESSAGE, Button, Photo, Reply, Rows, fit, invalid
from handlers.services import Services
from handlers.texts import escape, number, raw, say
from movierec.results import Invalid, MovieCard

POPULARITY_DECIMALS = 2  # one format for popularity, on the card and in /score
ELLIPSIS = "…"
MIN_OVERVIEW = 40  # fewer characters than this say nothing: leave the overview out
_IMDB_ID = re.compile(r"tt\d{5,10}")
# Where-to-watch search per interface language: Spanish speakers are most likely in Spain
# (the Spanish titles are Spain's too), everyone else gets JustWatch's US catalogue.
WATCH_SEARCH = {
    "es": "https://www.justwatch.com/es/buscar?q=",
    "en": "https://www.justwatch.com/us/search?q=",
}


def heading(lang: str, title: str, year: int, local: str | None) -> tuple[str, str]:
    """What goes in bold and what in brackets: ("El padrino", "The Godfather, 1972") for a
    Spanish speaker when the Spanish title is known, else ("The Godfather", "1972")."""
    if lang == "es" and local and local != title:
        return local, f"{title}, {year}"
    return title, str(year)


def shorten(text: str, budget: int) -> str:
    """``text`` HTML-escaped in at most ``budget`` characters: cut at a word, ending in "…"."""
    escaped = escape(text)
    if len(escaped) <= budget:
        return escaped
    cut = max(budget - len(ELLIPSIS), 0)
    while cut > 0:
        head = text[:cut]
        if " " in head[len(head) // 2 :]:  # a word boundary, unless that loses half of it
            head = head[: head.rindex(" ")]
        head = head.rstrip(" ,;:.—-(")
        shortened = escape(head) + ELLIPSIS
        if len(shortened) <= budget:
            return shortened
        # escaping made it longer ("&" is "&amp;"): cut in proportion, at least one more
        cut = min(cut - 1, cut * budget // len(shortened))
    return ""


def overview_line(lang: str, card: MovieCard, budget: int) -> str | None:
    """The overview in italics, within ``budget``; Wikipedia's always with its link (CC BY-SA
    asks for attribution wherever the text is shown), so a text without its link is left out."""
    if not card.overview:
        return None
    link = ""
    if card.overview_source == "wikipedia":
        if not card.overview_url:
            return None
        href = html.escape(card.overview_url, quote=True)
        link = f' (<a href="{href}">{raw(lang, "card_overview_source")}</a>)'
    room = budget - len(link) - len("<i></i>")
    if room < MIN_OVERVIEW:
        return None
    body = shorten(card.overview, room)
    whole = not body.endswith(ELLIPSIS)  # a short overview is shown whole, however short
    return f"<i>{body}</i>{link}" if whole or len(body) >= MIN_OVERVIEW else None


def card_text(lang: str, card: MovieCard, limit: int = MAX_MESSAGE) -> str:
    """The card as HTML in at most ``limit`` characters (a caption's 1024 under a poster)."""
    unknown = raw(lang, "unknown")

    def field(label_key: str, value: str) -> str:
        return f"<b>{raw(lang, label_key)}:</b> {value}"

    bold, bracket = heading(lang, card.title, card.year, card.local_title)
    lines = [f"🎬 <b>{escape(bold)}</b> ({escape(bracket)})"]
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
    facts = fit(lines, limit)
    # the overview takes what the facts leave (a blank line and itself)
    overview = overview_line(lang, card, limit - len(facts) - 2)
    return f"{facts}\n\n{overview}" if overview else facts


def link_rows(lang: str, card: MovieCard) -> list[tuple[Button, ...]]:
    """URL buttons out: they carry no callback data, Telegram opens them itself."""
    links = [
        Button(raw(lang, "button_tmdb"), url=f"https://www.themoviedb.org/movie/{card.movie_id}")
    ]
    if card.imdb_id and _IMDB_ID.fullmatch(card.imdb_id):
        links.append(
            Button(raw(lang, "button_imdb"), url=f"https://www.imdb.com/title/{card.imdb_id}/")
        )
        links.append(
            Button(
                raw(lang, "button_letterboxd"), url=f"https://letterboxd.com/imdb/{card.imdb_id}/"
            )
        )
    # searched by the title the user knows: "El padrino" finds the Spanish trailer and listing
    known = card.local_title if lang == "es" and card.local_title else card.title
    trailer = raw(lang, "trailer_query").format(title=known, year=card.year)
    watch = WATCH_SEARCH.get(lang, WATCH_SEARCH["en"]) + quote_plus(known)
    searches = (
        Button(
            raw(lang, "button_trailer"),
            url=f"https://www.youtube.com/results?search_query={quote_plus(trailer)}",
        ),
        Button(raw(lang, "button_watch"), url=watch),
    )
    return [tuple(links), searches]


def poster(card: MovieCard) -> Photo | None:
    """The film's picture, by URL: Telegram fetches it (never we), so only https URLs."""
    if card.image_url and card.image_url.startswith("https://"):
        return Photo(url=card.image_url)
    return None


def card(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    found = s.engine.card(movie_id, language=lang)
    if isinstance(found, Invalid):
        return invalid(lang, found.reason)
    buttons = (
        Button(raw(lang, "button_similar"), data=s.codec.encode("recommend", movie_id)),
        Button(raw(lang, "button_votes"), data=s.codec.encode("votes", movie_id)),
    )
    # rows top to bottom; features append theirs (keep the link rows right under the facts)
    rows: list[tuple[Button, ...]] = [buttons, *link_rows(lang, found)]
    rows.append(viewer.state_row(s.codec, lang, found.movie_id))  # seen, 👍, 👎, later
    rows.extend(movienight_card.card_rows(s, lang, movie_id))  # 🍿 in a group's open night
    photo = poster(found)
    # the same text serves as caption and, if Telegram refuses the poster, as the text card
    text = card_text(lang, found, MAX_CAPTION if photo else MAX_MESSAGE)
    return Reply(text, tuple(rows), photo)


def score(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    result = s.engine.score(movie_id)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason)
    # the text's "<b>{title}</b> ({year})" holds "<b>El padrino</b> (The Godfather, 1972)" too
    bold, bracket = heading(lang, result.title, result.year, s.engine.local_title(movie_id, lang))
    text = say(
        lang,
        "score_result",
        title=bold,
        year=bracket,
        popularity=number(lang, result.popularity, POPULARITY_DECIMALS),
        average=number(lang, result.vote_average, 1),
    )
    return Reply(text, open_card(s, lang, movie_id))


def votes(s: Services, lang: str, movie_id: int, _page: int = 0) -> Reply:
    result = s.engine.votes(movie_id)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason)
    bold, bracket = heading(lang, result.title, result.year, s.engine.local_title(movie_id, lang))
    common = {"title": bold, "year": bracket, "count": number(lang, result.vote_count)}
    if result.meets_threshold:
        text = say(lang, "votes_ok", average=number(lang, result.vote_average, 1), **common)
    else:
        text = say(lang, "votes_too_few", threshold=number(lang, result.threshold), **common)
    return Reply(text, open_card(s, lang, movie_id))


def open_card(s: Services, lang: str, movie_id: int) -> Rows:
    return ((Button(raw(lang, "button_card"), data=s.codec.encode("card", movie_id)),),)
