"""Live TMDB (handlers/tmdb): against a fake TMDB on loopback and httpx mock transports.

Every failure must leave the offline answer: the same text a bot without a key gives.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

import httpx
import pytest

from handlers.console.updates import callback_update, message_update
from handlers.store import create_store
from handlers.tmdb.client import FILMS, SEARCHES, TmdbClient
from handlers.tmdb.film import LiveFilm, Malformed, parse_film, parse_search
from handlers.tmdb.live import pick
from handlers.tmdb.settings import TmdbSettings
from tests.handlers.tmdb_server import FIXTURES, FakeTmdb

KEY = "tmdb-test-key-0123456789abcdef"
TOKEN = "eyJ-test-read-token-abcdefghijklmnopqrstuvwxyz"
OPPENHEIMER = 872585
GODFATHER = 238


def fixture(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def fake():
    server = FakeTmdb(api_key=KEY, token=TOKEN).start()
    yield server
    server.stop()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def live(make_bot, fake):
    """A bot with a TMDB client on the fake server; returns (bot, client)."""
    clients = []

    async def factory(timeout: float = 1.5, clock=time.monotonic, **settings):
        bot = await make_bot()
        config = TmdbSettings(api_key=KEY, api_url=fake.url, timeout=timeout, **settings)
        client = TmdbClient(config, bot.services.store, clock=clock)
        bot.services.tmdb = client
        await client.open()
        clients.append(client)
        return bot, client

    yield factory
    for client in clients:
        await client.close()


async def offline_text(make_bot, text: str, language: str = "es") -> str:
    bot = await make_bot()
    return (await bot.feed(message_update(text, language=language)))[-1].text


# -- settings ---------------------------------------------------------------------------------


def test_settings_from_the_environment() -> None:
    assert not TmdbSettings.from_env({}).enabled
    assert not TmdbSettings.from_env({"TMDB_API_KEY": "  "}).enabled
    s = TmdbSettings.from_env(
        {
            "TMDB_API_KEY": KEY,
            "TMDB_API_URL": "http://127.0.0.1:9/",
            "TMDB_LANGUAGE_ES": "es-ES",
            "TMDB_TIMEOUT": "30",
        }
    )
    assert s.enabled and s.api_url == "http://127.0.0.1:9" and s.secrets == [KEY]
    assert s.language("es") == "es-ES" and s.language("en") == "en-US"
    assert s.timeout == 1.5  # never longer than the cap
    odd = TmdbSettings.from_env(
        {"TMDB_ACCESS_TOKEN": TOKEN, "TMDB_LANGUAGE_ES": "xx", "TMDB_TIMEOUT": "nan"}
    )
    assert odd.enabled and odd.spanish == "es-MX" and odd.timeout == 1.5
    assert TmdbSettings.from_env({}).image_url == "https://image.tmdb.org/t/p"
    assert KEY not in repr(s) and TOKEN not in repr(odd)


# -- parsing ----------------------------------------------------------------------------------


def test_parse_film_keeps_what_the_bot_uses() -> None:
    film = parse_film(fixture(f"movie_{OPPENHEIMER}.json"))
    assert (film.title, film.year, film.runtime) == ("Oppenheimer", 2023, 181)
    assert film.directors == ("Christopher Nolan",)  # once, though he also wrote it
    assert film.cast[:2] == ("Cillian Murphy", "Emily Blunt")
    assert "nuclear weapons" in film.keywords and film.companies[0] == "Syncopy"
    assert film.countries == ("United Kingdom", "United States of America")
    assert film.languages == ("English",)
    assert set(film.translations) == {"es-MX"}  # only Spanish is kept
    assert film.localised("es-ES")[0] == "Oppenheimer"  # any Spanish when the region lacks one
    assert LiveFilm.loads(film.dumps()) == film
    godfather = parse_film(fixture(f"movie_{GODFATHER}.json"))
    assert godfather.collection == "The Godfather Collection"
    assert godfather.localised("es-ES")[1].startswith("Un patriarca")


@pytest.mark.parametrize(
    "data",
    [None, [], "x", {"id": 1}, {"title": "X", "id": "7"}, {"title": "X", "id": 7, "genres": {}}],
)
def test_parse_film_refuses_other_shapes(data) -> None:
    with pytest.raises(Malformed):
        parse_film(data)


def test_parse_search_and_pick() -> None:
    found = parse_search(fixture("search_oppenheimer.json"))
    assert [f.tmdb_id for f in found] == [OPPENHEIMER, 990001]
    assert pick("oppenheimer", found).tmdb_id == OPPENHEIMER
    assert pick("something else entirely", found) is None
    assert parse_search({"results": []}) == []
    with pytest.raises(Malformed):
        parse_search({"results": {}})


# -- no key: the offline bot, and no HTTP at all ----------------------------------------------


async def test_without_a_key_there_is_no_client_and_no_http_call(
    make_bot, monkeypatch, shipped_engine
) -> None:
    async def refuse(*args, **kwargs):
        raise AssertionError("an HTTP call was made without a TMDB key")

    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)
    for name in ("TMDB_API_KEY", "TMDB_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    from handlers.app import load_services
    from handlers.settings import Settings
    from tests.conftest import SHIPPED_DATA

    assert load_services(Settings(state_db=None, data_dir=SHIPPED_DATA)).tmdb is None
    bot = await make_bot()
    assert bot.services.tmdb is None
    for text in ("/score oppenheimer", "/recomendar oppenheimer", "/score el padrino"):
        calls = await bot.sent(message_update(text))
        assert calls and "TMDB" not in calls[-1].text


# -- with a key -------------------------------------------------------------------------------


async def test_a_film_after_2017_is_found_scored_and_voted(live, fake) -> None:
    bot, _client = await live()
    calls = await bot.feed(message_update("/score oppenheimer"))
    text = calls[-1].text
    assert "Oppenheimer" in text and "(2023)" in text and "151,25" in text
    assert "TMDB" in text  # says the numbers are TMDB's, today
    calls = await bot.feed(message_update("/votos oppenheimer", language="en"))
    assert "9,870" in calls[-1].text and "TMDB" in calls[-1].text
    assert "/search/movie" in fake.requests and f"/movie/{OPPENHEIMER}" in fake.requests


async def test_a_live_card_is_a_poster_marked_as_live_data(live) -> None:
    bot, client = await live()
    calls = await bot.feed(message_update("oppenheimer"))
    card = calls[-1]
    assert card.method == "sendPhoto"
    assert card.params["photo"] == f"{client.settings.image_url}/w500/test-oppenheimer-poster.jpg"
    assert "Christopher Nolan" in card.text and "Datos en vivo de TMDB" in card.text
    assert "El físico" in card.text  # the Spanish overview for a Spanish speaker
    buttons = [b for row in card.params["reply_markup"]["inline_keyboard"] for b in row]
    assert any(b.get("url") == f"https://www.themoviedb.org/movie/{OPPENHEIMER}" for b in buttons)
    # its buttons work: "similar" ranks the catalog for it
    similar = next(b["callback_data"] for b in buttons if "callback_data" in b)
    calls = await bot.feed(callback_update(similar))
    assert any("Christopher Nolan" in c.text for c in calls)


async def test_recommend_a_live_film_ranks_nolans_films_first(live, shipped_engine) -> None:
    bot, _client = await live()
    calls = await bot.sent(message_update("/recomendar oppenheimer", language="en"))
    text = calls[-1].text
    assert text.startswith("If you liked <b>Oppenheimer</b> (2023)")
    assert "TMDB" in text.split("\n")[-1]  # says how it was compared
    # the same ranking through the engine: every film directed by Nolan says so, and his
    # films lead the list
    picks = shipped_engine.similar_to_features(
        parse_film(fixture(f"movie_{OPPENHEIMER}.json")).features(), 5
    )
    nolan = [p for p in picks if "Christopher Nolan" in shipped_engine.card(p.movie_id).directors]
    assert picks[0] in nolan and len(nolan) >= 2
    for p in nolan:
        assert ("director", ("Christopher Nolan",)) in [(r.kind, r.values) for r in p.reasons]
        assert f"<b>{p.title}</b>" in text
    assert "same director: Christopher Nolan" in text.split("\n")[2]  # the first film's reason


def spanish_title(engine, movie_id: int) -> str | None:
    """The catalog's own Spanish title (builds without alternative titles have none)."""
    local_title = getattr(engine, "local_title", None)
    return local_title(movie_id, "es") if local_title else None


