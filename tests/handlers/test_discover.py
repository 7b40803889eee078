"""/descubrir, /azar and /saga through the real Application and the offline Bot API."""

from __future__ import annotations

import pytest

from handlers import discover
from handlers.console.updates import callback_update, message_update
from movierec.discover.parse import parse
from movierec.discover.query import Query, Unanswerable

USER = 1001


def answer(calls):
    """The one message a command answered with."""
    found = [c for c in calls if c.method in ("sendMessage", "editMessageText")]
    assert len(found) == 1, [(c.method, c.text[:60]) for c in calls]
    return found[0]


def button(call, label: str) -> str:
    return next(b["callback_data"] for b in call.buttons if b["text"] == label)


def press(call, label: str, user_id: int = USER) -> dict:
    message = call.result  # the message the button is under, as the Bot API returned it
    return callback_update(button(call, label), message=message, user_id=user_id)


async def test_discover_says_how_it_understood_and_pages(bot, shipped_engine) -> None:
    first = answer(await bot.feed(message_update("/descubrir comedia corta de los 90 con zombis")))
    assert "Comedia · 1990–1999 · &lt; 100 min" in first.text
    assert "zombis" in first.text  # the word it ignored is said
    query = Query(genres=("Comedy",), year_from=1990, year_to=1999, shorter_than=100)
    expected = shipped_engine.discover(query, 0, discover.PAGE)
    assert not isinstance(expected, Unanswerable)
    for item in expected.items:
        assert item.title.replace("&", "&amp;") in first.text
    # each film opens: the number buttons are cards
    cards = [b for b in first.buttons if b["text"].isdigit()]
    assert len(cards) == len(expected.items)
    second = answer(await bot.feed(press(first, "▶")))
    assert second.method == "editMessageText"
    page_two = shipped_engine.discover(query, 1, discover.PAGE)
    assert not isinstance(page_two, Unanswerable)
    assert page_two.items[0].title.replace("&", "&amp;") in second.text
    back = answer(await bot.feed(press(second, "◀")))
    assert back.text.split("\n")[-1] == first.text.split("\n")[-1]


async def test_discover_in_english(bot) -> None:
    call = answer(await bot.feed(message_update("/discover good french sci-fi", language="en")))
    assert "Science Fiction · well rated · in French" in call.text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("/descubrir", "Dime qué te apetece"),
        ("/descubrir xyzzy plugh", "No he entendido «xyzzy plugh»"),
        ("/descubrir " + "comedia " * 100, "muy largo"),
        ("/descubrir <b>terror</b> & <script>", "Terror"),
        ("/descubrir western japonés de 1900 a 1901", "Ninguna película cumple"),
    ],
)
async def test_discover_answers_odd_input_politely(bot, text: str, key: str) -> None:
    assert key in answer(await bot.feed(message_update(text))).text


async def test_an_expired_query_says_so(bot) -> None:
    stale = bot.services.codec.encode("discover_page", 123456789, 1, edit=True)
    calls = await bot.feed(callback_update(stale))
    alert = [c for c in calls if c.method == "answerCallbackQuery"]
    assert alert and "ya no vale" in alert[0].params["text"]


def draws_of(shipped_engine, text: str) -> set[int]:
    """Every film /azar may draw for ``text``: the good matches (all the query's matches)."""
    parsed = parse(text)
    assert not isinstance(parsed, Unanswerable)
    page = shipped_engine.discover(Query(**{**parsed.query.__dict__, "good": True}), 0, 50)
    assert not isinstance(page, Unanswerable)
    if not 3 <= page.total <= 50:  # another catalog build: too few or too many to draw all
        pytest.skip(f"{text!r} has {page.total} well-rated films in this catalog")
    return {i.movie_id for i in page.items}


def drawn_id(call) -> int:
    return int(button(call, "🎬 Ficha").split("|")[2])


async def test_random_never_repeats_in_a_chat(bot, shipped_engine) -> None:
    text = "/azar terror japonés"
    pool = draws_of(shipped_engine, text)
    call = answer(await bot.feed(message_update(text)))
    seen = [drawn_id(call)]
    for _ in range(len(pool) - 1):
        call = answer(await bot.feed(press(call, "🎲 Otra")))
        assert call.method == "editMessageText"
        seen.append(drawn_id(call))
    assert len(set(seen)) == len(seen) and set(seen) == pool
    # the drawn ids are kept in the store (any replica sees them), not in this process
    qid = discover.query_id(parse("terror japonés").query)  # type: ignore[union-attr]
    stored = await bot.services.store.kv_get(discover.DRAWN, f"{USER}:{qid}")
    assert stored is not None and sorted(eval(stored)) == sorted(seen)
    done = answer(await bot.feed(press(call, "🎲 Otra")))
    assert "todas las que encajan" in done.text
    again = answer(await bot.feed(press(done, "🎲 Otra")))
    assert drawn_id(again) in pool  # and it starts over


