"""Movie night through the real Application and the in-process Bot API: open, nominate (reply,
command, the card's button), compromise picks, the poll, answers, close, the winner's card; a
restart in the middle, two groups at once, forum topics, and everything that can go wrong.

Films are chosen from the catalog under test (popular titles that resolve to themselves), so
nothing here depends on the shipped catalog.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

from handlers import texts
from handlers.console.updates import callback_update, message_update, user_json
from handlers.movienight import night as nights
from handlers.movienight import timer
from handlers.movienight.flow import MAX_NOMINEES

GROUP, OTHER_GROUP, FORUM = -100500, -100600, -100700
ANA, BEN, CY = 1001, 1002, 1003
_ids = itertools.count(900_000)


def say(chat: int, user: int, text: str, *, thread: int = 0, reply_to: dict | None = None):
    update = message_update(
        text, user_id=user, chat_id=chat, chat_type="supergroup", reply_to=reply_to
    )
    update["message"]["from"]["first_name"] = {ANA: "Ana", BEN: "Ben", CY: "Cy"}.get(user, "X")
    if thread:
        update["message"]["message_thread_id"] = thread
        update["message"]["is_topic_message"] = True
    return update


def press(data: str, message: dict, user: int) -> dict:
    update = callback_update(data, message=message, user_id=user)
    update["callback_query"]["from"]["first_name"] = {ANA: "Ana", BEN: "Ben", CY: "Cy"}[user]
    return update


def vote(poll_id: str, user: int, *options: int) -> dict:
    answer = {"poll_id": poll_id, "user": user_json(user), "option_ids": list(options),
              "option_persistent_ids": [str(o) for o in options]}  # fmt: skip
    return {"update_id": next(_ids), "poll_answer": answer}


def as_message(call, chat: int, thread: int = 0) -> dict:
    """What a sent message looks like when a member replies to it or presses its buttons."""
    message = dict(call.result)
    message["chat"] = {"id": chat, "type": "supergroup", "title": "Cinéfilos"}
    if thread:
        message["message_thread_id"], message["is_topic_message"] = thread, True
    return message


def texts_of(calls) -> str:
    return "\n".join(c.text for c in calls)


def methods(calls) -> list[str]:
    return [c.method for c in calls]


async def open_night(bot, chat: int, thread: int = 0, arg: str = "") -> dict:
    calls = await bot.sent(say(chat, ANA, f"/noche {arg}".strip(), thread=thread))
    assert len(calls) == 1 and "Noche de peli" in calls[0].text, texts_of(calls)
    return as_message(calls[0], chat, thread)


async def nominate_three(bot, films, chat: int, thread: int = 0) -> list[int]:
    """Ben replies to the night message, Cy uses /propongo, Ana presses a card's 🍿 button."""
    night_message = await open_night(bot, chat, thread)
    (a, a_title), (b, b_title), (c, _c_title) = films[0], films[1], films[2]
    calls = await bot.sent(say(chat, BEN, a_title, thread=thread, reply_to=night_message))
    assert "Ben propone" in texts_of(calls) and "(1)" in texts_of(calls), texts_of(calls)
    calls = await bot.sent(say(chat, CY, f"/propongo {b_title}", thread=thread))
    assert "Cy propone" in texts_of(calls) and "(2)" in texts_of(calls), texts_of(calls)
    # a card shown in the group (its "card" button pressed) carries the 🍿 row
    card_button = bot.services.codec.encode("card", c)
    calls = await bot.feed(press(card_button, night_message, ANA))
    card = next(c for c in calls if c.method in ("sendMessage", "sendPhoto"))
    propose = texts.raw("es", "button_night_propose")
    data = next(b["callback_data"] for b in card.buttons if b["text"] == propose)
    calls = await bot.feed(press(data, as_message(card, chat, thread), ANA))
    assert "Ana propone" in texts_of(calls) and "(3)" in texts_of(calls), texts_of(calls)
    assert any(c.method == "answerCallbackQuery" for c in calls)
    return [a, b, c]


async def start_poll(bot, chat: int, thread: int = 0, arg: str = ""):
    calls = await bot.feed(say(chat, ANA, f"/votar {arg}".strip(), thread=thread))
    polls = [c for c in calls if c.method == "sendPoll"]
    assert len(polls) == 1, texts_of(calls)
    return polls[0], calls


