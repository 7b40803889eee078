"""Answers remembered for everyone (handlers/answer_memory.py) through the real Application:
rendered once, and never standing in for an answer that would have come out differently."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.queries import busiest_people
from handlers import charts, dialog, texts, viewer
from handlers.answer_memory import AnswerMemory
from handlers.buttons import Press
from handlers.console.updates import message_update
from handlers.reply import Photo, Reply
from movierec.results import Ambiguous
from tests.handlers.test_lists import USER, buttons, card_of
from tests.handlers.test_movienight import ANA, open_night, press

OTHER = 2002
GROUP = -100_777


@pytest.fixture
def renders(monkeypatch) -> list[tuple]:
    """Every time a key renderer actually runs (a remembered answer does not)."""
    calls: list[tuple] = []
    real = dialog.answer

    def counting(s, lang, pressed):
        calls.append((pressed.action, pressed.key, pressed.page, lang))
        return real(s, lang, pressed)

    monkeypatch.setattr(dialog, "answer", counting)
    return calls


async def test_the_same_question_from_two_people_is_rendered_once(bot, popular, renders):
    _movie, title, year = popular[0]
    [first] = await bot.sent(message_update(f"/score {title} {year}", user_id=USER))
    [second] = await bot.sent(message_update(f"/score {title} {year}", user_id=OTHER))
    assert first.text == second.text and first.buttons == second.buttons
    assert len(renders) == 1
    await bot.sent(message_update(f"/score {title} {year}", user_id=OTHER, language="en"))
    assert len(renders) == 2  # another language is another answer


async def test_a_question_that_names_nothing_for_sure_is_answered_once(bot, monkeypatch):
    asked: list[str] = []
    real = dialog.ask_back

    def counting(s, lang, action, query, resolution):
        asked.append(query)
        return real(s, lang, action, query, resolution)

    monkeypatch.setattr(dialog, "ask_back", counting)
    [first] = await bot.sent(message_update("/score qzxv qzxv", user_id=USER))
    [second] = await bot.sent(message_update("/score qzxv qzxv", user_id=OTHER))
    assert first.text == second.text and "qzxv" in first.text
    assert asked == ["qzxv qzxv"]
    # another action, another language: other answers
    await bot.sent(message_update("/votos qzxv qzxv", user_id=OTHER))
    [english] = await bot.sent(message_update("/score qzxv qzxv", user_id=USER, language="en"))
    assert asked == ["qzxv qzxv"] * 3 and english.text != first.text


async def test_choices_are_remembered_per_action(bot, shipped_engine, renders):
    """The same ambiguous text through /score and /votos: each one's buttons answer it."""
    shared = Counter(str(t) for t in shipped_engine.catalog.titles)  # titles of several films
    ambiguous = next(
        title
        for title, films in shared.most_common(200)
        if films > 1 and isinstance(shipped_engine.resolve_title(title), Ambiguous)
    )
    for command, action in (("/score", "score"), ("/votos", "votes")):
        [choices] = await bot.sent(message_update(f"{command} {ambiguous}"))
        pressed = {bot.services.codec.decode(b["callback_data"]).action for b in choices.buttons}
        assert pressed == {action}


async def test_long_or_refused_text_is_not_kept(bot):
    before = len(bot.services.answers)
    await bot.sent(message_update("/score " + "x" * 300))  # refused: too long
    await bot.sent(message_update("/mes " + "enero" * 50))
    assert len(bot.services.answers) == before


async def test_someone_with_films_gets_their_own_card_and_leaves_others_theirs(
    bot, popular, renders
):
    movie, title, year = popular[1]
    assert "🕒 Para luego" in buttons(await card_of(bot, title, year))  # remembered, no lists
    await bot.services.store.list_set(OTHER, movie, viewer.LATER_KIND)
    [own] = [
        c for c in await bot.feed(message_update(f"{title} {year}", user_id=OTHER)) if c.buttons
    ]
    assert "🕒 Para luego ✓" in buttons(own)
    again = await card_of(bot, title, year)
    assert "🕒 Para luego" in buttons(again) and "🕒 Para luego ✓" not in buttons(again)
    assert len(renders) == 2  # the first card, then the one with a ✓; the third remembered


async def test_recommendations_leave_out_your_seen_films_even_when_remembered(
    bot, shipped_engine, popular
):
    seed, title, year = popular[2]
    [everyone] = await bot.sent(message_update(f"/recomendar {title} {year}"))
    first = shipped_engine.similar(seed, 1)[0]
    assert f"<b>{first.title}</b> ({first.year})" in everyone.text
    await bot.services.store.list_set(OTHER, first.movie_id, "seen", None)
    [own] = await bot.sent(message_update(f"/recomendar {title} {year}", user_id=OTHER))
    assert f"<b>{first.title}</b> ({first.year})" not in own.text


