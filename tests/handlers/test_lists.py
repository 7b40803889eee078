"""Your films through the real Application: commands, card buttons, privacy, restarts, /olvidame.

Store-touching flows run on the SQLite store the harness opens, and the core ones again on
PostgreSQL through the store tests' ``backend`` fixture (skipped, with one line, without a
server). Films are chosen from the catalog under test; walk-throughs that name films are
``shipped``.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from html import escape

import pytest
from telegram import Update

from handlers import lists, viewer
from handlers.actions import BUTTON_CODES
from handlers.app import build_application, close_services, open_services
from handlers.buttons import ButtonCodec
from handlers.console.offline import ApiLog, OfflineRequest
from handlers.console.updates import callback_update, message_update
from handlers.preferences import Preferences
from handlers.prompts import OpenPrompts
from handlers.services import Services
from movierec.results import Ambiguous
from tests.handlers.conftest import TEST_SETTINGS, Harness
from tests.handlers.store.conftest import Backend, backend, clock  # noqa: F401

USER = 1001
GROUP = -100_500


def buttons(call) -> dict[str, str]:
    return {b["text"]: b.get("callback_data") or b.get("url") for b in call.buttons}


def press_update(call, label: str, user_id: int = USER) -> dict:
    """Pressing the button labelled ``label`` on the message ``call`` sent."""
    data = buttons(call)[label]
    return callback_update(data, message=call.result, user_id=user_id)


async def seen_of(store, owner=USER) -> dict[int, int | None]:
    return {i.movie_id: i.rating for i in await viewer.items(store, owner, "seen")}


async def later_of(store, owner=USER) -> list[int]:
    return [i.movie_id for i in await viewer.items(store, owner, "later")]


# -- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("heat 4/5", ("heat", 4)),
        ("Toy Story 5 / 5", ("Toy Story", 5)),
        ("rocky 3", ("rocky 3", None)),  # a bare number stays in the title
        ("9/5", ("9/5", None)),  # nothing before it: a title
        ("heat 6/5", None),
        ("heat 0/5", None),
        ("heat 4/10", None),
    ],
)
def test_ratings_are_n_of_5(text, expected):
    assert lists.parse_rating(text) == expected


def test_the_pattern_only_takes_our_codes():
    assert not lists.mine(None) and not lists.mine("garbage") and not lists.mine("1|m|1|0|0|x")
    assert lists.mine("1|K|862|0|0|sig") and lists.mine("1|c|862|0|0|sig")


# -- commands -----------------------------------------------------------------------------------


async def test_seen_with_a_rating_then_later_then_the_list(bot, popular):
    (a, title_a, year_a), (b, title_b, year_b) = popular[0], popular[1]
    [call] = await bot.sent(message_update(f"/vista {title_a} {year_a} 4/5"))
    assert title_a in call.text and "4/5" in call.text
    [call] = await bot.sent(message_update(f"/pendiente {title_b} {year_b}"))
    assert title_b in call.text
    assert await seen_of(bot.services.store) == {a: 4}
    assert await later_of(bot.services.store) == [b]
    [call] = await bot.sent(message_update("/lista"))
    assert title_b in call.text and title_a not in call.text
    [call] = await bot.sent(message_update("/vistas"))
    assert title_a in call.text and "★★★★☆" in call.text


async def test_seen_without_rating_offers_stars_and_a_star_rates(bot, popular):
    movie, title, year = popular[2]
    [call] = await bot.sent(message_update(f"/vista {title} {year}"))
    assert await seen_of(bot.services.store) == {movie: None}
    await bot.feed(press_update(call, "⭐⭐⭐"))
    assert await seen_of(bot.services.store) == {movie: 3}


async def test_bad_rating_and_no_title_are_explained(bot):
    [call] = await bot.sent(message_update("/vista heat 7/5"))
    assert "1/5" in call.text
    [call] = await bot.sent(message_update("/vista"))
    assert "/vista" in call.text
    [call] = await bot.sent(message_update("/seen zzqxv qqwxz 3/5", language="en"))
    assert call.text  # not found, politely
    assert await seen_of(bot.services.store) == {}


async def test_marking_seen_takes_a_film_off_watch_later(bot, popular):
    movie, title, year = popular[3]
    await bot.feed(message_update(f"/pendiente {title} {year}"))
    await bot.feed(message_update(f"/vista {title} {year} 5/5"))
    assert await later_of(bot.services.store) == []
    assert await seen_of(bot.services.store) == {movie: 5}


async def test_list_pages_and_removal(bot, popular):
    for _, title, year in popular[: lists.PAGE + 2]:
        await bot.feed(message_update(f"/pendiente {title} {year}"))
    [call] = await bot.sent(message_update("/lista"))
    newest = popular[lists.PAGE + 1][1]
    assert call.text.index(newest) < call.text.index(popular[2][1])  # newest first
    [page2] = await bot.sent(press_update(call, "▶"))
    assert page2.method == "editMessageText" and popular[0][1] in page2.text
    remove = next(b["callback_data"] for b in page2.buttons if b["text"] == "❌")
    await bot.feed(callback_update(remove, message=page2.result))
    assert len(await later_of(bot.services.store)) == lists.PAGE + 1


# -- the card's buttons -------------------------------------------------------------------------


async def card_of(bot, title: str, year: int):
    [call] = [c for c in await bot.feed(message_update(f"{title} {year}")) if c.buttons]
    return call


async def test_card_buttons_toggle_and_show_state(bot, popular):
    movie, title, year = popular[4]
    card = await card_of(bot, title, year)
    assert "✅ Vista" in buttons(card) and "👍" in buttons(card)
    calls = await bot.feed(press_update(card, "👍"))
    assert await seen_of(bot.services.store) == {movie: 5}
    [edit] = [c for c in calls if c.method == "editMessageReplyMarkup"]
    assert {"✅ Vista ✓", "👍 ✓", "👎"} <= set(buttons(edit))
    [toast] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert title in toast.params["text"] and "<b>" not in toast.params["text"]
    await bot.feed(press_update(card, "👍"))  # again: undone, still seen
    assert await seen_of(bot.services.store) == {movie: None}
    await bot.feed(press_update(card, "✅ Vista"))
    assert await seen_of(bot.services.store) == {}
    await bot.feed(press_update(card, "🕒 Para luego"))
    assert await later_of(bot.services.store) == [movie]
    again = await card_of(bot, title, year)  # a new card shows the stored state
    assert "🕒 Para luego ✓" in buttons(again)


async def test_another_replicas_list_write_shows_on_cards_within_the_memo_ttl(bot, popular):
    movie, title, year = popular[5]
    assert "🕒 Para luego" in buttons(await card_of(bot, title, year))
    # another replica (same database) puts the film on watch later
    await bot.services.store.list_set(USER, movie, viewer.LATER_KIND)
    memo = bot.services.viewers
    now = memo.clock()
    memo.clock = lambda: now + viewer.CACHE_TTL + 0.1
    assert "🕒 Para luego ✓" in buttons(await card_of(bot, title, year))
    # /olvidame here forgets at once, not after the TTL
    [ask] = await bot.sent(message_update("/olvidame"))
    await bot.feed(callback_update(ask.buttons[0]["callback_data"], message=ask.result))
    assert "🕒 Para luego" in buttons(await card_of(bot, title, year))


async def test_a_card_or_page_press_checks_its_signature_once(bot, popular, monkeypatch):
    """lists.press decodes (HMAC) a card's or a page's button to load the presser's lists, then
    hands the press over: the answering side does not check the same signature again."""
    _movie, title, year = popular[4]
    card = await card_of(bot, title, year)
    codec = bot.services.codec
    handed = [
        data
        for data in buttons(card).values()
        if data and (pressed := codec.decode(data)) and pressed.action in ("card", "recommend")
    ]
    assert handed, "a card has buttons that open cards or recommendation pages"
    checked: list[str | None] = []
    decode = codec.decode

    def counting(data: str | None):
        checked.append(data)
        return decode(data)

    monkeypatch.setattr(codec, "decode", counting)
    calls = await bot.feed(callback_update(handed[0], message=card.result, user_id=USER))
    assert checked == [handed[0]]
    assert any(
        c.method in ("editMessageText", "editMessageMedia", "sendMessage", "sendPhoto")
        for c in calls
    )


async def test_concurrent_presses_on_one_card(bot, popular):
    movie, title, year = popular[5]
    card = await card_of(bot, title, year)

    async def tap(label: str, times: int) -> None:
        update = press_update(card, label)
        await asyncio.gather(
            *(bot.app.process_update(Update.de_json(update, bot.app.bot)) for _ in range(times))
        )

    await tap("✅ Vista", 7)  # an odd number of toggles: seen, once, unrated
    assert await seen_of(bot.services.store) == {movie: None}
    await tap("🕒 Para luego", 4)  # even: back off
    assert await later_of(bot.services.store) == []
    # 👍 and 👎 at once: one wins whole, never a half-written mix
    both = [press_update(card, "👍"), press_update(card, "👎")] * 3
    await asyncio.gather(*(bot.app.process_update(Update.de_json(u, bot.app.bot)) for u in both))
    assert (await seen_of(bot.services.store))[movie] in (None, 1, 5)
    assert await bot.services.store.list_count(USER, "seen") == 1


async def test_group_cards_show_nobodys_state_and_presses_stay_private(bot, popular):
    movie, title, year = popular[6]
    await bot.feed(message_update(f"/vista {title} {year} 5/5"))
    [card] = [
        c
        for c in await bot.feed(
            message_update(f"/score {title} {year}", chat_id=GROUP, chat_type="group")
        )
        if c.buttons
    ]
    [group_card] = [
        c
        for c in await bot.feed(press_update(card, "Ficha"))
        if c.method in ("sendMessage", "sendPhoto")
    ]
    assert "👍 ✓" not in buttons(group_card) and "👍" in buttons(group_card)
    calls = await bot.feed(press_update(group_card, "👎", user_id=2002))
    assert not [c for c in calls if c.method.startswith("edit")]
    assert await seen_of(bot.services.store, 2002) == {movie: 1}
    assert await seen_of(bot.services.store) == {movie: 5}


# -- privacy in groups --------------------------------------------------------------------------


async def test_group_lists_go_to_the_private_chat(bot, popular):
    _, title, year = popular[7]
    await bot.feed(message_update(f"/pendiente {title} {year}"))
    calls = await bot.sent(message_update("/lista", chat_id=GROUP, chat_type="group"))
    private = [c for c in calls if int(c.params["chat_id"]) == USER]
    public = [c for c in calls if int(c.params["chat_id"]) == GROUP]
    assert private and title in private[0].text
    assert public and all(title not in c.text for c in public)


async def test_group_lists_link_to_the_bot_when_it_cannot_write_first(bot, popular):
    _, title, year = popular[7]
    await bot.feed(message_update(f"/pendiente {title} {year}"))

    def forbid(method, params):
        if str(params.get("chat_id")) == str(USER):
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot can't "
                         "initiate conversation with a user"}  # fmt: skip
        return None

    bot.app.bot.request.fault = forbid
    calls = await bot.sent(message_update("/parami", chat_id=GROUP, chat_type="group"))
    [public] = [c for c in calls if int(c.params["chat_id"]) == GROUP]
    assert title not in public.text
    assert "https://t.me/movierec_bot?start=films" in buttons(public).values()


# -- /parami, /recomendar -----------------------------------------------------------------------


async def test_for_you_never_shows_seen_films_and_names_the_liked_ones(bot, popular):
    liked = popular[:3]
    for _, title, year in liked:
        await bot.feed(message_update(f"/vista {title} {year} 5/5"))
    [call] = await bot.sent(message_update("/parami"))
    assert "🎯" in call.text
    body = call.text.split("\n", 1)[1]
    for _, title, year in liked:
        assert f"<b>{title}</b> ({year})" not in body
    assert any("porque te gust" in line and title in line for line in body.split("\n")
               for _, title, _ in liked)  # fmt: skip


async def test_for_you_starts_with_films_to_rate(bot):
    [call] = await bot.sent(message_update("/foryou", language="en"))
    assert "3" in call.text and "👍" in buttons(call)
    calls = await bot.feed(press_update(call, "👍"))
    assert len(await seen_of(bot.services.store)) == 1
    [edit] = [c for c in calls if c.method == "editMessageReplyMarkup"]
    assert "👍 ✓" in buttons(edit)


async def test_recommend_leaves_out_seen_films_and_says_how_many(bot, shipped_engine, popular):
    seed = popular[0]
    similar = shipped_engine.similar(seed[0], 5)
    for rec in similar[:2]:
        await bot.services.store.list_set(USER, rec.movie_id, "seen", None)
    [call] = await bot.sent(message_update(f"/recomendar {seed[1]} {seed[2]}"))
    for rec in similar[:2]:
        assert f"<b>{rec.title}</b> ({rec.year})" not in call.text
    assert "2 que ya has visto" in call.text
    [page2] = await bot.sent(press_update(call, "Más ▶"))  # pages leave them out too
    for rec in similar[:2]:
        assert f"<b>{rec.title}</b> ({rec.year})" not in page2.text
    assert "6." in page2.text and "2 que ya has visto" in page2.text


async def test_recommend_takes_several_films_at_once(bot, shipped_engine, popular):
    (a, title_a, year_a), (b, title_b, year_b) = popular[0], popular[1]
    together = shipped_engine.similar_to_many([a, b], 5)
    await bot.services.store.list_set(USER, together[0].movie_id, "seen", None)
    typed = f"/recomendar {title_a} {year_a}, {title_b} {year_b}"
    [call] = await bot.sent(message_update(typed))
    films = f"<b>{escape(title_a)}</b> ({year_a}) y <b>{escape(title_b)}</b> ({year_b})"
    assert call.text.startswith(f"Si te gustaron {films}, prueba con:")
    assert "1 que ya has visto" in call.text
    assert f"<b>{escape(together[0].title)}</b>" not in call.text  # seen
    assert f"<b>{escape(together[1].title)}</b> ({together[1].year})" in call.text
    assert list(buttons(call)) == ["1", "2", "3", "4", "5"]  # cards; one button, one film
    [card] = await bot.sent(press_update(call, "1"))
    assert escape(together[1].title) in card.text
    typed = f"/recommend {title_a} {year_a} and {title_b} {year_b}"
    [english] = await bot.sent(message_update(typed, language="en"))
    assert english.text.startswith("If you liked " + films.replace(") y <", ") and <"))


async def test_recommend_reads_no_list_into_one_title(bot, shipped_engine, popular):
    """A title with an "and" given to several films still asks which one; a film named twice
    is recommended from alone."""
    catalog = shipped_engine.catalog
    rows = sorted(range(len(catalog)), key=lambda r: -int(catalog.vote_count[r]))[:5000]
    unsure = next(
        (catalog.titles[r] for r in rows
         if " and " in catalog.titles[r]
         and isinstance(shipped_engine.resolve_title(catalog.titles[r]), Ambiguous)),
        None,
    )  # fmt: skip
    if unsure is not None:
        [call] = await bot.sent(message_update(f"/recomendar {unsure}"))
        assert "puede ser varias cosas" in call.text and len(buttons(call)) >= 2
    _, title, year = popular[0]
    [once] = await bot.sent(message_update(f"/recomendar {title}, {title} {year}"))
    assert once.text.startswith(f"Si te gustó <b>{escape(title)}</b> ({year})")


# -- your data, restarts ------------------------------------------------------------------------


async def test_my_data_is_a_json_file_and_forget_me_leaves_nothing(make_bot, tmp_path, popular):
    db = tmp_path / "state.sqlite3"
    bot = await make_bot(db=db)
    (a, title_a, year_a), (_b, title_b, year_b) = popular[0], popular[1]
    await bot.feed(message_update("/idioma en"))
    await bot.feed(message_update(f"/vista {title_a} {year_a} 2/5"))
    await bot.feed(message_update(f"/pendiente {title_b} {year_b}"))
    [doc] = [c for c in await bot.feed(message_update("/misdatos")) if c.method == "sendDocument"]
    data = json.loads(doc.files["document"])
    assert data["settings"] == {"language": "en"}
    assert [(i["tmdb_id"], i["rating_of_5"]) for i in data["lists"]["seen"]] == [(a, 2)]
    assert [i["title"] for i in data["lists"]["later"]] == [title_b]
    [ask] = await bot.sent(message_update("/forgetme"))
    confirm, cancel = (b["callback_data"] for b in ask.buttons)
    await bot.feed(callback_update(cancel, message=ask.result))
    assert await bot.services.store.list_count(USER, "seen") == 1  # cancelled: nothing gone
    [done] = await bot.sent(callback_update(confirm, message=ask.result))
    assert "deleted" in done.text
    assert await bot.services.store.get_language(USER) is None
    with sqlite3.connect(db) as conn:  # nothing of the owner in any table
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            for column in columns & {"owner", "user_id", "chat_id"}:
                sql = f"SELECT count(*) FROM {table} WHERE {column} = ?"
                assert conn.execute(sql, (USER,)).fetchone() == (0,), table
    [call] = await bot.sent(message_update("/lista"))  # Spanish again: the language went too
    assert "vacía" in call.text


async def test_a_restart_keeps_everything(make_bot, tmp_path, popular):
    db = tmp_path / "state.sqlite3"
    first = await make_bot(db=db)
    (a, title_a, year_a), (b, title_b, year_b) = popular[0], popular[1]
    await first.feed(message_update(f"/vista {title_a} {year_a} 4/5"))
    await first.feed(message_update(f"/pendiente {title_b} {year_b}"))
    await first.app.shutdown()
    await close_services(first.services)
    second = await make_bot(db=db)
    assert await seen_of(second.services.store) == {a: 4}
    assert await later_of(second.services.store) == [b]
    card = await card_of(second, title_a, year_a)
    assert "👍 ✓" in buttons(card)


# -- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
async def bot_on(backend: Backend, shipped_engine):  # noqa: F811
    """The harness over the ``backend`` store (SQLite or PostgreSQL)."""
    store = backend.make()
    services = Services(
        engine=shipped_engine,
        store=store,
        codec=ButtonCodec(b"test-secret", "test", BUTTON_CODES),
        preferences=Preferences(store),
        prompts=OpenPrompts(store),
    )
    log = ApiLog()
    app = build_application(TEST_SETTINGS, services, OfflineRequest(log), OfflineRequest(log))
    await app.initialize()
    await open_services(services)
    yield Harness(app, log)
    await app.shutdown()
    await close_services(services)


async def test_lists_on_both_backends(bot_on, backend, popular):  # noqa: F811
    (a, title_a, year_a), (b, title_b, year_b) = popular[0], popular[1]
    card = await card_of(bot_on, title_a, year_a)
    updates = [press_update(card, "✅ Vista")] * 3 + [press_update(card, "👍")]
    for update in updates[:3]:
        await bot_on.feed(update)
    await asyncio.gather(
        *(bot_on.app.process_update(Update.de_json(u, bot_on.app.bot)) for u in updates[3:] * 2)
    )
    assert await seen_of(bot_on.services.store) == {a: None}  # seen; 👍 twice is undone
    await bot_on.feed(message_update(f"/pendiente {title_b} {year_b}"))
    assert await later_of(bot_on.services.store) == [b]
    [ask] = await bot_on.sent(message_update("/olvidame"))
    await bot_on.feed(callback_update(ask.buttons[0]["callback_data"], message=ask.result))
    assert sum((await backend.rows_of(USER)).values()) == 0


# -- hostile input ------------------------------------------------------------------------------

HOSTILE = [
    "",
    "<b>heat</b> 4/5",
    "heat 99999999999/5",
    "heat 4/5/5",
    "x" * 10_000,
    "\x00\x01\x1b[31m 3/5",
    "\ud800 toy story",
    ".*(a+)+$ 2/5",
    "🎬" * 500 + " 5/5",
    "titanic\n5/5",
]
MINE = ["/vista", "/seen", "/pendiente", "/later", "/lista", "/vistas", "/watched",
        "/parami", "/foryou", "/misdatos", "/olvidame"]  # fmt: skip


@pytest.mark.parametrize("command", MINE)
@pytest.mark.parametrize("chat", [("private", USER), ("supergroup", GROUP)])
async def test_hostile_arguments_get_a_polite_answer(bot, caplog, command, chat):
    chat_type, chat_id = chat
    for argument in HOSTILE:
        update = message_update(f"{command} {argument}", chat_id=chat_id, chat_type=chat_type)
        calls = await bot.feed(update)
        sent = [c for c in calls if c.method in ("sendMessage", "sendDocument")]
        assert sent, (command, argument[:20])
        assert all(len(c.text) <= 4096 for c in sent)
        assert not [r for r in caplog.records if r.levelname == "ERROR"], argument[:20]


async def test_inline_messages_show_nobodys_state(bot, popular):
    # a message sent in inline mode is seen by everyone in that chat: never the presser's lists
    movie, title, year = popular[0]
    await bot.feed(message_update(f"/vista {title} {year} 5/5"))
    data = bot.services.codec.encode("card", movie)
    query = {"id": "q-inline", "from": {"id": USER, "is_bot": False, "first_name": "Ana"},
             "chat_instance": "ci-9", "inline_message_id": "im-1", "data": data}  # fmt: skip
    calls = await bot.feed({"update_id": 77_001, "callback_query": query})
    [edit] = [c for c in calls if c.method == "editMessageText"]
    assert "👍" in buttons(edit) and not [b for b in buttons(edit) if "✓" in b]


async def test_a_card_read_racing_a_press_does_not_bring_back_the_old_lists(bot, popular):
    """A private card starts reading the lists; a press elsewhere writes meanwhile; the card's
    slower read must not replace the press's fresh copy in the memory."""
    movie = popular[6][0]
    store, memo = bot.services.store, bot.services.viewers
    reading, release = asyncio.Event(), asyncio.Event()
    items = store.list_items

    async def slow_items(owner, kind, *args, **kwargs):
        found = await items(owner, kind, *args, **kwargs)
        if kind == viewer.LATER_KIND and not reading.is_set():  # the card's read only
            reading.set()
            await release.wait()  # the press happens while this read is in flight
        return found

    store.list_items = slow_items
    card = asyncio.ensure_future(viewer.enter(store, USER, "card", memo))
    await reading.wait()
    fresh = await viewer.apply(store, USER, movie, viewer.LATER, memo)
    release.set()
    await card
    store.list_items = items
    assert movie in fresh.later
    assert memo.get(USER) == (fresh,)