def poll_options(call) -> list[str]:
    import json

    options = call.params["options"]
    options = json.loads(options) if isinstance(options, str) else options
    return [o if isinstance(o, str) else o["text"] for o in options]


def option_label(engine, movie_id: int) -> str:
    card = engine.card(movie_id)
    return f"{card.title} ({card.year})"


async def test_the_whole_flow(bot, films) -> None:
    engine = bot.services.engine
    nominees = [films[0][0], films[1][0], films[2][0]]
    # Ben keeps lists: he has seen the film the picks would otherwise start with, and liked one
    first_pick = engine.compromise(nominees, [], [], 3)[0].movie_id
    await bot.services.store.list_set(BEN, first_pick, "seen", 2)
    await bot.services.store.list_set(BEN, films[5][0], "seen", 5)
    assert await nominate_three(bot, films, GROUP) == nominees

    poll, calls = await start_poll(bot, GROUP)
    picks_message = next(c for c in calls if c.method == "sendMessage")
    assert "consenso" in picks_message.text
    options = poll_options(poll)
    assert options[:3] == [option_label(engine, m) for m in nominees]
    assert 4 <= len(options) <= 6 and all(o.startswith("🤝 ") for o in options[3:])
    expected = engine.compromise(nominees, [films[5][0]], [first_pick, films[5][0]], 3)
    assert options[3:] == ["🤝 " + option_label(engine, p.movie_id) for p in expected]
    assert option_label(engine, first_pick) not in "".join(options)
    assert poll.params["is_anonymous"] in (False, "false")
    assert int(poll.params["open_period"]) == 600

    poll_id = poll.result["poll"]["id"]
    for user, option in ((ANA, 1), (BEN, 1), (CY, 0)):
        assert await bot.feed(vote(poll_id, user, option)) == []  # counted silently
    await bot.feed(vote(poll_id, CY, 3))  # Cy changes her mind
    night = await nights.load(bot.services.store, GROUP, 0)
    assert night is not None and night.tally()[:4] == [0, 2, 0, 1]

    # Ben did not open the night and is no admin: he cannot cut the vote short
    calls = await bot.feed(say(GROUP, BEN, "/cerrar"))
    assert "Solo quien abrió la noche" in texts_of(calls) and "stopPoll" not in methods(calls)
    bot.log.admins.add(BEN)  # an admin of the group can
    calls = await bot.feed(say(GROUP, BEN, "/cerrar"))
    assert [c.method for c in calls if c.method == "stopPoll"] == ["stopPoll"]
    winner = next(c for c in calls if "🏆" in c.text)
    assert f"🏆 Ganadora: <b>{films[1][1]}</b>" in winner.text.replace("&amp;", "&")
    assert "2 votos" in winner.text and "azar" not in winner.text
    assert engine.card(films[1][0]).title in winner.text.replace("&amp;", "&")
    # closed: the next /cerrar and late votes change nothing
    assert "No hay ninguna noche" in texts_of(await bot.sent(say(GROUP, ANA, "/cerrar")))
    await bot.feed(vote(poll_id, ANA, 0))
    assert (await nights.load(bot.services.store, GROUP, 0)).tally()[:2] == [0, 2]


async def test_a_restart_in_the_middle(make_bot, films, tmp_path) -> None:
    db = tmp_path / "state.sqlite3"
    first = await make_bot(db=db)
    nominees = await nominate_three(first, films, GROUP)
    await first.app.shutdown()
    second = await make_bot(db=db)  # a new Application over the same SQLite file
    calls = await second.sent(say(GROUP, BEN, f"/propongo {films[3][1]}"))
    assert "Ya has propuesto 1 película" in texts_of(calls)
    poll, _ = await start_poll(second, GROUP)
    poll_id = poll.result["poll"]["id"]
    await second.app.shutdown()
    third = await make_bot(db=db)  # and again while the poll is open: votes find their night
    for user in (ANA, BEN, CY):
        await third.feed(vote(poll_id, user, 2))
    calls = await third.feed(say(GROUP, ANA, "/close"))  # Ana opened it
    assert any("🏆" in c.text for c in calls)
    night = await nights.load(third.services.store, GROUP, 0)
    assert night is not None and night.winner == nominees[2] and night.status == "closed"


