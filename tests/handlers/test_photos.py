"""Replies with a photo: sent by URL, cached file_id, refused URLs remembered, edits, console."""

from __future__ import annotations

import io
from pathlib import Path

from telegram.error import BadRequest

from handlers import dialog, photos
from handlers.console import chat as console
from handlers.console.updates import message_update
from handlers.reply import MAX_CAPTION, Photo, Reply

URL = "https://image.tmdb.org/t/p/w342/poster.jpg"


def only(calls, method):
    found = [c for c in calls if c.method == method]
    assert len(found) == 1, [(c.method, c.text[:40]) for c in calls]
    return found[0]


async def send(bot, reply: Reply):
    """Send ``reply`` as the answer to a private message, through the real bot."""
    from telegram import Update

    update = Update.de_json(message_update("x"), bot.app.bot)
    bot.log.clear()
    await dialog.send(update, bot.services, reply)
    return list(bot.log.calls)


async def test_a_photo_reply_is_sent_by_url_then_by_file_id(bot) -> None:
    first = only(await send(bot, Reply("<b>card</b>", photo=Photo(url=URL))), "sendPhoto")
    assert first.photo == URL and first.text == "<b>card</b>"
    file_id = first.result["photo"][-1]["file_id"]
    second = only(await send(bot, Reply("<b>card</b>", photo=Photo(url=URL))), "sendPhoto")
    assert second.photo == file_id  # Telegram does not fetch the poster again


def refuse_photos(bot, description: str) -> list[str]:
    """Make the Bot API answer every sendPhoto with a 400; returns the photos it refused."""
    refused: list[str] = []

    def fault(method, params):
        if method != "sendPhoto":
            return None
        refused.append(params.get("photo", "upload"))
        return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}

    bot.app.bot.request.fault = fault
    return refused


async def test_a_refused_url_falls_back_to_text_and_is_remembered(bot) -> None:
    refusals = refuse_photos(bot, "wrong type of the web page content")
    calls = await send(bot, Reply("card text", photo=Photo(url=URL + "?dead")))
    assert only(calls, "sendMessage").text == "card text"
    again = await send(bot, Reply("card text", photo=Photo(url=URL + "?dead")))
    assert only(again, "sendMessage").text == "card text"
    assert refusals == [URL + "?dead"]  # the second time it is not even tried


async def test_a_long_text_goes_under_the_photo_with_the_buttons(bot) -> None:
    text = "x" * (MAX_CAPTION + 1)
    calls = await send(bot, Reply(text, photo=Photo(data=b"\x89PNG fake", name="c.png")))
    photo, message = only(calls, "sendPhoto"), only(calls, "sendMessage")
    assert "photo" in photo.files and photo.text == ""
    assert message.text == text


async def test_other_bad_requests_are_not_swallowed(bot) -> None:
    refuse_photos(bot, "chat not found")
    try:
        await send(bot, Reply("t", photo=Photo(url=URL + "?x")))
    except BadRequest:
        pass
    else:
        raise AssertionError("a failure unrelated to the URL must reach the error handler")
    assert not photos.refused(BadRequest("chat not found"))


def test_the_console_shows_a_photo_as_a_line_above_the_caption(tmp_path) -> None:
    from handlers.console.offline import ApiCall

    out = io.StringIO()
    chat = console.ConsoleChat.__new__(console.ConsoleChat)
    chat.out, chat.buttons, chat.prompt, chat.last_message = out, [], None, None
    chat.show(ApiCall("sendPhoto", {"photo": URL, "caption": "<b>Heat</b>"}, {}), {})
    assert out.getvalue().splitlines()[1:] == [f"🖼 {URL}", "Heat"]
    chat.show(ApiCall("sendPhoto", {"caption": "chart"}, {}, {"photo": b"PNG"}), {})
    path = out.getvalue().splitlines()[-2].removeprefix("🖼 ")
    assert Path(path).read_bytes() == b"PNG"


class CountingStore:
    """Counts the photo cache's reads and writes that reach the store."""

    def __init__(self, store) -> None:
        self.store, self.reads, self.writes = store, 0, 0

    def install(self, monkeypatch) -> None:
        get, put = self.store.kv_get, self.store.kv_set

        async def kv_get(*args, **kwargs):
            self.reads += 1
            return await get(*args, **kwargs)

        async def kv_set(*args, **kwargs):
            self.writes += 1
            return await put(*args, **kwargs)

        monkeypatch.setattr(self.store, "kv_get", kv_get)
        monkeypatch.setattr(self.store, "kv_set", kv_set)


async def test_a_poster_sent_again_costs_no_store_round_trip(bot, monkeypatch) -> None:
    counting = CountingStore(bot.services.store)
    counting.install(monkeypatch)
    await send(bot, Reply("card", photo=Photo(url=URL + "?again")))
    first_reads, first_writes = counting.reads, counting.writes
    assert first_writes == 1  # the file id, once
    for _ in range(3):
        again = only(await send(bot, Reply("card", photo=Photo(url=URL + "?again"))), "sendPhoto")
        assert again.photo.startswith("photo-")  # by file id
    # remembered here: no more reads, and a photo sent by file id writes nothing
    assert (counting.reads, counting.writes) == (first_reads, first_writes)


async def test_a_file_id_stored_by_another_replica_is_used_after_the_memory_expires(
    bot,
) -> None:
    url = URL + "?other"
    only(await send(bot, Reply("card", photo=Photo(url=url))), "sendPhoto")
    await bot.services.store.kv_set(photos.FILE_IDS, url, "photo-from-elsewhere", 3600)
    now = bot.services.photos.clock()
    bot.services.photos.clock = lambda: now + bot.services.photos.ttl + 1
    again = only(await send(bot, Reply("card", photo=Photo(url=url))), "sendPhoto")
    assert again.photo == "photo-from-elsewhere"


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # the bytes stand for a chart


async def test_a_chart_is_uploaded_once_then_sent_by_file_id(bot) -> None:
    first = only(await send(bot, Reply("chart", photo=Photo(data=PNG))), "sendPhoto")
    assert first.files and first.photo.startswith("attach://")  # uploaded
    second = only(await send(bot, Reply("chart", photo=Photo(data=PNG))), "sendPhoto")
    assert not second.files and second.photo == first.result["photo"][-1]["file_id"]
    other = only(await send(bot, Reply("chart", photo=Photo(data=PNG + b"2"))), "sendPhoto")
    assert other.files  # another picture is uploaded


async def test_a_charts_kept_file_id_that_fails_is_uploaded_again(bot) -> None:
    only(await send(bot, Reply("chart", photo=Photo(data=PNG + b"x"))), "sendPhoto")
    tried: list[str] = []

    def fault(method, params):  # Telegram no longer knows the file id
        kept = str(params.get("photo", ""))  # an upload carries the bytes as a file instead
        if method == "sendPhoto" and kept.startswith("photo-"):
            tried.append(params["photo"])
            refusal = "Bad Request: wrong file identifier/HTTP URL specified"
            return 400, {"ok": False, "error_code": 400, "description": refusal}
        return None

    bot.app.bot.request.fault = fault
    calls = await send(bot, Reply("chart", photo=Photo(data=PNG + b"x")))
    sent = [c for c in calls if c.method == "sendPhoto"]
    assert len(tried) == 1 and sent[-1].files and sent[-1].text == "chart"