def catalog_has(engine, movie_id: int, field: str) -> bool:
    """Whether the card has this optional field (poster, overview) filled."""
    return bool(getattr(engine.card(movie_id), field, None))


def untitled_film(engine) -> int:
    """The most-voted catalog film without a Spanish title of its own."""
    return next(c.key for c in engine.popular(200) if not spanish_title(engine, c.key))


def serve_as_spanish(fake: FakeTmdb, movie_id: int, title: str) -> None:
    """TMDB details for ``movie_id`` (the Godfather fixture, renamed) with a Spanish title."""
    data = fixture(f"movie_{GODFATHER}.json")
    data["id"] = movie_id
    spanish = data["translations"]["translations"][0]["data"]
    spanish["title"], spanish["overview"] = title, "Un resumen en español, de prueba."
    fake.extra[f"/movie/{movie_id}"] = json.dumps(data).encode()


async def test_a_spanish_title_and_poster_for_a_catalog_film(live, fake, shipped_engine) -> None:
    bot, client = await live()
    film = untitled_film(shipped_engine)
    serve_as_spanish(fake, film, "Título de prueba")
    before = shipped_engine.card(film)
    press = bot.services.codec.encode("score", film)
    reply = (await bot.feed(callback_update(press)))[-1]
    assert "<b>Título de prueba</b>" in reply.text and before.title in reply.text
    assert reply.method == "sendPhoto"  # a poster: the catalog's, else TMDB's
    poster = getattr(before, "image_url", None)
    expected = poster or f"{client.settings.image_url}/w500/test-godfather-poster.jpg"
    assert reply.params["photo"] == expected
    cached = await bot.services.store.kv_get(FILMS, str(film))  # fetched once, kept
    assert cached and LiveFilm.loads(cached).tmdb_id == film
    asked = len(fake.requests)
    again = (await bot.feed(callback_update(press)))[-1]
    assert again.text == reply.text and len(fake.requests) == asked
    # English speakers get the catalog as it is, without asking TMDB
    english = (await bot.feed(callback_update(press, language="en")))[-1]
    assert "Título de prueba" not in english.text and len(fake.requests) == asked