async def test_two_groups_at_once(bot, films) -> None:
    await open_night(bot, GROUP)
    await open_night(bot, OTHER_GROUP)
    for chat, (_movie, title) in ((GROUP, films[0]), (OTHER_GROUP, films[1])):
        await bot.sent(say(chat, ANA, f"/propongo {title}"))
        await bot.sent(say(chat, BEN, f"/propongo {films[4][1]}"))
    one, _ = await start_poll(bot, GROUP)
    other, _ = await start_poll(bot, OTHER_GROUP)
    assert one.params["chat_id"] == GROUP and other.params["chat_id"] == OTHER_GROUP
    assert poll_options(one)[0] != poll_options(other)[0]
    await bot.feed(vote(one.result["poll"]["id"], ANA, 0))
    await bot.feed(vote(other.result["poll"]["id"], ANA, 1))
    await bot.feed(vote(other.result["poll"]["id"], BEN, 1))
    one_night = await nights.load(bot.services.store, GROUP, 0)
    other_night = await nights.load(bot.services.store, OTHER_GROUP, 0)
    assert one_night.tally()[:2] == [1, 0] and other_night.tally()[:2] == [0, 2]
    calls = await bot.feed(say(OTHER_GROUP, ANA, "/cerrar"))
    assert any(films[4][1] in c.text.replace("&amp;", "&") for c in calls if "🏆" in c.text)
    assert (await nights.load(bot.services.store, GROUP, 0)).status == "voting"


async def test_forum_topics_have_a_night_each(bot, films) -> None:
    await open_night(bot, FORUM, thread=11)
    await open_night(bot, FORUM, thread=22)
    await bot.sent(say(FORUM, ANA, f"/propongo {films[0][1]}", thread=11))
    await bot.sent(say(FORUM, BEN, f"/propongo {films[1][1]}", thread=11))
    calls = await bot.sent(say(FORUM, ANA, f"/propongo {films[2][1]}", thread=22))
    assert "(1)" in texts_of(calls)  # topic 22's own list
    assert all(int(c.params.get("message_thread_id", 0)) == 22 for c in calls)
    poll, _ = await start_poll(bot, FORUM, thread=11)
    assert int(poll.params["message_thread_id"]) == 11
    await bot.feed(vote(poll.result["poll"]["id"], CY, 1))
    calls = await bot.feed(say(FORUM, ANA, "/cerrar", thread=11))
    winner = next(c for c in calls if "🏆" in c.text)
    assert int(winner.params["message_thread_id"]) == 11
    assert (await nights.load(bot.services.store, FORUM, 22)).status == "open"
    assert await nights.load(bot.services.store, FORUM, 0) is None


async def test_spam_and_too_few_options_get_clear_answers(bot, films, monkeypatch) -> None:
    night_message = await open_night(bot, GROUP)
    assert "Ya hay una noche" in texts_of(await bot.sent(say(GROUP, BEN, "/noche")))
    assert "Aún no hay propuestas" in texts_of(await bot.sent(say(GROUP, BEN, "/votar")))
    await bot.sent(say(GROUP, BEN, f"/propongo {films[0][1]}"))
    again = texts_of(await bot.sent(say(GROUP, CY, "/noche")))  # where the night stands
    assert "Ya hay una noche" in again and "Propuestas (1)" in again
    calls = await bot.sent(say(GROUP, CY, films[0][1], reply_to=night_message))
    assert "ya está propuesta (por Ben)" in texts_of(calls).replace("&amp;", "&")
    calls = await bot.sent(say(GROUP, BEN, f"/propongo {films[1][1]}"))
    assert "Ya has propuesto 1 película, el máximo" in texts_of(calls)
    assert "¿Qué película?" in texts_of(await bot.sent(say(GROUP, BEN, "/propongo")))
    # a single nominee and no compromise possible: one option is no vote
    monkeypatch.setattr(bot.services.engine, "compromise", lambda *a, **k: ())
    calls = await bot.feed(say(GROUP, ANA, "/votar"))
    assert "al menos dos opciones" in texts_of(calls)
    assert not [c for c in calls if c.method == "sendPoll"]
    # and the night is still open for nominations
    assert "Cy propone" in texts_of(await bot.sent(say(GROUP, CY, f"/propongo {films[2][1]}")))
    assert "Uso: /votar" in texts_of(await bot.sent(say(GROUP, CY, "/votar mañana")))


