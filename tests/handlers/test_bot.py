"""The bot end to end: real Updates through a real Application, asserting on what it sent."""

from __future__ import annotations

import html
import logging
import re

import pytest

from handlers import texts
from handlers.actions import BUTTON_CODES
from handlers.buttons import MAX_BYTES, ButtonCodec
from handlers.console.offline import BOT_USERNAME
from handlers.console.updates import callback_update, inline_update, message_update
from handlers.reply import MAX_MESSAGE

GROUP = -100200300


def only(calls):
    assert len(calls) == 1, [(c.method, c.text[:60]) for c in calls]
    return calls[0]


def check_limits(calls) -> None:
    for call in calls:
        assert len(call.text) <= MAX_MESSAGE
        for button in call.buttons:
            if "callback_data" in button:
                assert len(button["callback_data"].encode()) <= MAX_BYTES


@pytest.mark.parametrize(
    ("language", "command", "expected"),
    [
        ("es", "/mes enero", "En <b>enero</b> se estrenaron <b>{n}</b> películas."),
        ("en", "/month enero", "<b>{n}</b> films premiered in <b>January</b>."),
        ("es", "/mes Setiembre", "En <b>septiembre</b> se estrenaron <b>{n}</b> películas."),
        ("en", "/month december", "<b>{n}</b> films premiered in <b>December</b>."),
        ("es", "/dia miercoles", "Un <b>miércoles</b> se estrenaron <b>{n}</b> películas."),
        ("en", "/day Friday", "<b>{n}</b> films premiered on a <b>Friday</b>."),
    ],
)
async def test_month_and_weekday(bot, language, command, expected) -> None:
    engine = bot.services.engine
    catalog = engine.catalog
    word = command.split()[1]
    if command.startswith(("/mes", "/month")):
        month = {"enero": 1, "setiembre": 9, "december": 12}[word.lower()]
        count = int((catalog.dates.astype("datetime64[M]").astype(int) % 12 == month - 1).sum())
    else:
        weekday = {"miercoles": 2, "friday": 4}[word.lower()]
        count = int(((catalog.dates.astype(int) + 3) % 7 == weekday).sum())  # 1970-01-01: Thu
    call = only(await bot.sent(message_update(command, language=language)))
    # the answer is the caption of its chart (handlers/charts.py), uploaded as PNG bytes
    assert call.method == "sendPhoto" and call.files["photo"].startswith(b"\x89PNG")
    assert call.text == expected.format(n=texts.number(language, count))


@pytest.mark.parametrize(
    ("language", "command"), [("es", "/score toy story"), ("en", "/score Toy Story")]
)
@pytest.mark.shipped
async def test_score(bot, language, command) -> None:
    call = only(await bot.sent(message_update(command, language=language)))
    assert "<b>Toy Story</b> (1995)" in call.text
    assert texts.number(language, 21.0, 2) in call.text
    assert call.buttons[0]["text"] == texts.raw(language, "button_card")


@pytest.mark.shipped
async def test_votes_with_and_without_enough_votes(bot) -> None:
    many = only(await bot.sent(message_update("/votos titanic 1997")))
    assert "tiene <b>7.770</b> votos" in many.text and "<b>7,5</b>/10" in many.text
    few = only(await bot.sent(message_update("/votes Titanic (1953)", language="en")))
    assert "does not meet the condition of at least 2,000 votes" in few.text
    assert "/10" not in few.text  # no average is given


@pytest.mark.shipped
async def test_actor_counts_acting_only(bot) -> None:
    call = only(await bot.sent(message_update("/actor tom hanks", language="en")))
    report = bot.services.engine.person(
        "actor", bot.services.engine.catalog.actors.names.index("Tom Hanks")
    )
    assert f"acted in <b>{report.film_count} films</b>" in call.text
    assert texts.ratio("en", report.total_return) in call.text
    assert texts.ratio("en", report.average_return) in call.text


