"""One test per defect the independent probe found (issue 11), each failing before its fix."""

from __future__ import annotations

import re

import pytest

from handlers import dialog, texts
from handlers.console.updates import message_update
from handlers.dialog import SHARED_SENDER_IDS
from handlers.recommend import reasons_text
from tests.handlers.telegram_html import displayed

GROUP_A, GROUP_B = -100111, -100222
ANONYMOUS_ADMIN = 1087968824  # every anonymous group admin arrives as this user
CHANNEL_BOT = 136817688  # every "send as channel" post arrives as this user


def only(calls):
    assert len(calls) == 1, [(c.method, c.text[:60]) for c in calls]
    return calls[0]


def group_update(text: str, chat_id: int, user_id: int, sender_chat: int | None = None) -> dict:
    update = message_update(text, user_id=user_id, chat_id=chat_id, chat_type="supergroup")
    if sender_chat is not None:
        update["message"]["sender_chat"] = {"id": sender_chat, "type": "channel", "title": "c"}
    return update


# -- 2. shared sender ids share state --------------------------------------------------------


async def test_an_anonymous_admin_setting_the_language_changes_only_their_group(bot) -> None:
    assert ANONYMOUS_ADMIN in SHARED_SENDER_IDS and CHANNEL_BOT in SHARED_SENDER_IDS
    await bot.sent(group_update("/lang es", GROUP_A, ANONYMOUS_ADMIN))
    await bot.sent(group_update("/lang en", GROUP_B, ANONYMOUS_ADMIN))
    a = only(await bot.sent(group_update("/mes enero", GROUP_A, ANONYMOUS_ADMIN)))
    b = only(await bot.sent(group_update("/mes enero", GROUP_B, ANONYMOUS_ADMIN)))
    assert "se estrenaron" in a.text and "premiered" in b.text


async def test_posts_sent_as_a_channel_are_keyed_by_that_channel(bot) -> None:
    await bot.sent(group_update("/lang en", GROUP_A, CHANNEL_BOT, sender_chat=-100333))
    other = only(await bot.sent(group_update("/mes enero", GROUP_A, CHANNEL_BOT, -100444)))
    assert "se estrenaron" in other.text  # the other channel kept its own (Spanish) language


async def test_a_flooding_anonymous_admin_does_not_silence_other_groups(make_bot) -> None:
    import dataclasses

    from tests.handlers.conftest import TEST_SETTINGS

    settings = dataclasses.replace(TEST_SETTINGS, flood_limit=3, flood_window=60)
    bot = await make_bot(settings)
    for _ in range(10):
        await bot.sent(group_update("/mes enero", GROUP_A, ANONYMOUS_ADMIN))
    answered = await bot.sent(group_update("/mes enero", GROUP_B, ANONYMOUS_ADMIN))
    assert len(answered) == 1 and "slow" not in answered[0].text.lower()


# -- 5. double escaping ----------------------------------------------------------------------


@pytest.mark.shipped
def test_reasons_are_escaped_exactly_once(bot) -> None:
    engine = bot.services.engine
    seeds = [int(i) for i in engine.catalog.ids[:3000].tolist()]
    checked = 0
    for seed in seeds:
        recs = engine.similar(seed, 5)
        if not isinstance(recs, list):
            continue
        for rec in recs:
            values = [v for reason in rec.reasons for v in reason.values]
            if not any("&" in v or "<" in v for v in values):
                continue
            shown = displayed(reasons_text("en", rec.reasons))
            for value in values:
                assert value in shown, (value, shown)
            assert "&amp;" not in shown
            checked += 1
    assert checked > 0, "no recommendation reason with & or < to check"


@pytest.mark.shipped
async def test_recommend_clockers_shows_the_studio_as_it_is_written(bot) -> None:
    call = only(await bot.sent(message_update("/recommend clockers", language="en")))
    shown = displayed(call.text)
    assert "&amp;" not in shown and "&" in call.text
    assert "40 Acres & A Mule Filmworks" in shown


# -- 6 and 8. the command entity, and any whitespace after it --------------------------------


