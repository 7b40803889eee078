"""Garbage, spam and odd updates through the real Application (property-based).

For every example: no exception reaches the error handler, every text sent fits in a message
and is valid Telegram HTML, and a reply is sent wherever one is due.
"""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from handlers import inline
from handlers.app import build_application, close_services, open_services
from handlers.console.offline import ApiLog, OfflineRequest
from handlers.console.updates import callback_update, inline_update, message_update
from handlers.reply import MAX_CAPTION, MAX_MESSAGE
from tests.handlers.conftest import TEST_SETTINGS, make_services
from tests.handlers.telegram_html import check

EXAMPLES = settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COMMANDS = [
    "/start",
    "/help",
    "/ayuda",
    "/mes",
    "/month",
    "/dia",
    "/day",
    "/score",
    "/votos",
    "/votes",
    "/actor",
    "/director",
    "/recomendar",
    "/recommend",
    "/similar",
    "/lang",
    "/idioma",
    "/score@movierec_bot",
    "/director@movierec_bot",
]
NASTY = [
    "x" * 10_000,
    "<b>unclosed",
    "</i></b>",
    "&amp;&lt;&#0;&",
    "*bold* _it_ `code` [link](http://x)",
    ".*",
    "(((",
    "[a-z]+",
    "\\d{4}",
    "a{1,99999}",
    "(?P<x>",
    "|",
    "^$",
    "\u202eevil",
    "a\u200bb",
    "e\u0301\u0301\u0301",
    "\x00\x01\x1f\x7f",
    "\t\n\r",
    "'; DROP TABLE movies; --",
    "$(rm -rf /)",
    "`reboot`",
    "%s%n%x",
    "{0}{title}",
    "🎬" * 500,
    "ﷺ" * 300,
    "مرحبا بالعالم",
    "שלום",
    "Titanic 1997",
    "hamlet",
    "almodovar",
]
TEXT = st.one_of(
    # lone surrogates included: a decoded update can hold them, UTF-8 cannot carry them
    st.text(st.characters(), max_size=300),
    st.sampled_from(NASTY),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=30)),
)


@pytest.fixture(scope="module")
def rig(shipped_engine):
    """One Application for thousands of examples: its own loop, a log, an error recorder."""
    loop = asyncio.new_event_loop()
    log = ApiLog()
    services = make_services(shipped_engine)
    app = build_application(TEST_SETTINGS, services, OfflineRequest(log), OfflineRequest(log))
    errors: list[BaseException] = []

    async def record(update, context) -> None:
        errors.append(context.error)

    app.add_error_handler(record)
    loop.run_until_complete(app.initialize())
    loop.run_until_complete(open_services(services))

    def feed(update: dict) -> list:
        log.clear()
        loop.run_until_complete(app.process_update(Update.de_json(update, app.bot)))
        assert not errors, repr(errors[-1])
        for call in log.calls:
            if call.method in ("sendMessage", "editMessageText"):
                assert len(call.text) <= MAX_MESSAGE
                check(call.text)
            if call.method in ("sendPhoto", "editMessageCaption", "editMessageMedia"):
                assert len(call.text) <= MAX_CAPTION  # a chart's caption
                check(call.text)
            if call.method == "answerInlineQuery":
                for result in call.params["results"]:
                    content = result["input_message_content"]["message_text"]
                    assert len(content) <= MAX_MESSAGE
                    check(content)
        return list(log.calls)

    yield dataclasses.make_dataclass("Rig", ["feed", "services"])(feed, services)
    loop.run_until_complete(app.shutdown())
    loop.run_until_complete(close_services(services))
    loop.close()


@EXAMPLES
@given(
    command=st.sampled_from(COMMANDS),
    argument=TEXT,
    chat=st.sampled_from([("private", 1001), ("group", -500), ("supergroup", -100900)]),
    language=st.sampled_from(["es", "en", "pt-br", None]),
    separator=st.sampled_from([" ", "\n", "\t", "\u00a0", " \n "]),
)
def test_commands_with_anything_after_them(
    rig, command, argument, chat, language, separator
) -> None:
    chat_type, chat_id = chat
    text = f"{command}{separator}{argument}"
    calls = rig.feed(message_update(text, chat_id=chat_id, chat_type=chat_type, language=language))
    # a chart's answer is a photo with the text as its caption (handlers/charts.py)
    answers = ("sendMessage", "sendPhoto")
    assert any(c.method in answers for c in calls), "every command gets an answer"