async def test_the_spanish_overview_fills_an_empty_card(live, fake, shipped_engine) -> None:
    bot, _client = await live()
    c = shipped_engine.catalog
    film = next(
        int(c.ids[r])
        for r in range(len(c))
        if not catalog_has(shipped_engine, int(c.ids[r]), "overview")
        and not spanish_title(shipped_engine, int(c.ids[r]))
    )
    serve_as_spanish(fake, film, "Otra prueba")
    reply = (await bot.feed(callback_update(bot.services.codec.encode("card", film))))[-1]
    assert "Un resumen en español, de prueba." in reply.text


async def test_a_film_the_catalog_knows_in_spanish_asks_nothing(live, fake, shipped_engine) -> None:
    known = next(
        (
            c.key
            for c in shipped_engine.popular(200)
            if spanish_title(shipped_engine, c.key)
            and catalog_has(shipped_engine, c.key, "image_url")
        ),
        None,
    )
    if known is None:
        pytest.skip("this catalog has no Spanish titles with posters")
    bot, _client = await live()
    asked = len(fake.requests)
    await bot.feed(callback_update(bot.services.codec.encode("score", known)))
    assert len(fake.requests) == asked


async def test_the_second_ask_is_answered_from_the_cache(live, fake) -> None:
    bot, _client = await live()
    first = (await bot.feed(message_update("/score oppenheimer")))[-1].text
    asked = len(fake.requests)
    second = (await bot.feed(message_update("/score oppenheimer")))[-1].text
    assert second == first and len(fake.requests) == asked  # no new request
    assert await bot.services.store.kv_get(SEARCHES, "es-MX|oppenheimer")