async def test_the_list_is_capped(make_bot, films) -> None:
    bot = await make_bot()
    await open_night(bot, GROUP)
    for n, (_movie, title) in enumerate(films[:MAX_NOMINEES]):
        assert "propone" in texts_of(await bot.sent(say(GROUP, 2000 + n, f"/propongo {title}")))
    calls = await bot.sent(say(GROUP, 3000, f"/propongo {films[MAX_NOMINEES][1]}"))
    assert "La lista está llena" in texts_of(calls)
    poll, _ = await start_poll(bot, GROUP)
    assert len(poll_options(poll)) == 10


async def test_private_chats_are_told_it_is_for_groups(bot) -> None:
    for command in ("/noche", "/movienight", "/propongo alien", "/votar", "/cerrar"):
        calls = await bot.sent(message_update(command, language="en"))
        assert "Movie night is for groups" in texts_of(calls), command


async def test_a_deleted_poll_and_a_member_who_left(bot, films) -> None:
    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP)
    poll_id = poll.result["poll"]["id"]
    await bot.feed(vote(poll_id, BEN, 2))
    left = say(GROUP, ANA, "x")
    del left["message"]["text"]
    left["message"]["left_chat_member"] = user_json(BEN)
    await bot.feed(left)

    def gone(method, _params):
        if method == "stopPoll":
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: "
                         "message to stop not found"}  # fmt: skip
        return None

    for request in bot.app.bot._request:  # the in-process Bot API
        request.fault = gone
    calls = await bot.feed(say(GROUP, ANA, "/cerrar"))
    winner = next(c for c in calls if "🏆" in c.text)
    assert "1 voto" in winner.text  # Ben's vote counts though he left


async def test_a_tie_is_broken_at_random_and_said(bot, films) -> None:
    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP)
    await bot.feed(vote(poll.result["poll"]["id"], ANA, 0))
    await bot.feed(vote(poll.result["poll"]["id"], BEN, 1))
    calls = await bot.feed(say(GROUP, ANA, "/cerrar"))
    winner = next(c for c in calls if "🏆" in c.text)
    assert "Empate entre" in winner.text and "al azar" in winner.text
    night = await nights.load(bot.services.store, GROUP, 0)
    assert night.winner in (films[0][0], films[1][0]) and set(night.tied) == {
        films[0][0],
        films[1][0],
    }


async def test_the_timer_closes_a_due_vote(bot, films) -> None:
    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP, arg="1")
    assert int(poll.params["open_period"]) == 60
    await bot.feed(vote(poll.result["poll"]["id"], CY, 0))
    bot.log.clear()
    assert await timer.tick(bot.app, time.time()) == 0  # not due yet
    assert await timer.tick(bot.app, time.time() + 120) == 1
    assert any("🏆" in c.text for c in bot.log.calls)
    assert await timer.tick(bot.app, time.time() + 240) == 0  # once


async def test_telegram_closing_the_poll_announces_once(bot, films) -> None:
    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP)
    closed = dict(poll.result["poll"], is_closed=True)
    await bot.feed(vote(closed["id"], ANA, 1))
    calls = await bot.feed({"update_id": next(_ids), "poll": closed})
    assert sum("🏆" in c.text for c in calls) == 1
    calls = await bot.feed({"update_id": next(_ids), "poll": closed})
    assert not any("🏆" in c.text for c in calls)


async def test_ambiguous_titles_ask_with_buttons_that_nominate(bot, shipped_engine) -> None:
    from movierec.results import Ambiguous

    e = shipped_engine
    query = next(
        t
        for t in (e.catalog.titles[r] for r in np.argsort(-e.catalog.vote_count)[:2000])
        if isinstance(e.resolve_title(t), Ambiguous)
    )
    await open_night(bot, GROUP)
    calls = await bot.sent(say(GROUP, BEN, f"/propongo {query}"))
    choice = calls[0]
    assert len(choice.buttons) >= 2
    calls = await bot.feed(
        press(choice.buttons[0]["callback_data"], as_message(choice, GROUP), BEN)
    )
    edited = [c for c in calls if c.method == "editMessageText"]
    assert edited and "Ben propone" in edited[0].text


