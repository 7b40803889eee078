"""Film cards through the offline Bot API: poster by URL, caption ≤ 1024, overview with its
attribution, link buttons, Spanish titles first, edits that never try to edit a photo's text,
inline results with thumbnails, /about."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from handlers import films, photos
from handlers.console.updates import callback_update, inline_update, message_update
from handlers.reply import MAX_CAPTION, MAX_MESSAGE
from movierec.results import MovieCard
from tests.handlers import telegram_html

TMDB_ATTRIBUTION = "This product uses the TMDB API but is not endorsed or certified by TMDB"
REFUSAL = "Bad Request: wrong file identifier/HTTP URL specified"


def card_of(engine, movie_id: int, lang: str = "es") -> MovieCard:
    found = engine.card(movie_id, language=lang)
    assert isinstance(found, MovieCard)
    return found


def most_voted(engine, where) -> int:
    """The most-voted film for which ``where(card)`` holds (derived from the catalog)."""
    c = engine.catalog
    for row in sorted(range(len(c)), key=lambda r: -int(c.vote_count[r])):
        if where(card_of(engine, int(c.ids[row]))):
            return int(c.ids[row])
    pytest.skip("no such film in the catalog under test")


def with_poster(engine) -> int:
    return most_voted(engine, lambda card: films.poster(card) is not None)


def check_buttons(call) -> None:
    for button in call.buttons:
        if "url" in button:
            assert "callback_data" not in button
            parsed = urlparse(button["url"])
            assert parsed.scheme == "https" and parsed.netloc, button
        else:
            assert len(button["callback_data"].encode()) <= 64, button


async def press_card(bot, movie_id: int, **kw) -> list:
    return await bot.feed(callback_update(bot.services.codec.encode("card", movie_id, **kw)))


async def test_a_card_is_the_poster_by_url_with_the_card_as_caption(bot) -> None:
    engine = bot.services.engine
    movie_id = with_poster(engine)
    card = card_of(engine, movie_id)
    calls = await press_card(bot, movie_id)
    sent = [c for c in calls if c.method == "sendPhoto"]
    assert len(sent) == 1 and not [c for c in calls if c.method == "sendMessage"]
    assert sent[0].photo == card.image_url  # by URL: Telegram fetches it, never we
    caption = sent[0].params["caption"]
    assert caption == films.card_text("es", card, MAX_CAPTION)
    assert len(caption) <= MAX_CAPTION
    telegram_html.check(caption)
    check_buttons(sent[0])
    urls = {b["url"] for b in sent[0].buttons if "url" in b}
    assert f"https://www.themoviedb.org/movie/{movie_id}" in urls
    if card.imdb_id:
        assert f"https://www.imdb.com/title/{card.imdb_id}/" in urls
        assert f"https://letterboxd.com/imdb/{card.imdb_id}/" in urls
    assert any(u.startswith("https://www.youtube.com/results?search_query=") for u in urls)
    assert any(u.startswith("https://www.justwatch.com/") for u in urls)


async def test_the_file_id_is_reused_on_the_second_send(bot) -> None:
    movie_id = with_poster(bot.services.engine)
    first = next(c for c in await press_card(bot, movie_id) if c.method == "sendPhoto")
    file_id = first.result["photo"][-1]["file_id"]
    second = next(c for c in await press_card(bot, movie_id) if c.method == "sendPhoto")
    assert second.photo == file_id


async def test_a_refused_poster_gives_the_text_card_and_is_remembered(bot) -> None:
    engine = bot.services.engine
    movie_id = with_poster(engine)
    url = card_of(engine, movie_id).image_url
    tried = []

    def fault(method, params):
        if method == "sendPhoto":
            tried.append(params["photo"])
            return 400, {"ok": False, "error_code": 400, "description": REFUSAL}
        return None

    bot.app.bot.request.fault = fault  # type: ignore[attr-defined]
    for _ in range(2):
        calls = await press_card(bot, movie_id)
        text = [c for c in calls if c.method == "sendMessage"]
        assert len(text) == 1 and text[0].text.startswith("🎬")
        check_buttons(text[0])
    assert tried == [url]  # the second card did not even try
    assert await bot.services.store.kv_get(photos.BAD_URLS, url)


async def test_a_film_without_a_picture_is_a_text_card(bot) -> None:
    engine = bot.services.engine
    movie_id = most_voted(engine, lambda card: card.image_url is None)
    calls = await press_card(bot, movie_id)
    assert [c.method for c in calls if c.method.startswith("send")] == ["sendMessage"]


async def test_choosing_a_film_from_a_text_choice_never_edits_text_into_a_photo(bot) -> None:
    """A choice (edit=True) answered by a photo card: the choice loses its buttons and the
    card comes as a new photo message; no edit of a text into a photo, no error."""
    movie_id = with_poster(bot.services.engine)
    calls = await press_card(bot, movie_id, edit=True)
    methods = [c.method for c in calls]
    assert "editMessageReplyMarkup" in methods and "sendPhoto" in methods
    assert "editMessageText" not in methods and "editMessageMedia" not in methods


async def test_an_edit_from_a_photo_message_edits_its_caption_or_media(bot) -> None:
    engine = bot.services.engine
    movie_id = with_poster(engine)
    photo_message = {
        "message_id": 77,
        "date": 0,
        "chat": {"id": 1001, "type": "private"},
        "from": {"id": 1, "is_bot": True, "first_name": "movierec"},
        "photo": [{"file_id": "x", "file_unique_id": "y", "width": 342, "height": 513}],
        "caption": "old card",
    }
    for action in ("card", "recommend"):
        data = bot.services.codec.encode(action, movie_id, edit=True)
        calls = await bot.feed(callback_update(data, message=photo_message))
        methods = {c.method for c in calls}
        assert "editMessageText" not in methods, action  # a photo has no text to edit
        assert methods & {"editMessageCaption", "editMessageMedia", "sendMessage"}, methods
        assert not [c for c in calls if c.method == "sendMessage" and "error" in c.text.lower()]


def longest_cards(engine, n: int = 300) -> list[int]:
    """The films whose cards are longest: long overviews, titles, casts, collections."""
    c = engine.catalog

    def size(row: int) -> int:
        card = card_of(engine, int(c.ids[row]))
        parts = (card.overview or "", card.title, card.local_title or "", card.collection or "")
        return sum(map(len, parts)) + sum(map(len, card.cast + card.directors + card.genres))

    rows = [r for r in range(len(c)) if c.overview and c.overview[r]] or list(range(len(c)))
    by_overview = sorted(rows, key=lambda r: -len(c.overview[r] or "") if c.overview else 0)
    shortlist = by_overview[: n * 10]
    return [int(c.ids[r]) for r in sorted(shortlist, key=lambda r: -size(r))[:n]]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_longest_cards_fit_a_caption_and_are_valid_html(shipped_engine, lang) -> None:
    for movie_id in longest_cards(shipped_engine):
        card = card_of(shipped_engine, movie_id, lang)
        text = films.card_text(lang, card, MAX_CAPTION)
        assert len(text) <= MAX_CAPTION, movie_id
        telegram_html.check(text)
        if card.overview and len(films.card_text(lang, card, MAX_MESSAGE)) > MAX_CAPTION:
            assert "…" in text or card.overview_source == "wikipedia"


def test_a_wikipedia_overview_is_shown_with_its_link(shipped_engine) -> None:
    movie_id = most_voted(shipped_engine, lambda card: card.overview_source == "wikipedia")
    card = card_of(shipped_engine, movie_id)
    assert card.overview_url
    for limit in (MAX_CAPTION, MAX_MESSAGE, 700):
        text = films.card_text("es", card, limit)
        assert len(text) <= limit
        if "<i>" in text:
            assert f'<a href="{card.overview_url}">' in text


def test_overviews_are_cut_at_a_word_with_an_ellipsis() -> None:
    text = "Cats & dogs " * 100
    short = films.shorten(text, 50)
    assert len(short) <= 50 and short.endswith("…")
    assert "&amp;" in short and not short.endswith("&…")
    assert films.shorten("short", 50) == "short"
    assert films.shorten("&" * 100, 10).endswith("…")


@pytest.mark.shipped
async def test_spanish_speakers_see_the_spanish_title_first(bot) -> None:
    engine = bot.services.engine
    assert films.card_text("es", card_of(engine, 238, "es")).startswith(
        "🎬 <b>El padrino</b> (The Godfather, 1972)"
    )
    assert films.card_text("en", card_of(engine, 238, "en")).startswith(
        "🎬 <b>The Godfather</b> (1972)"
    )
    calls = await bot.feed(message_update("/score el padrino", language="es"))
    answer = next(c for c in calls if c.method == "sendMessage")
    assert answer.text.startswith("<b>El padrino</b> (The Godfather, 1972)")


async def test_inline_results_have_poster_thumbnails_and_send_the_card(bot) -> None:
    engine = bot.services.engine
    movie_id = with_poster(engine)
    card = card_of(engine, movie_id, "en")
    calls = await bot.feed(inline_update(card.title, language="en"))
    answer = next(c for c in calls if c.method == "answerInlineQuery")
    results = answer.params["results"]
    results = json.loads(results) if isinstance(results, str) else results
    mine = next(r for r in results if r["id"] == str(movie_id))
    assert mine["thumbnail_url"] == card.image_url
    content = mine["input_message_content"]
    assert content["message_text"] == films.card_text("en", card)
    assert len(content["message_text"]) <= MAX_MESSAGE
    assert content["link_preview_options"]["url"] == card.image_url
    assert content["link_preview_options"]["is_disabled"] is False  # not the app's default
    without = [r for r in results if "thumbnail_url" not in r]  # films without a picture
    assert all(
        "url" not in r["input_message_content"].get("link_preview_options", {}) for r in without
    )
    buttons = [b for row in mine["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons and all(b["url"].startswith("https://") for b in buttons)


async def test_a_card_sent_from_inline_mode_into_the_private_chat_is_not_answered(bot) -> None:
    """Picking an inline result in the bot's own chat sends the card there; read as a title
    it got a "did you mean" back (found by a hostile probe)."""
    from handlers.console.offline import BOT_ID, BOT_USERNAME

    engine = bot.services.engine
    card = card_of(engine, with_poster(engine), "es")
    update = message_update(films.card_text("es", card).replace("<b>", "").replace("</b>", ""))
    update["message"]["via_bot"] = {
        "id": BOT_ID, "is_bot": True, "first_name": "movierec", "username": BOT_USERNAME
    }  # fmt: skip
    assert [c.method for c in await bot.feed(update)] == []
    update = message_update(card.title)  # typed, the same title is answered
    assert any(c.method in ("sendPhoto", "sendMessage") for c in await bot.feed(update))


@pytest.mark.parametrize("query", ["", "the", "star"])
async def test_inline_articles_send_the_json_ptb_would_make_with_the_defaults(bot, query) -> None:
    """Articles keep their JSON from when they were built (handlers/inline.Article); it must
    be what PTB makes of them once it has put the app's defaults in (parse mode, previews)."""
    from telegram import InlineQueryResultArticle

    from handlers import inline

    ext_bot = bot.app.bot
    for lang in ("es", "en"):
        page, _more = inline.results(bot.services, lang, query)
        assert page
        for article in page:
            sent = ext_bot._insert_defaults_for_ilq_results(article)  # what answer() sends
            fresh = InlineQueryResultArticle.to_dict(sent)  # PTB's own, from the attributes
            assert sent.to_dict() == fresh
            assert fresh["input_message_content"]["parse_mode"] == "HTML"