@EXAMPLES
@given(text=TEXT, language=st.sampled_from(["es", "en", None]))
def test_private_text_is_always_answered(rig, text, language) -> None:
    calls = rig.feed(message_update(text or ".", language=language))
    # unknown commands too; a title's card may be a poster with its caption
    assert any(c.method in ("sendMessage", "sendPhoto") for c in calls)


def _mutations(valid: str):
    return st.one_of(
        st.just(valid),
        st.integers(0, len(valid)).map(lambda k: valid[:k]),
        st.tuples(st.integers(0, len(valid) - 1), st.characters()).map(
            lambda pair: valid[: pair[0]] + pair[1] + valid[pair[0] + 1 :]
        ),
        st.text(max_size=80),
        st.sampled_from(["1|d|99999999|0|1|AAAAAAAA", "1|c|862|0|0", "1|c|-1|0|0|x", "🎬" * 30]),
    )


@EXAMPLES
@given(data=st.data())
def test_forged_and_truncated_buttons(rig, data) -> None:
    codec = rig.services.codec
    valid = data.draw(
        st.sampled_from(
            [
                codec.encode("card", 862),
                codec.encode("director", 0, 1, True),
                codec.encode("recommend", 949, 3, True),
                codec.encode("actor", 5),
            ]
        )
    )
    pressed = data.draw(_mutations(valid))
    calls = rig.feed(callback_update(pressed))
    assert any(c.method == "answerCallbackQuery" for c in calls), "every press is answered"


@EXAMPLES
@given(query=TEXT, language=st.sampled_from(["es", "en", None]))
def test_inline_queries(rig, query, language) -> None:
    calls = rig.feed(inline_update(query[:256], language=language))
    answer = [c for c in calls if c.method == "answerInlineQuery"]
    assert len(answer) == 1 and len(answer[0].params["results"]) <= inline.MAX_RESULTS


def without_user(update: dict) -> dict:
    for value in update.values():
        if isinstance(value, dict):
            value.pop("from", None)
    return update


ODD_UPDATES = [
    without_user(message_update("/score toy story")),
    without_user(message_update("/lang en")),
    message_update("/score toy story", edited=True),
    {
        "update_id": 90001,
        "channel_post": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": -1009, "type": "channel", "title": "c"},
            "text": "/score toy story",
        },
    },
    {
        "update_id": 90002,
        "message": {
            "message_id": 2,
            "date": 0,
            "chat": {"id": 1001, "type": "private"},
            "from": {"id": 1001, "is_bot": False, "first_name": "A"},
            "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}],
        },
    },
    {
        "update_id": 90003,
        "message": {
            "message_id": 3,
            "date": 0,
            "chat": {"id": 1001, "type": "private"},
            "from": {"id": 1001, "is_bot": False, "first_name": "A"},
            "text": "",
        },
    },
    {
        "update_id": 90004,
        "my_chat_member": {
            "chat": {"id": -5, "type": "group", "title": "g"},
            "from": {"id": 1, "is_bot": False, "first_name": "A"},
            "date": 0,
            "old_chat_member": {
                "status": "left",
                "user": {"id": 7, "is_bot": True, "first_name": "b"},
            },
            "new_chat_member": {
                "status": "member",
                "user": {"id": 7, "is_bot": True, "first_name": "b"},
            },
        },
    },
    {"update_id": 90005},
]


# Whether each odd update is answered: a command in a chat is, even without a sender; an edit,
# a channel post, a photo, an empty text, a membership change and an empty update are not.
ANSWERED = [True, True, False, False, False, False, False, False]


@pytest.mark.parametrize(("update", "answered"), list(zip(ODD_UPDATES, ANSWERED, strict=True)))
def test_updates_with_missing_or_unusual_fields(rig, update, answered) -> None:
    calls = rig.feed(update)  # the rig fails on any error and checks every text it sent
    sent = [c for c in calls if c.method == "sendMessage"]
    assert bool(sent) == answered, [c.text[:60] for c in sent]