async def test_the_night_row_comes_and_goes_with_the_night_whatever_was_remembered(bot, films):
    movie, title = films[0]
    propose = texts.raw("es", "button_night_propose")

    async def private_card() -> list[str]:
        calls = await bot.feed(message_update(title, user_id=ANA))
        return [b["text"] for c in calls for b in c.buttons]

    async def group_card() -> list[str]:
        calls = await bot.feed(press(bot.services.codec.encode("card", movie), board, ANA))
        card = next(c for c in calls if c.method in ("sendMessage", "sendPhoto"))
        return [b["text"] for b in card.buttons]

    assert propose not in await private_card()  # remembered without the row
    board = await open_night(bot, GROUP)
    assert propose in await group_card()
    assert propose in await group_card()  # remembered with it
    assert propose not in await private_card()


async def test_a_chart_that_came_late_is_not_remembered_without_it(bot, monkeypatch):
    s = bot.services
    person = busiest_people(s.engine.catalog, "actor", 1)[0]
    late = [True]
    drawn = Photo(data=b"\x89PNG fake", name="chart.png")

    def chart(s, lang, role, key, report=None):
        return None if late[0] else drawn

    monkeypatch.setattr(charts, "person_chart", chart)
    assert (await dialog.answer_async(s, "es", Press("actor", person))).photo is None
    late[0] = False
    # asked again, not the remembered chartless answer; then remembered with its chart
    assert (await dialog.answer_async(s, "es", Press("actor", person))).photo is drawn
    monkeypatch.setattr(charts, "person_chart", lambda *a, **k: None)
    assert (await dialog.answer_async(s, "es", Press("actor", person))).photo is drawn


@pytest.mark.parametrize("command", ["/mes enero", "/dia viernes"])
async def test_a_calendar_chart_that_came_late_is_not_remembered_without_it(
    bot, monkeypatch, command
):
    late = [True]
    drawn = Photo(data=b"\x89PNG fake", name="chart.png")
    monkeypatch.setattr(charts, "calendar_chart", lambda *a: None if late[0] else drawn)
    assert not [c for c in await bot.feed(message_update(command)) if c.method == "sendPhoto"]
    late[0] = False
    assert [c for c in await bot.feed(message_update(command)) if c.method == "sendPhoto"]


async def test_a_directors_late_chart_is_not_remembered_without_it(bot, monkeypatch):
    s = bot.services
    person = busiest_people(s.engine.catalog, "director", 1)[0]
    late = [True]
    drawn = Photo(data=b"\x89PNG fake", name="chart.png")
    monkeypatch.setattr(charts, "person_chart", lambda *a, **k: None if late[0] else drawn)
    assert (await dialog.answer_async(s, "es", Press("director", person))).photo is None
    late[0] = False
    assert (await dialog.answer_async(s, "es", Press("director", person))).photo is drawn
    # the next page has no chart to wait for: remembered as it is
    page = Press("director_page", person, 1)
    assert await dialog.answer_async(s, "es", page) is await dialog.answer_async(s, "es", page)


def test_chart_answers_are_kept_apart_and_few():
    memory = AnswerMemory(entries=10, chart_entries=2)
    for n in range(5):
        memory.put(("press", "actor", n), Reply("c", photo=Photo(data=bytes([n]))))
        memory.put(("press", "card", n), Reply("t"))
    assert len(memory) == 2 + 5  # the last two charts, every other answer
    assert memory.get(("press", "actor", 0)) is None
    assert memory.get(("press", "actor", 4)) is not None
    memory.put(("press", "late", 0), Reply("no chart yet", complete=False))
    assert memory.get(("press", "late", 0)) is None


def test_nothing_is_remembered_for_a_viewer_with_films():
    press = Press("card", 1)
    assert AnswerMemory.press_key("es", press, False) is not None
    viewer.use(viewer.Viewer(later=frozenset({1})))
    try:
        assert AnswerMemory.press_key("es", press, False) is None
        assert AnswerMemory.text_key("es", "month", "enero", False) is None
    finally:
        viewer.use(viewer.EMPTY)


def test_keys_tell_apart_everything_an_answer_depends_on():
    text = AnswerMemory.text_key
    assert (
        len(
            {
                text(lang, action, "1", night)
                for lang in ("es", "en")
                for action in ("month", "weekday")
                for night in (False, True)
            }
        )
        == 8
    )
    press = AnswerMemory.press_key
    presses = [Press("card", 1), Press("card", 2), Press("votes", 1), Press("director_page", 1, 1)]
    assert (
        len(
            {
                press(lang, p, night)
                for lang in ("es", "en")
                for p in presses
                for night in (False, True)
            }
        )
        == 16
    )


async def test_one_update_never_carries_its_askers_lists_into_the_next(
    bot, shipped_engine, popular
):
    """The harness feeds updates one after another in one task, as the console chat does:
    the lists loaded for one asker must not stay for the next (found by a hostile probe)."""
    seed, title, year = popular[3]
    first = shipped_engine.similar(seed, 1)[0]
    shown = f"<b>{first.title}</b> ({first.year})"
    await bot.services.store.list_set(USER, first.movie_id, "seen", None)
    [own] = await bot.sent(message_update(f"/recomendar {title} {year}", user_id=USER))
    assert shown not in own.text
    group = message_update(
        f"/recomendar {title} {year}", user_id=OTHER, chat_id=GROUP, chat_type="group"
    )
    [everyone] = await bot.sent(group)
    assert shown in everyone.text