@pytest.mark.parametrize("command", ["/about", "/acerca"])
async def test_about_names_the_sources_and_tmdb(bot, command) -> None:
    for lang in ("es", "en"):
        calls = await bot.feed(message_update(command, language=lang))
        answer = next(c for c in calls if c.method == "sendMessage")
        assert TMDB_ATTRIBUTION in answer.text and "CC BY-SA" in answer.text
        telegram_html.check(answer.text)


async def test_inline_results_for_a_film_without_a_picture(bot) -> None:
    engine = bot.services.engine
    movie_id = most_voted(engine, lambda card: card.image_url is None)
    calls = await bot.feed(inline_update(card_of(engine, movie_id).title, language="es"))
    answer = next(c for c in calls if c.method == "answerInlineQuery")
    results = answer.params["results"]
    results = json.loads(results) if isinstance(results, str) else results
    mine = next(r for r in results if r["id"] == str(movie_id))
    assert "thumbnail_url" not in mine
    assert mine["input_message_content"]["message_text"].startswith("🎬")


def test_a_short_overview_is_shown_whole_and_a_long_one_cut(shipped_engine) -> None:
    import dataclasses

    card = card_of(shipped_engine, most_voted(shipped_engine, lambda c: c.overview is not None))
    short = dataclasses.replace(card, overview="A heist & a chase.", overview_source="tmdb")
    assert films.card_text("en", short).endswith("\n\n<i>A heist &amp; a chase.</i>")
    long = dataclasses.replace(card, overview="word " * 400)
    text = films.card_text("en", long, MAX_CAPTION)
    assert len(text) <= MAX_CAPTION and text.endswith("word…</i>")
    # Wikipedia's text without its link is not shown at all (CC BY-SA needs the attribution)
    unattributed = dataclasses.replace(card, overview_source="wikipedia", overview_url=None)
    assert "<i>" not in films.card_text("en", unattributed)