@pytest.mark.shipped
async def test_director_is_paginated_by_editing_the_same_message(bot) -> None:
    engine = bot.services.engine
    almodovar = engine.catalog.directors.names.index("Pedro Almodóvar")
    report = engine.person("director", almodovar)
    pages = -(-report.film_count // 8)
    first = only(await bot.sent(message_update("/director almodovar")))
    films = texts.count("es", "films_count", report.film_count)
    header = f"<b>Pedro Almodóvar</b> dirigió <b>{films}</b>"
    assert header in first.text
    assert texts.ratio("es", report.overall_return) in first.text
    assert f"Página 1 de {pages}" in first.text and first.text.count("• <b>") == 8
    assert [b["text"] for b in first.buttons] == ["▶"]
    message = {"message_id": 777, "date": 0, "chat": {"id": 1001, "type": "private"}, "text": "x"}
    calls = await bot.feed(callback_update(first.buttons[0]["callback_data"], message=message))
    edit = only([c for c in calls if c.method == "editMessageText"])
    assert edit.params["message_id"] == 777 and f"Página 2 de {pages}" in edit.text
    assert [b["text"] for b in edit.buttons] == ["◀", "▶"]
    assert any(c.method == "answerCallbackQuery" for c in calls)
    # each film of page 1 with its date, return, budget and revenue written the Spanish way
    for film in report.films[:8]:
        assert f"• <b>{film.title}</b> — {texts.date('es', film.release_date)}" in first.text
        if film.budget and film.revenue:
            money = f"presupuesto {texts.money('es', film.budget)}"
            assert f"retorno {texts.ratio('es', film.return_)} · {money}" in first.text


@pytest.mark.shipped
def test_the_overall_return_is_revenue_over_budget_of_films_with_both(bot) -> None:
    engine = bot.services.engine
    report = engine.person("director", engine.catalog.directors.names.index("Pedro Almodóvar"))
    known = [f for f in report.films if f.return_ > 0]
    expected = sum(f.revenue for f in known) / sum(f.budget for f in known)
    assert report.overall_return == pytest.approx(expected)
    assert report.total_return == pytest.approx(sum(f.return_ for f in known))


@pytest.mark.shipped
async def test_recommendations_with_reasons_and_more(bot) -> None:
    call = only(await bot.sent(message_update("/recommend heat 1995", language="en")))
    assert call.text.startswith("If you liked <b>Heat</b> (1995), try:")
    assert call.text.count("\n   <i>") == 5  # each of the five says why, under its title
    from handlers.recommend import reasons_text

    for rec in bot.services.engine.similar(949, 5):  # what the engine gives, as it gives it
        assert f"<b>{html.escape(rec.title, quote=False)}</b>" in call.text
        assert reasons_text("en", rec.reasons) in call.text
    assert [b["text"] for b in call.buttons] == ["1", "2", "3", "4", "5", "More ▶"]
    calls = await bot.feed(callback_update(call.buttons[-1]["callback_data"], language="en"))
    more = only([c for c in calls if c.method == "editMessageText"])
    assert "6. <b>" in more.text and "1. <b>" not in more.text
    first = bot.services.engine.similar(949)[0].title
    assert f"1. <b>{first}</b>" in call.text
    pressed = await bot.feed(callback_update(call.buttons[0]["callback_data"], language="en"))
    opened = only([c for c in pressed if c.method in ("sendMessage", "sendPhoto")])  # a poster
    assert f"🎬 <b>{first}</b>" in opened.text


@pytest.mark.shipped
async def test_private_text_is_a_title_search_with_a_card(bot) -> None:
    calls = await bot.feed(message_update("toy story", language="en"))
    call = only([c for c in calls if c.method == "sendPhoto"])  # the poster, card as caption
    assert call.text.startswith("🎬 <b>Toy Story</b> (1995)")
    for fact in ("Animation, Comedy, Family", "John Lasseter", "Tom Hanks", "81 min", "12.45×"):
        assert fact in call.text
    labels = [b["text"] for b in call.buttons]
    assert labels[:5] == ["🎬 Similar", "🗳 Votes", "TMDB", "IMDb", "Letterboxd"]
    assert call.buttons[3]["url"] == "https://www.imdb.com/title/tt0114709/"


@pytest.mark.shipped
async def test_ambiguity_asks_and_the_choice_continues_the_command(bot) -> None:
    ask = only(await bot.sent(message_update("/score hamlet", language="en")))
    assert "could be several things" in ask.text and len(ask.buttons) == 5
    assert all(b["text"].startswith("Hamlet (") for b in ask.buttons)
    calls = await bot.feed(callback_update(ask.buttons[1]["callback_data"], language="en"))
    edit = only([c for c in calls if c.method == "editMessageText"])
    assert "<b>Hamlet</b> (" in edit.text and "Popularity" in edit.text


@pytest.mark.shipped
async def test_not_found_offers_suggestions(bot) -> None:
    call = only(await bot.sent(message_update("/score zzzxxq", language="en")))
    assert call.text == "I couldn't find “zzzxxq”. Did you mean…?"
    assert call.buttons


@pytest.mark.parametrize(
    ("command", "prompt"),
    [
        ("/mes", "¿Qué mes?"),
        ("/dia", "¿Qué día de la semana?"),
        ("/score", "¿Qué película?"),
        ("/votos", "¿Qué película?"),
        ("/actor", "¿Qué actor o actriz?"),
        ("/director", "¿Qué director o directora?"),
        ("/recomendar", "¿Qué película?"),
    ],
)
@pytest.mark.shipped
async def test_a_command_without_argument_asks_for_it(bot, command, prompt) -> None:
    asked = only(await bot.sent(message_update(command)))
    assert asked.text.startswith(prompt)
    assert asked.params["reply_markup"]["force_reply"] is True
    typed = {"/mes": "enero", "/dia": "viernes", "/actor": "almodovar", "/director": "almodovar"}
    reply = message_update(typed.get(command, "toy story"), reply_to=asked.result)
    answer = only(await bot.sent(reply))
    assert answer.text != asked.text and "force_reply" not in str(answer.params)
    # the same reply a second time is plain text again: the question was answered
    assert only(await bot.sent(reply)).text.startswith(("🎬", "No encontré", "«"))


@pytest.mark.shipped
async def test_groups(bot) -> None:
    call = only(
        await bot.sent(
            message_update(
                f"/score@{BOT_USERNAME} toy story", chat_id=GROUP, chat_type="supergroup"
            )
        )
    )
    assert "<b>Toy Story</b>" in call.text
    assert "reply_parameters" in call.params  # quotes the command it answers
    assert await bot.feed(message_update("toy story", chat_id=GROUP, chat_type="group")) == []
    other = message_update("/score@some_other_bot toy story", chat_id=GROUP, chat_type="group")
    assert await bot.sent(other) == []


async def test_edited_commands_are_not_answered_twice(bot) -> None:
    assert await bot.sent(message_update("/mes enero", edited=True)) == []


@pytest.mark.shipped
async def test_inline_mode(bot) -> None:
    calls = await bot.feed(inline_update("matrix", language="en"))
    answer = only([c for c in calls if c.method == "answerInlineQuery"])
    results = answer.params["results"]
    assert 1 <= len(results) <= 20 and answer.params["cache_time"] == 300
    # cards are in the asker's language: Telegram must not share one user's cache with another
    assert answer.params["is_personal"] is True
    assert results[0]["title"] == "The Matrix (1999)"
    assert "Action" in results[0]["description"]
    assert results[0]["input_message_content"]["message_text"].startswith("🎬 <b>The Matrix</b>")
    popular = only(
        [c for c in await bot.feed(inline_update("")) if c.method == "answerInlineQuery"]
    )
    assert len(popular.params["results"]) == 10 and popular.params["next_offset"] == "10"
    expected = bot.services.engine.popular(1)[0]
    assert popular.params["results"][0]["id"] == str(expected.key)


@pytest.mark.parametrize("invisible", ["\u200b", " \u200e ", "\u3164"])
async def test_inline_mode_reads_nothing_visible_as_nothing_typed(bot, invisible) -> None:
    """A query of invisible characters shows the popular films, as an empty one does, not
    an empty list."""
    empty = only([c for c in await bot.feed(inline_update("")) if c.method == "answerInlineQuery"])
    unseen = only(
        [c for c in await bot.feed(inline_update(invisible)) if c.method == "answerInlineQuery"]
    )
    assert [r["id"] for r in unseen.params["results"]] == [r["id"] for r in empty.params["results"]]


async def test_inline_results_come_in_pages_telegram_asks_for(bot) -> None:
    """Scrolling to the end asks for the next page (the offset we gave), up to five pages."""
    seen: list[str] = []
    offset = ""
    while True:
        calls = await bot.feed(inline_update("", offset=offset))
        answer = only([c for c in calls if c.method == "answerInlineQuery"])
        seen += [r["id"] for r in answer.params["results"]]
        offset = answer.params.get("next_offset", "")
        if not offset:
            break
    expected = [str(c.key) for c in bot.services.engine.popular(50)]
    assert seen == expected  # 50 films, in order, none twice
    for forged in ("abc", "15", "9999", "-10", "50", "１０"):  # not offsets we give
        calls = await bot.feed(inline_update("", offset=forged))
        answer = only([c for c in calls if c.method == "answerInlineQuery"])
        assert answer.params["results"] == []


async def test_inline_answers_are_built_once_per_language_and_text(bot, monkeypatch) -> None:
    from handlers import inline

    built: list[tuple[str, str]] = []
    build = inline.results

    def counting(s, lang, query, start=0):
        built.append((lang, query))
        return build(s, lang, query, start)

    monkeypatch.setattr(inline, "results", counting)
    answers = {}
    for user, lang in [(1, "en"), (2, "en"), (3, "es"), (4, "es")]:
        calls = await bot.feed(inline_update("", user_id=user, language=lang))
        answer = only([c for c in calls if c.method == "answerInlineQuery"])
        answers[user] = answer.params["results"]
    assert built == [("en", ""), ("es", "")]
    assert answers[1] == answers[2] and answers[3] == answers[4]
    english = answers[1][0]["input_message_content"]["message_text"]
    spanish = answers[3][0]["input_message_content"]["message_text"]
    assert english != spanish  # each person still gets their own language


@pytest.mark.parametrize(
    ("typed", "first"),
    [("toy", 862), ("toy st", 862), ("godf", 238), ("matrix", 603), ("story", 862)],
)
@pytest.mark.shipped
async def test_inline_is_typeahead(bot, typed, first) -> None:
    """Half-typed titles offer the film people mean first, and the others that fit after it."""
    calls = await bot.feed(inline_update(typed, language="en"))
    results = only([c for c in calls if c.method == "answerInlineQuery"]).params["results"]
    assert results[0]["id"] == str(first)
    assert len(results) > 1
    catalog = bot.services.engine.catalog
    for result in results[1:]:  # the rest share a word starting with what was typed
        title = catalog.titles[catalog.row(int(result["id"]))].lower()
        assert typed.split()[0] in title


@pytest.mark.shipped
async def test_stale_and_forged_buttons_expire_politely(bot) -> None:
    other_catalog = ButtonCodec(b"test-secret", "an older catalog", BUTTON_CODES).encode(
        "card", 862
    )
    valid = bot.services.codec.encode("card", 862)
    forged = valid[:-2] + ("AA" if not valid.endswith("AA") else "BB")
    for data in (other_catalog, forged, "1|c|862|0|0", "garbage", "2|c|1|0|0|x", "|" * 63):
        calls = await bot.feed(callback_update(data, language="en"))
        alert = only(calls)
        assert alert.method == "answerCallbackQuery"
        assert alert.params["text"] == texts.raw("en", "expired")
        assert alert.params["show_alert"] is True


async def test_every_reply_is_escaped_html(bot) -> None:
    call = only(await bot.sent(message_update("/score <b>x</b> & <i>", language="en")))
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;i&gt;" in call.text
    assert "<b>x</b>" not in call.text


async def test_language_follows_telegram_and_lang_overrides_it(make_bot, tmp_path) -> None:
    db = tmp_path / "prefs.sqlite3"
    first = await make_bot(db=db)
    spanish = only(await first.sent(message_update("/mes enero", language="es-419")))
    assert spanish.text.startswith("En <b>enero</b>")
    english = only(await first.sent(message_update("/lang en", language="es")))
    assert english.text == texts.raw("en", "lang_set")
    after_restart = await make_bot(db=db)
    call = only(await after_restart.sent(message_update("/mes enero", language="es")))
    assert "films premiered in <b>January</b>" in call.text
    usage = only(await after_restart.sent(message_update("/lang klingon", language="es")))
    assert usage.text == texts.raw("en", "lang_usage")


async def test_start_and_help_in_both_languages(bot) -> None:
    hola = only(await bot.sent(message_update("/start", language="es")))
    assert hola.text.startswith("¡Hola, Ana!")
    for language, command in (("es", "/help"), ("en", "/help"), ("es", "/ayuda")):
        help_text = only(await bot.sent(message_update(command, language=language))).text
        for example in ("/score", "/actor", "/director", f"@{BOT_USERNAME}"):
            assert example in help_text
        assert ("/mes" in help_text) == (language == "es")


async def test_errors_are_logged_with_the_update_id_and_told_to_the_user(
    bot, monkeypatch, caplog
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(bot.services.engine, "month", broken)
    update = message_update("/month enero", language="en")
    with caplog.at_level(logging.ERROR):
        calls = await bot.sent(update)
    assert only(calls).text == texts.raw("en", "error")
    assert f"update {update['update_id']} failed" in caplog.text
    assert "TEST-token" not in caplog.text


async def test_a_press_that_fails_still_stops_the_buttons_spinner(
    bot, monkeypatch, popular
) -> None:
    """The apology goes to the chat, and the press is answered too: otherwise the button
    keeps spinning until Telegram gives up on it."""
    _film, title, year = popular[0]
    [card] = [c for c in await bot.feed(message_update(f"{title} {year}")) if c.buttons]
    film = popular[1][0]  # a card not shown yet (one shown is remembered, not rendered again)

    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(bot.services.engine, "card", broken)
    data = bot.services.codec.encode("card", film)
    press = callback_update(data, message=card.result, user_id=7)
    calls = await bot.feed(press)
    assert [c.method for c in calls].count("answerCallbackQuery") == 1
    assert any(c.text == texts.raw("es", "error") for c in calls)


async def test_command_menu_in_two_languages(bot) -> None:
    from handlers import set_menu

    bot.log.clear()
    await set_menu(bot.app)
    calls = [c for c in bot.log.calls if c.method == "setMyCommands"]
    assert len(calls) == 2
    english, spanish = calls
    assert "language_code" not in english.params and spanish.params["language_code"] == "es"
    assert {c["command"] for c in spanish.params["commands"]} >= {
        "mes",
        "dia",
        "votos",
        "recomendar",
    }
    assert {c["command"] for c in english.params["commands"]} >= {
        "month",
        "day",
        "votes",
        "recommend",
    }
    # each menu speaks its language: /ayuda and /idioma for Spanish speakers
    assert {"ayuda", "idioma"} <= {c["command"] for c in spanish.params["commands"]}
    assert not {"help", "lang"} & {c["command"] for c in spanish.params["commands"]}
    assert {"help", "lang"} <= {c["command"] for c in english.params["commands"]}


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.shipped
async def test_help_examples_work_as_written(bot, language) -> None:
    """Every "/command <i>example</i>" line in /help answers directly, not with a question."""
    help_text = only(await bot.sent(message_update("/help", language=language))).text
    examples = re.findall(r"^(/\w+) <i>([^<]+)</i>", help_text, flags=re.M)
    assert len(examples) >= 7
    for command, example in examples:
        if command in ("/lang", "/idioma"):
            continue  # changes the language: tested on its own
        reply = only(await bot.sent(message_update(f"{command} {example}", language=language)))
        for question in ("ambiguous", "not_found", "not_found_suggest"):
            lead = texts.say(language, question, query=example)[:12]
            assert not reply.text.startswith(lead), (command, example, reply.text[:80])


async def test_start_in_a_group_does_not_ask_for_a_title(bot) -> None:
    group = message_update("/start", chat_id=GROUP, chat_type="group", language="en")
    call = only(await bot.sent(group))
    assert call.text == texts.raw("en", "start_group")
    private = only(await bot.sent(message_update("/start", language="en")))
    assert "Send me a title" in private.text and "Send me a title" not in call.text


@pytest.mark.shipped
async def test_limits_hold_for_a_walk_through_everything(bot) -> None:
    seen = []
    for text in ("/director hitchcock", "/recomendar star wars", "/actor de niro", "titanic"):
        calls = await bot.feed(message_update(text))
        seen += calls
        for call in calls:
            for button in call.buttons:
                if "callback_data" in button:
                    seen += await bot.feed(callback_update(button["callback_data"]))
    check_limits(seen)
    assert len(seen) > 20


async def test_unknown_commands_get_a_pointer_to_help(bot) -> None:
    call = only(await bot.sent(message_update("/foo bar", language="en")))
    assert call.text == texts.raw("en", "unknown_command")
    to_us = message_update(f"/foo@{BOT_USERNAME}", chat_id=GROUP, chat_type="group")
    assert only(await bot.sent(to_us)).text == texts.raw("es", "unknown_command")
    assert await bot.sent(message_update("/foo", chat_id=GROUP, chat_type="group")) == []
    other = message_update("/foo@other_bot", chat_id=GROUP, chat_type="group")
    assert await bot.sent(other) == []


@pytest.mark.shipped
async def test_genres_speak_the_users_language(bot) -> None:
    spanish = only(await bot.sent(message_update("toy story", language="es")))
    assert "<b>Géneros:</b> Animación, Comedia, Familia" in spanish.text
    english = only(await bot.sent(message_update("toy story", language="en")))
    assert "<b>Genres:</b> Animation, Comedy, Family" in english.text
    recs = only(await bot.sent(message_update("/recomendar toy story", language="es")))
    assert "géneros: Animación" in recs.text and "géneros: Animation" not in recs.text


@pytest.mark.parametrize("typed", ["toy", "matrix", "godfather part", "zzqqxx", "star"])
async def test_inline_offers_a_next_page_only_when_there_is_one(bot, typed) -> None:
    from handlers import inline

    calls = await bot.feed(inline_update(typed))
    answer = only([c for c in calls if c.method == "answerInlineQuery"])
    more = len(bot.services.engine.typeahead(typed, inline.PAGE + 1)) > inline.PAGE
    assert bool(answer.params.get("next_offset")) == more