async def test_the_cache_is_shared_through_the_store(fake, tmp_path) -> None:
    """Another replica (another client on the same database) asks TMDB nothing."""
    db = tmp_path / "state.sqlite3"
    settings = TmdbSettings(api_key=KEY, api_url=fake.url)
    async with create_store(None, db) as store:
        one = TmdbClient(settings, store)
        await one.open()
        assert (await one.film(OPPENHEIMER)).title == "Oppenheimer"
        await one.close()
    asked = len(fake.requests)
    async with create_store(None, db) as store:
        two = TmdbClient(settings, store)
        two._http = httpx.AsyncClient(transport=httpx.MockTransport(_never))
        assert (await two.film(OPPENHEIMER)).title == "Oppenheimer"
        await two.close()
    assert len(fake.requests) == asked


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request {request.url.path}")


# -- failures: always the local answer ----------------------------------------------------------


async def test_a_rejected_key_is_one_line_then_offline(make_bot, live, fake, caplog) -> None:
    expected = await offline_text(make_bot, "/score oppenheimer")
    fake.mode = "401"
    with caplog.at_level(logging.DEBUG):
        bot, client = await live()
    assert client.offline
    errors = [r for r in caplog.records if r.name.startswith("handlers.tmdb")]
    assert [r.levelno for r in errors] == [logging.ERROR] and "401" in errors[0].getMessage()
    asked = len(fake.requests)
    assert (await bot.feed(message_update("/score oppenheimer")))[-1].text == expected
    assert len(fake.requests) == asked == 1  # the check at start, nothing after


async def test_a_404_answers_locally_and_is_remembered(make_bot, live, fake) -> None:
    expected = await offline_text(make_bot, "/score nowhere film")
    bot, _client = await live()
    assert (await bot.feed(message_update("/score nowhere film")))[-1].text == expected
    assert fake.requests.count("/movie/999999901") == 1
    assert (await bot.feed(message_update("/score nowhere film")))[-1].text == expected
    assert fake.requests.count("/movie/999999901") == 1  # the 404 is cached


async def test_429_honours_retry_after(make_bot, live, fake) -> None:
    expected = await offline_text(make_bot, "/score oppenheimer")
    clock = Clock()
    bot, client = await live(clock=clock)
    fake.mode, fake.retry_after = "429", "30"
    assert (await bot.feed(message_update("/score oppenheimer")))[-1].text == expected
    asked = len(fake.requests)
    assert client.blocked_until == clock.now + 30
    clock.now += 29  # still inside Retry-After: no call at all
    assert (await bot.feed(message_update("/score oppenheimer")))[-1].text == expected
    assert len(fake.requests) == asked
    fake.mode = "ok"
    clock.now += 2  # after it: asked again, and answered live
    assert "151,25" in (await bot.feed(message_update("/score oppenheimer")))[-1].text


async def test_malformed_json_answers_locally(make_bot, live, fake) -> None:
    expected = await offline_text(make_bot, "/recomendar oppenheimer")
    bot, client = await live()
    fake.mode = "malformed"
    assert (await bot.feed(message_update("/recomendar oppenheimer")))[-1].text == expected
    assert client.failures == 1


async def test_a_slow_server_leaves_the_local_answer_in_time(make_bot, live, fake) -> None:
    expected = await offline_text(make_bot, "/score oppenheimer")
    bot, _client = await live()  # the default timeout: 1.5 s
    fake.mode, fake.delay = "slow", 5.0
    started = time.perf_counter()
    assert (await bot.feed(message_update("/score oppenheimer")))[-1].text == expected
    assert time.perf_counter() - started < 2.5


