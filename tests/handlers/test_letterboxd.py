"""Letterboxd imports: the parser, matching on the catalog under test, and documents sent to
the bot (downloaded through the offline Bot API's getFile)."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from handlers import letterboxd, viewer
from handlers.console.updates import chat_json, user_json
from handlers.letterboxd import MAX_BYTES, MAX_ROWS, BadFile, Entry, parse

FIXTURES = Path(__file__).parent.parent / "fixtures" / "letterboxd"
USER = 1001
_ids = itertools.count(1)


def document_update(
    bot, name: str, data: bytes, *, mime: str | None = "text/csv", size: int | None = None,
    chat_id: int = USER, chat_type: str = "private",
) -> dict:  # fmt: skip
    """A document message as Telegram sends it; its bytes are served by the offline getFile."""
    n = next(_ids)
    file_id = f"doc-file-{n}"
    bot.log.files[file_id] = data
    document = {"file_id": file_id, "file_unique_id": f"u{n}", "file_name": name,
                "file_size": len(data) if size is None else size}  # fmt: skip
    if mime:
        document["mime_type"] = mime
    message = {
        "message_id": 50_000 + n,
        "date": int(time.time()),
        "chat": chat_json(chat_id, chat_type),
        "from": user_json(USER, "es"),
        "document": document,
    }
    return {"update_id": 90_000 + n, "message": message}


async def lists_of(bot) -> tuple[dict[int, int | None], list[int]]:
    store = bot.services.store
    seen = {i.movie_id: i.rating for i in await viewer.items(store, USER, "seen")}
    return seen, [i.movie_id for i in await viewer.items(store, USER, "later")]


# -- parsing ------------------------------------------------------------------------------------


def test_parse_reads_names_years_and_half_stars():
    export = parse((FIXTURES / "ratings.csv").read_bytes(), "ratings.csv")
    assert not export.watchlist
    assert export.entries[0] == Entry("Toy Story", 1995, 5)
    assert export.entries[1].rating == 5  # 4.5 rounds half up
    assert export.entries[3].rating == 1  # 0.5 is still a rating: the lowest
    assert export.entries[4].name == "Crouching Tiger, Hidden Dragon"  # quoted comma
    watch = parse((FIXTURES / "watchlist.csv").read_bytes(), "watchlist.csv")  # with a BOM
    assert watch.watchlist and [e.rating for e in watch.entries] == [None] * 3


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "import_not_csv"),
        (b"Date,Name,Year\n\xff\xfe\xfa", "import_not_csv"),
        ((FIXTURES / "wrong_columns.csv").read_bytes(), "import_bad_columns"),
        (b"", "import_empty"),
        (b"Date,Name,Year,Letterboxd URI\n", "import_empty"),
        (b"Name,Year\n" + b"A Film,2000\n" * (MAX_ROWS + 1), "import_too_many"),
    ],
)
def test_bad_files_are_refused(data, key):
    with pytest.raises(BadFile) as refused:
        parse(data, "x.csv")
    assert refused.value.key == key


def test_popular_films_match_and_nonsense_does_not(shipped_engine):
    films = [(c.key, c.label, c.year) for c in shipped_engine.popular(30)]
    found = {letterboxd.match(shipped_engine, Entry(t, y, None)) for _, t, y in films}
    assert len(found & {m for m, _, _ in films}) >= 27  # title + year finds the film
    assert letterboxd.match(shipped_engine, Entry("Zzyzx Quorblefrump", 2019, 3)) is None
    _, title, year = films[0]
    assert letterboxd.match(shipped_engine, Entry(title, year + 40, None)) is None  # wrong year


# -- sent to the bot ----------------------------------------------------------------------------


@pytest.mark.shipped
async def test_ratings_import_reports_what_it_could_not_match(bot):
    data = (FIXTURES / "ratings.csv").read_bytes()
    [call] = await bot.sent(document_update(bot, "ratings.csv", data))
    assert "<b>5</b> de 7" in call.text
    assert "Zzyzx Quorblefrump (2019)" in call.text and "Titanic (1912)" in call.text
    seen, later = await lists_of(bot)
    assert seen[862] == 5 and seen[949] == 5 and seen[348] == 4 and seen[238] == 1
    assert later == []


@pytest.mark.shipped
async def test_watchlist_import_skips_what_was_seen(bot):
    await bot.feed(document_update(bot, "ratings.csv", (FIXTURES / "ratings.csv").read_bytes()))
    data = (FIXTURES / "watchlist.csv").read_bytes()
    [call] = await bot.sent(document_update(bot, "watchlist.csv", data))
    assert "<b>2</b> de 3" in call.text and "Not A Real Film At All" in call.text
    seen, later = await lists_of(bot)
    assert later == [78] and seen[348] == 4  # Alien was seen: not put back on the list


async def test_generated_export_imports_the_catalogs_films(bot, shipped_engine):
    films = [(c.key, c.label, c.year) for c in shipped_engine.popular(12)]
    rows = [f'2024-01-01,"{t}",{y},https://boxd.it/x,4' for _, t, y in films]
    data = ("Date,Name,Year,Letterboxd URI,Rating\n" + "\n".join(rows)).encode()
    await bot.feed(document_update(bot, "ratings.csv", data))
    seen, _ = await lists_of(bot)
    assert len(set(seen) & {m for m, _, _ in films}) >= 10
    assert set(seen.values()) == {4}


@pytest.mark.parametrize(
    ("name", "data", "mime", "size", "expected"),
    [
        ("poster.png", b"\x89PNG\r\n", "image/png", None, "no parece un CSV"),
        ("ratings.csv", b"\x00\x01\x02binary", "text/csv", None, "no parece un CSV"),
        ("ratings.csv", b"Title,Director\nAlien,Scott\n", "text/csv", None, "faltan columnas"),
        ("ratings.csv", b"Name,Year\nAlien,1979\n", "text/csv", MAX_BYTES + 1, "pesa demasiado"),
    ],
)
async def test_bad_documents_get_a_reply_and_change_nothing(bot, name, data, mime, size, expected):
    calls = await bot.feed(document_update(bot, name, data, mime=mime, size=size))
    [reply] = [c for c in calls if c.method == "sendMessage"]
    assert expected in reply.text
    assert await lists_of(bot) == ({}, [])
    if size is not None:  # refused before downloading
        assert not [c for c in calls if c.method == "getFile"]


async def test_documents_in_groups_are_not_imported(bot):
    data = b"Name,Year\nAlien,1979\n"
    calls = await bot.feed(document_update(bot, "r.csv", data, chat_id=-5, chat_type="group"))
    assert not [c for c in calls if c.method == "getFile"]
    assert await lists_of(bot) == ({}, [])
    pdf = document_update(
        bot, "a.pdf", b"%PDF", mime="application/pdf", chat_id=-5, chat_type="group"
    )
    assert await bot.feed(pdf) == []  # other files in a group: not ours to answer


async def test_watched_keeps_ratings_and_seen_films_leave_watch_later(bot, shipped_engine):
    (a, b, c) = [(x.key, x.label, x.year) for x in shipped_engine.popular(3)]
    store = bot.services.store
    await store.list_set(USER, a[0], "seen", 2)
    await store.list_set(USER, b[0], "later")
    rows = [f'2024-01-01,"{t}",{y},https://boxd.it/x' for _, t, y in (a, b, c)]
    data = ("Date,Name,Year,Letterboxd URI\n" + "\n".join(rows)).encode()
    await bot.feed(document_update(bot, "watched.csv", data))
    assert await lists_of(bot) == ({a[0]: 2, b[0]: None, c[0]: None}, [])