async def test_no_card_button_without_an_open_night(bot, films) -> None:
    message = {"message_id": 5, "date": 0, "chat": {"id": GROUP, "type": "supergroup"},
               "text": "…", "from": {"id": 1, "is_bot": True, "first_name": "m"}}  # fmt: skip
    calls = await bot.feed(press(bot.services.codec.encode("card", films[0][0]), message, ANA))
    card = next(c for c in calls if c.method in ("sendMessage", "sendPhoto"))
    assert texts.raw("es", "button_night_propose") not in [b["text"] for b in card.buttons]
    # a forged 🍿 button is answered as expired
    calls = await bot.feed(press("1|P|603|0|0|AAAAAAAA", message, ANA))
    assert any(c.method == "answerCallbackQuery" for c in calls)


async def test_a_forgotten_night_is_replaced_by_a_new_one(bot, films) -> None:
    await open_night(bot, GROUP)
    await bot.sent(say(GROUP, BEN, f"/propongo {films[0][1]}"))
    store = bot.services.store
    session = await store.session_get(GROUP, 0)
    night = nights.Night.from_json(session.document)
    night.opened_at -= 3 * 24 * 3600
    await store.session_put(GROUP, 0, night.to_json(), session.version)
    await open_night(bot, GROUP)  # a new night, not "already open"
    assert (await nights.load(store, GROUP, 0)).nominations == []


NASTY = [
    "",
    "x" * 10_000,
    "<b>unclosed & <i>",
    "\u0000\u202e\ud800",
    "0",
    "99999999999999999999",
    "-3",
    "2 3",
    "١",  # an Arabic-Indic digit: not a number we take
    "🎬" * 50,
    "'; DROP TABLE sessions; --",
]


@pytest.mark.parametrize("chat_type", ["private", "group", "supergroup"])
async def test_hostile_arguments_are_answered_politely(bot, chat_type, caplog) -> None:
    from tests.handlers.telegram_html import check

    chat = ANA if chat_type == "private" else GROUP
    for command in ("/noche", "/propongo", "/votar", "/cerrar", "/noche", "/vote", "/close"):
        for argument in NASTY:
            update = message_update(
                f"{command} {argument}", user_id=ANA, chat_id=chat, chat_type=chat_type
            )
            calls = await bot.feed(update)
            sent = [c for c in calls if c.method in ("sendMessage", "sendPhoto", "sendPoll")]
            assert sent, (command, argument)
            for call in sent:
                if call.method != "sendPoll":
                    check(call.text)
                    assert len(call.text) <= 4096
    assert not [r for r in caplog.records if r.levelname == "ERROR"], "no update failed"
    # whatever happened, the night's document is still readable
    night = await nights.load(bot.services.store, GROUP, 0)
    assert night is None or night.chat_id == GROUP


@pytest.mark.shipped  # the titles it types ("alien", "heat", "toy story") are shipped films
def test_the_whole_flow_over_http(tmp_path, monkeypatch) -> None:
    """bot.py polling the Bot API emulator, restarted while the poll is open
    (``python -m bench.e2e_movienight`` prints the transcript)."""
    from bench import e2e_headofline as e2e
    from bench import e2e_movienight
    from tests.conftest import SHIPPED_DATA

    try:
        folder = e2e.emulator_folder()
    except e2e.Unavailable as error:
        pytest.skip(f"Bot API emulator unavailable: {error}")
    monkeypatch.setenv("MOVIEREC_DATA", str(SHIPPED_DATA))
    patched = e2e_movienight.patched_emulator(folder, tmp_path / "emulator")
    with e2e.emulator(patched, tmp_path) as base:
        run = e2e_movienight.Run(base)
        found = e2e_movienight.flow(run, base, tmp_path / "state.sqlite3", tmp_path)
    options = found["options"]
    assert options[:3] == ["Alien (1979)", "Heat (1995)", "Toy Story (1995)"]
    assert 4 <= len(options) <= 6 and all(o.startswith("🤝 ") for o in options[3:])
    assert found["sendPoll"]["is_anonymous"] in (False, "false")
    winner = next(line for line in run.transcript if "🏆" in line)
    assert "Ganadora: <b>Heat</b> (1995) · 2 votos" in winner