async def test_random_skips_what_you_have_seen(bot, shipped_engine) -> None:
    text = "/azar terror japonés"
    pool = sorted(draws_of(shipped_engine, text))
    keep = pool[0]
    for movie_id in pool[1:]:
        await bot.services.store.list_set(USER, movie_id, "seen")
    for _ in range(2):
        call = answer(await bot.feed(message_update(text)))
        if "🎬 Ficha" in [b["text"] for b in call.buttons]:
            assert drawn_id(call) == keep
        else:
            assert "todas las que encajan" in call.text


async def test_random_without_filters_draws_a_well_rated_film(bot, shipped_engine) -> None:
    from movierec.discover.rank import GOOD_RATING, PRIOR_VOTES

    catalog = shipped_engine.catalog
    mean = float(catalog.vote_average[catalog.vote_count > 0].mean())
    for _ in range(5):
        call = answer(await bot.feed(message_update("/random", language="en")))
        card = shipped_engine.card(int(button(call, "🎬 Card").split("|")[2]))
        v = card.vote_count
        weighted = (v * card.vote_average + PRIOR_VOTES * mean) / (v + PRIOR_VOTES)
        assert weighted >= GOOD_RATING - 1e-9
        assert f"<b>{card.title}</b>".replace("&", "&amp;") in call.text


def saga_fixture(shipped_engine) -> tuple[int, list[int]]:
    """A film of a saga of at least three (its id and the saga's ids in order)."""
    for movie_id in (863, 120, 11, 1891, 85):  # Toy Story 2, LOTR, Star Wars… when present
        found = shipped_engine.saga(movie_id)
        if not isinstance(found, Unanswerable) and len(found.films) >= 3:
            return movie_id, [f.movie_id for f in found.films]
    pytest.skip("no saga of three films among the usual ones in this catalog")


async def test_saga_marks_seen_and_says_what_comes_next(bot, shipped_engine) -> None:
    movie_id, ids = saga_fixture(shipped_engine)
    titles = [shipped_engine.card(i).title for i in ids]
    await bot.services.store.list_set(USER, ids[0], "seen")
    choice = bot.services.codec.encode("saga", movie_id, edit=True)
    call = answer(await bot.feed(callback_update(choice)))
    lines = call.text.split("\n")
    assert lines[1].startswith("1. ✅ ") and "✅" not in lines[2]
    assert f"La siguiente para ver: <b>{titles[1]}</b>" in call.text.replace("&amp;", "&")


@pytest.mark.shipped
async def test_saga_command_in_release_order(bot) -> None:
    call = answer(await bot.feed(message_update("/collection toy story 2", language="en")))
    assert (
        call.text.index("Toy Story</b>")
        < call.text.index("Toy Story 2")
        < call.text.index("Toy Story 3")
    )
    assert "Start with: <b>Toy Story</b> (1995)" in call.text


@pytest.mark.shipped
async def test_saga_of_a_film_without_one(bot) -> None:
    call = answer(await bot.feed(message_update("/saga heat 1995")))
    assert "no forma parte de ninguna saga" in call.text


async def test_saga_without_a_title_says_how(bot) -> None:
    assert "/saga toy story" in answer(await bot.feed(message_update("/saga"))).text


async def test_commands_answer_in_groups_quoting(bot) -> None:
    update = message_update("/azar comedia", chat_id=-500, chat_type="group")
    call = answer(await bot.feed(update))
    assert call.params.get("reply_parameters")  # quotes the command it answers


def test_query_ids_are_stable_and_short() -> None:
    q = Query(genres=("Drama",), year_from=1990)
    assert discover.query_id(q) == discover.query_id(Query(genres=("Drama",), year_from=1990))
    assert discover.query_id(q) != discover.query_id(Query(genres=("Drama",)))
    assert 0 <= discover.query_id(q) < 10**9


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_language_the_parser_knows_has_a_name(lang: str) -> None:
    from handlers import texts
    from movierec.discover.vocabulary import LANGUAGE_WORDS

    for code in LANGUAGE_WORDS:
        assert texts.raw(lang, f"language_{code}")


NASTY = [
    "\u202e\u0000\x1b[31m",
    "<b><i>comedia</b>",
    "9" * 5000,
    "🎬" * 300,
    "1990-" * 60,
    "'; DROP TABLE kv; --",
    "(.*)+$[",
    "años -80 --votos",
    "\n\n\t",
]


@pytest.mark.parametrize("command", ["/descubrir", "/azar", "/saga", "/discover", "/random"])
@pytest.mark.parametrize("text", NASTY)
async def test_hostile_text_gets_a_polite_answer(bot, command: str, text: str) -> None:
    calls = await bot.feed(message_update(f"{command} {text}"))
    answers = [c for c in calls if c.method in ("sendMessage", "sendPhoto")]
    assert len(answers) == 1
    assert 0 < len(answers[0].text) <= 4096