@pytest.mark.shipped
@pytest.mark.parametrize("space", ["\n", "\t", "\u00a0", "  \n "])
async def test_the_argument_follows_any_whitespace(bot, space) -> None:
    score = only(await bot.sent(message_update(f"/score{space}Toy Story", language="en")))
    assert "<b>Toy Story</b> (1995)" in score.text
    month = only(await bot.sent(message_update(f"/mes{space}enero", language="en")))
    assert "<b>January</b>" in month.text


# zero-width space, joiners, BOM, word joiner; direction marks and isolates, soft hyphen, a tag
# space (formats, category Cf); a lone combining accent, a variation selector; blank "letters":
# the Hangul filler, the Braille blank
INVISIBLES = [
    "\u200b",
    " \u200b\u200d ",
    "\ufeff",
    "\u2060\n",
    "\u200e",
    " \u200f\u2066 ",
    "\u00ad",
    "\U000e0020",
    "\u0301",
    "\ufe0f",
    "\u3164",
    "\u2800",
    "\u0301 \u0301",
    "\u0301\u200b\u0301",
]


@pytest.mark.parametrize("invisible", INVISIBLES)
async def test_a_command_followed_by_invisible_characters_asks_for_its_argument(
    bot, invisible
) -> None:
    """A zero-width space (or joiner, word joiner, BOM) after a command, pasted or typed by a
    keyboard, is no argument: the command asks for one, as it does when nothing follows it,
    instead of answering that the text has no letters."""
    asked = only(await bot.sent(message_update(f"/score{invisible}")))
    assert asked.params["reply_markup"]["force_reply"] is True
    assert asked.text == texts.raw("es", "ask_title")


@pytest.mark.parametrize("invisible", INVISIBLES)
async def test_a_reply_to_a_prompt_with_nothing_visible_asks_again(bot, invisible) -> None:
    """The reply to "¿Qué película?" is read as the command's argument would be: nothing
    visible in it is no answer, so the question comes again (not "no letters in «»")."""
    asked = only(await bot.sent(message_update("/score")))
    again = only(await bot.sent(message_update(invisible, reply_to=asked.result)))
    assert again.params["reply_markup"]["force_reply"] is True
    assert again.text == asked.text


@pytest.mark.parametrize(
    ("typed", "speaks"),
    [
        ("en", "en"),
        ("English", "en"),
        ("es", "es"),
        ("Español", "es"),
        ("castellano", "es"),
        ("en-US", "en"),
        ("es_MX", "es"),
        ("es-419", "es"),
    ],
)
async def test_lang_takes_a_language_by_code_or_name(bot, typed, speaks) -> None:
    done = only(await bot.sent(message_update(f"/idioma {typed}")))
    assert done.text == texts.raw(speaks, "lang_set")


@pytest.mark.parametrize("typed", ["enero", "esperanto", "e", "english please"])
async def test_lang_refuses_words_that_only_start_like_a_language(bot, typed) -> None:
    """/idioma read the first two letters: "enero" switched to English, "esperanto" to
    Spanish. Anything but a language's code or name gets the usage line, nothing saved."""
    usage = only(await bot.sent(message_update(f"/idioma {typed}")))
    assert usage.text == texts.raw("es", "lang_usage")
    assert await bot.services.preferences.language(1001) is None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("\u06dd", "\u06dd"),  # the end-of-ayah sign is a format character with a glyph
        ("\u0600\u0661", "\u0600\u0661"),  # an Arabic number sign before its digit
        # Scotland's flag: a black flag and tags; the tags are the end of the emoji
        (
            " \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f\u200b",
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        ),
        ("Ame\u0301lie\u200e", "Ame\u0301lie"),  # decomposed accents stay, marks are trimmed
        ("\u200f\u05e9\u05dc\u05d5\u05dd\u200f", "\u05e9\u05dc\u05d5\u05dd"),
        (
            "\U0001f468\u200d\U0001f469\u200d\U0001f467",
            "\U0001f468\u200d\U0001f469\u200d\U0001f467",
        ),
        ("\u2764\ufe0f", "\u2764\ufe0f"),
    ],
)
def test_only_what_shows_nothing_is_trimmed(typed, kept) -> None:
    assert dialog.visible(typed) == kept