async def test_telegrams_final_count_decides_when_it_has_one(bot, films) -> None:
    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP)
    await bot.feed(vote(poll.result["poll"]["id"], ANA, 0))  # the one answer we saw
    # Telegram counted answers we never received (an update lost while we were away)
    request = bot.app.bot._request[1]
    stored = request.polls[(GROUP, poll.result["message_id"])]
    stored["options"][2]["voter_count"] = 3
    stored["total_voter_count"] = 3
    calls = await bot.feed(say(GROUP, ANA, "/cerrar"))
    winner = next(c for c in calls if "🏆" in c.text)
    assert films[2][1] in winner.text.replace("&amp;", "&") and "3 votos" in winner.text


async def test_a_vote_that_comes_before_its_poll_is_written_still_counts(bot, films) -> None:
    import asyncio

    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP)
    poll_id = poll.result["poll"]["id"]
    store = bot.services.store
    await store.kv_delete(nights.POLLS, poll_id)  # as if the night were still being written

    async def written_a_moment_later() -> None:
        await asyncio.sleep(0.3)
        await nights.remember_poll(store, poll_id, GROUP, 0)

    await asyncio.gather(bot.feed(vote(poll_id, BEN, 1)), written_a_moment_later())
    assert (await nights.load(store, GROUP, 0)).tally()[:2] == [0, 1]


async def test_nominating_without_a_night_says_so_before_asking_which_film(bot, films) -> None:
    calls = await bot.sent(say(GROUP, BEN, "/propongo hamlet"))
    assert "No hay ninguna noche" in texts_of(calls) and not calls[0].buttons
    await nominate_three(bot, films, GROUP)
    await start_poll(bot, GROUP)
    calls = await bot.sent(say(GROUP, BEN, f"/propongo {films[6][1]}"))
    assert "La votación ya ha empezado" in texts_of(calls)


async def test_the_vote_button_opens_the_poll(bot, films) -> None:
    night_message = await open_night(bot, GROUP)
    vote_button = night_message["reply_markup"]["inline_keyboard"][0][0]
    assert vote_button["text"] == texts.raw("es", "button_night_vote")
    calls = await bot.feed(press(vote_button["callback_data"], night_message, BEN))
    assert "Aún no hay propuestas" in texts_of(calls)  # said in the group, not an alert
    await bot.sent(say(GROUP, BEN, f"/propongo {films[0][1]}"))
    calls = await bot.feed(press(vote_button["callback_data"], night_message, CY))
    polls = [c for c in calls if c.method == "sendPoll"]
    assert len(polls) == 1 and int(polls[0].params["open_period"]) == 600
    assert any(c.method == "answerCallbackQuery" for c in calls)


async def test_in_english(bot, films) -> None:
    def en(user: int, text: str) -> dict:
        update = say(GROUP, user, text)
        update["message"]["from"]["language_code"] = "en"
        return update

    assert "Movie night!" in texts_of(await bot.sent(en(ANA, "/movienight 2")))
    assert "nominates" in texts_of(await bot.sent(en(BEN, f"/nominate {films[0][1]}")))
    assert "nominates" in texts_of(await bot.sent(en(BEN, f"/nominate {films[1][1]}")))
    calls = await bot.sent(en(BEN, f"/nominate {films[2][1]}"))
    assert "You've already nominated 2 films" in texts_of(calls)
    calls = await bot.feed(en(ANA, "/vote 3"))
    poll = next(c for c in calls if c.method == "sendPoll")
    assert poll.params["question"] == "🍿 What do we watch? (3 min vote)"
    await bot.feed(vote(poll.result["poll"]["id"], CY, 0))
    calls = await bot.feed(en(ANA, "/close"))
    winner = next(c for c in calls if "🏆" in c.text)
    assert winner.text.startswith("🏆 Winner: <b>") and "1 vote" in winner.text
    # a Spanish night closed by an English speaker: the answer is in the closer's language
    await open_night(bot, OTHER_GROUP)
    await bot.sent(say(OTHER_GROUP, BEN, f"/propongo {films[0][1]}"))
    await bot.sent(say(OTHER_GROUP, CY, f"/propongo {films[1][1]}"))
    poll, _ = await start_poll(bot, OTHER_GROUP)
    await bot.feed(vote(poll.result["poll"]["id"], CY, 1))
    bot.log.admins.add(CY)  # a group admin may close a night someone else opened
    closer = say(OTHER_GROUP, CY, "/close")
    closer["message"]["from"]["language_code"] = "en"
    calls = await bot.feed(closer)
    assert any(c.text.startswith("🏆 Winner:") for c in calls)