async def test_timeouts_open_the_circuit_breaker(make_bot) -> None:
    calls = []

    def timeout(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        raise httpx.ReadTimeout("timed out", request=request)

    clock = Clock()
    settings = TmdbSettings(api_key=KEY, api_url="http://tmdb.invalid", failures_to_open=3)
    client = TmdbClient(settings, None, transport=httpx.MockTransport(timeout), clock=clock)
    await client.open()  # the start check fails: one failure
    assert not client.offline
    for _ in range(2):
        assert await client.film(OPPENHEIMER) is None
    assert len(calls) == 3 and not client.available  # open
    assert await client.search("oppenheimer", "en-US") is None
    assert len(calls) == 3  # no call while open
    clock.now += settings.open_seconds
    assert await client.film(OPPENHEIMER) is None
    assert len(calls) == 4  # tried again after the pause
    await client.close()


async def test_server_errors_answer_locally(make_bot, live, fake) -> None:
    expected = await offline_text(make_bot, "oppenheimer")
    bot, client = await live()
    fake.mode = "500"
    assert (await bot.feed(message_update("oppenheimer")))[-1].text == expected
    assert client.failures == 1


async def test_hostile_titles_never_break_it(live) -> None:
    bot, _client = await live()
    for text in ("/score \ud800x", "/score " + "a" * 5000, "/score <b>&amp;", "/score \x00\x01"):
        calls = await bot.feed(message_update(text))
        assert calls and calls[-1].text


# -- secrets ----------------------------------------------------------------------------------


async def test_the_key_never_reaches_logs_or_messages(live, fake, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        bot, _client = await live()
        texts = []
        for text in ("/score oppenheimer", "/recomendar oppenheimer", "/score el padrino"):
            texts += [c.text for c in await bot.feed(message_update(text))]
        fake.mode = "500"
        texts += [c.text for c in await bot.feed(message_update("/votos oppenheimer x"))]
    assert any(f"api_key={KEY}" in r for r in fake.raw_requests)  # it was sent...
    assert KEY not in caplog.text  # ...and never logged
    assert all(KEY not in t for t in texts)


async def test_a_v4_token_goes_in_the_header(fake) -> None:
    seen = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("configuration.json"))

    settings = TmdbSettings(access_token=TOKEN, api_url="http://tmdb.invalid")
    client = TmdbClient(settings, None, transport=httpx.MockTransport(record))
    await client.open()
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert "api_key" not in str(seen[0].url)
    await client.close()


async def test_concurrency_is_capped(fake) -> None:
    fake.mode, fake.delay = "slow", 0.3
    settings = TmdbSettings(api_key=KEY, api_url=fake.url, concurrency=2)
    client = TmdbClient(settings, None)
    await client.open()
    started = time.perf_counter()
    await asyncio.gather(*(client.film(n) for n in range(1, 5)))
    # four requests, two at a time: at least two rounds of the delay
    assert time.perf_counter() - started >= 0.55
    await client.close()


# -- an ambiguous title with a newer film of that name ------------------------------------------


async def test_an_ambiguous_title_offers_the_newer_film_first(
    make_bot, live, shipped_engine
) -> None:
    from movierec.results import Ambiguous

    if not isinstance(shipped_engine.resolve_title("barbie"), Ambiguous):
        pytest.skip("'barbie' is not a question in this catalog")
    offline = (await (await make_bot()).feed(message_update("/score barbie")))[-1]
    bot, _client = await live()
    question = (await bot.feed(message_update("/score barbie")))[-1]
    assert question.text == offline.text  # the same question...
    rows = question.params["reply_markup"]["inline_keyboard"]
    assert rows[0][0]["text"] == "🌐 Barbie (2023)"  # ...with TMDB's film first
    local = [r[0]["text"] for r in offline.params["reply_markup"]["inline_keyboard"]]
    assert [r[0]["text"] for r in rows[1:]] == local
    pressed = (await bot.feed(callback_update(rows[0][0]["callback_data"])))[-1]
    assert "<b>Barbie</b> (2023)" in pressed.text and "88,00" in pressed.text


async def test_a_list_of_catalog_films_is_read_before_tmdb_is_asked(live, fake, popular) -> None:
    """With TMDB on, "argo, heat" (whose whole text finds one film by a forgiven typo, or
    none) was answered for that one film, or searched on TMDB as one title."""
    from movierec.results import Match

    engine = (await live())[0].services.engine
    pairs = [(a, b) for a in popular[:10] for b in popular[:10] if a != b]
    listed = next(
        (f"{a[1]}, {b[1]}" for a, b in pairs
         if isinstance(engine.resolve_title(f"{a[1]}, {b[1]}"), Match)),
        f"{popular[0][1]}, {popular[1][1]}",
    )  # fmt: skip
    bot, _client = await live()
    fake.requests.clear()
    [call] = await bot.sent(message_update(f"/recomendar {listed}"))
    assert call.text.startswith("Si te gustaron ")
    assert "/search/movie" not in fake.requests