@pytest.mark.shipped
async def test_a_title_typed_with_decomposed_accents_is_found(bot) -> None:
    """iOS and macOS keyboards may send "é" as "e" and a combining accent."""
    card = only(await bot.sent(message_update("/score Ame\u0301lie", language="en")))
    assert "<b>Amélie</b>" in card.text


async def test_a_command_entity_over_whitespace_is_answered(bot) -> None:
    for text in (" ", "\u00a0", "/"):
        update = message_update(text)
        update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": 1}]
        calls = await bot.sent(update)
        assert all(c.text != texts.raw("es", "error") for c in calls)


# -- 9. lone surrogates ----------------------------------------------------------------------


async def test_lone_surrogates_are_not_echoed_back(bot, caplog) -> None:
    call = only(await bot.sent(message_update("/score \ud800 titanic zzqx", language="en")))
    assert call.text != texts.raw("en", "error")
    assert "\ud800" not in call.text and "\ufffd" in call.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


# -- 10. an unknown stored language ----------------------------------------------------------


async def test_an_unknown_stored_language_falls_back_to_telegrams(bot) -> None:
    await bot.services.preferences.set_language(1001, "pt")  # a newer version's, or a hand edit
    month = only(await bot.sent(message_update("/mes enero", language="en")))
    assert "premiered" in month.text
    day = only(await bot.sent(message_update("/dia lunes", language="es")))
    assert "se estrenaron" in day.text


# -- plurals and formats (issue 10) -----------------------------------------------------------


def test_plurals_numbers_money_and_dates() -> None:
    import datetime as dt

    assert texts.count("en", "films_count", 1) == "1 film"
    assert texts.count("es", "films_count", 1) == "1 película"
    assert texts.count("es", "films_count", 1234) == "1.234 películas"
    assert texts.money("en", 450_000) == "$450,000"
    assert texts.money("es", 450_000) == "450.000 US$"
    assert texts.date("es", dt.date(1969, 4, 3)) == "3 abr 1969"
    assert texts.date("en", dt.date(1969, 4, 3)) == "3 Apr 1969"
    assert re.fullmatch(r"\d+,\d\d", texts.number("es", 21.0, 2))


# -- issue 12: heavy answers run off the event loop -------------------------------------------


async def test_a_heavy_action_leaves_the_event_loop_free(bot, monkeypatch) -> None:
    import asyncio
    import dataclasses
    import time

    from handlers import dialog
    from handlers.reply import Reply

    def slow(s, lang, text) -> Reply:
        time.sleep(0.3)  # stands for a long ranking or a chart
        return Reply("done")

    heavy = dataclasses.replace(dialog.BY_NAME["month"], name="slow", render=slow, offload=True)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    running = asyncio.create_task(ticker())
    reply = await dialog.ask_async(bot.services, "en", heavy, "x")
    running.cancel()
    assert reply.text == "done" and ticks >= 10  # the loop kept running meanwhile


# -- issue 11: who may press a button ---------------------------------------------------------


@pytest.mark.shipped
async def test_anyone_in_a_group_may_page_a_public_answer(bot) -> None:
    """Decided: an answer in a group is public, so its pages and choices are everyone's.

    The press answers the same whoever makes it; the data is signed and tied to the catalog,
    so it cannot be forged or carried to another build.
    """
    from handlers.console.updates import callback_update

    asked = only(await bot.sent(group_update("/director almodovar", GROUP_A, 1001)))
    message = {"message_id": 5, "date": 0, "chat": {"id": GROUP_A, "type": "supergroup"}}
    press = callback_update(asked.buttons[0]["callback_data"], message=message, user_id=2002)
    edit = only([c for c in await bot.feed(press) if c.method == "editMessageText"])
    assert "Página 2" in edit.text or "Page 2" in edit.text