async def test_a_reply_to_the_latest_board_nominates_too(bot, films) -> None:
    await open_night(bot, GROUP)
    calls = await bot.sent(say(GROUP, BEN, f"/propongo {films[0][1]}"))
    board = as_message(calls[0], GROUP)
    calls = await bot.sent(say(GROUP, CY, films[1][1], reply_to=board))
    assert "Cy propone" in texts_of(calls) and "(2)" in texts_of(calls)
    # a reply to any other bot message is chatter
    other = dict(board, message_id=board["message_id"] + 1000)
    assert await bot.sent(say(GROUP, ANA, films[2][1], reply_to=other)) == []


@pytest.mark.parametrize("replicas", [False, True])
async def test_many_votes_at_once_are_all_counted(bot, films, monkeypatch, replicas) -> None:
    """Voters' updates run side by side (one lane per voter). In one process, writes to a night
    take turns; across replicas (simulated: no turns) the store's versions and retries hold."""
    import asyncio
    import contextlib

    from telegram import Update

    if replicas:
        monkeypatch.setattr(nights, "_one_writer", lambda _key: contextlib.nullcontext())
    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP)
    poll_id = poll.result["poll"]["id"]
    voters = range(5000, 5030)
    updates = [Update.de_json(vote(poll_id, v, v % 3), bot.app.bot) for v in voters]
    await asyncio.gather(*(bot.app.process_update(u) for u in updates))
    night = await nights.load(bot.services.store, GROUP, 0)
    assert night.tally()[:3] == [10, 10, 10]


async def test_odd_poll_answers_change_nothing_and_break_nothing(bot, films, caplog) -> None:
    await nominate_three(bot, films, GROUP)
    poll, _ = await start_poll(bot, GROUP)
    poll_id = poll.result["poll"]["id"]
    await bot.feed(vote(poll_id, ANA, 1))
    odd = [
        vote(poll_id, BEN, -1, 99, 2**40),  # options the poll does not have
        vote(poll_id, ANA),  # Ana takes her vote back
        vote("a-poll-we-never-sent", CY, 0),
    ]
    channel = vote(poll_id, CY, 0)
    del channel["poll_answer"]["user"]
    channel["poll_answer"]["voter_chat"] = {"id": -100999, "type": "channel", "title": "C"}
    for update in (*odd, channel):
        assert await bot.feed(update) == []
    night = await nights.load(bot.services.store, GROUP, 0)
    assert night.tally()[:3] == [1, 0, 0] and set(night.votes) == {"-100999"}
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_who_may_close_a_night_early(bot, films) -> None:
    """The opener and the group's admins (also posting as the group); not when Telegram cannot
    say who is an admin, and never a member who merely voted."""
    await nominate_three(bot, films, GROUP)
    await start_poll(bot, GROUP)

    def refused(calls) -> bool:
        return "Solo quien abrió la noche" in texts_of(calls) and "stopPoll" not in methods(calls)

    bot.app.bot.request.fault = lambda method, params: (
        (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        if method == "getChatMember"
        else None
    )
    assert refused(await bot.feed(say(GROUP, BEN, "/cerrar")))  # cannot tell: no
    bot.app.bot.request.fault = None
    assert refused(await bot.feed(say(GROUP, CY, "/cerrar")))  # a member: no
    anonymous_admin = say(GROUP, 1087968824, "/cerrar")  # GroupAnonymousBot, as the group
    anonymous_admin["message"]["sender_chat"] = {"id": GROUP, "type": "supergroup", "title": "G"}
    calls = await bot.feed(anonymous_admin)
    assert "stopPoll" in methods(calls) and "Votación cerrada" in texts_of(calls)