def test_choices_show_the_spanish_title_first() -> None:
    from handlers.dialog import candidate_label
    from movierec.results import Candidate

    godfather = Candidate("movie", 238, "The Godfather", 1972)
    assert candidate_label("es", godfather, "El padrino") == "El padrino (The Godfather, 1972)"
    assert candidate_label("en", godfather, "El padrino") == "The Godfather (1972)"
    assert candidate_label("es", godfather) == "The Godfather (1972)"


def spanish_question(engine) -> str:
    """A title that is a question between films, one of them with a Spanish title (derived)."""
    from collections import defaultdict

    from movierec.results import Ambiguous
    from movierec.search import text

    c = engine.catalog
    by_key: dict[str, list[int]] = defaultdict(list)
    for row, title in enumerate(c.titles):
        by_key[text.title_key(title)].append(int(c.ids[row]))
    shared = sorted(
        (ids for ids in by_key.values() if len(ids) > 1),
        key=lambda ids: -max(int(c.vote_count[c.row(i)]) for i in ids),
    )
    for ids in shared[:300]:
        if any(engine.local_title(i, "es") for i in ids):
            title = c.titles[c.row(ids[0])]
            if isinstance(engine.resolve_title(title), Ambiguous):
                return title
    pytest.skip("no such question in the catalog under test")


async def test_a_question_between_films_labels_them_as_a_spanish_speaker_knows_them(bot) -> None:
    engine = bot.services.engine
    calls = await bot.feed(message_update(f"/score {spanish_question(engine)}", language="es"))
    ask = next(c for c in calls if c.method == "sendMessage")
    assert len(ask.buttons) > 1
    locals_seen = 0
    for button in ask.buttons:
        pressed = bot.services.codec.decode(button["callback_data"])
        assert pressed is not None
        card = card_of(engine, pressed.key, "es")
        bold, _ = films.heading("es", card.title, card.year, card.local_title)
        assert button["text"].startswith(f"{bold} (")
        locals_seen += card.local_title is not None
    assert locals_seen
