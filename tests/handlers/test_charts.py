"""Charts: PNGs a phone shows well, uploaded as bytes, cached, bounded, lazy, on the console."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from handlers import charts
from handlers.console import chat as console
from handlers.console.updates import callback_update, message_update
from handlers.settings import Settings
from tests.handlers.conftest import make_services

MAX_BYTES = 200_000
MIN_WIDTH = 600


def check_png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) < MAX_BYTES
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes the whole picture, not just the header
    assert image.format == "PNG" and image.width >= MIN_WIDTH
    return image


@pytest.fixture(autouse=True)
def fresh_cache():
    charts.clear_cache()
    yield
    charts.clear_cache()


def test_a_person_chart_is_a_small_wide_png() -> None:
    many = [charts.PersonPoint(1950 + i / 5, 5 + (i % 40) / 10, (i % 7) / 2, i * 1e6)
            for i in range(600)]  # fmt: skip
    for points in (many, many[:1], [charts.PersonPoint(2000.5, 7.0, 0.0, 0.0)]):
        check_png(charts.person_png("es", "Ana Torrent", points))


def test_a_calendar_chart_is_a_small_wide_png() -> None:
    labels = ["Lun", "Mar", "Mié", "Jue", "Vie", "Sáb", "Dom"]
    check_png(charts.calendar_png("es", "Estrenos", labels, [5, 9, 3, 0, 12, 7, 1], 4))
    check_png(charts.calendar_png("en", "Releases", labels, [0] * 7, 0))


async def test_month_sends_its_chart_as_an_upload(bot) -> None:
    calls = await bot.feed(message_update("/mes mayo"))
    (photo,) = [c for c in calls if c.method == "sendPhoto"]
    assert photo.photo == "attach://photo"  # bytes uploaded, not a URL or a file on disk
    check_png(photo.files["photo"])
    assert "mayo" in photo.text  # the answer is the caption


async def test_weekday_and_actor_carry_charts(bot) -> None:
    for text in ("/day friday", "/actor tom hanks"):
        calls = await bot.feed(message_update(text, language="en"))
        photos = [c for c in calls if c.method == "sendPhoto"]
        assert len(photos) == 1, [c.method for c in calls]
        check_png(photos[0].files["photo"])


async def test_director_pages_do_not_send_the_chart_again(bot, shipped_engine) -> None:
    first = await bot.feed(message_update("/director christopher nolan"))
    assert [c.method for c in first].count("sendPhoto") == 1
    paged = next(c for c in first if c.buttons)
    forward = next(b["callback_data"] for b in paged.buttons if b["text"] == "▶")
    second = await bot.feed(callback_update(forward, message=paged.result))
    assert not [c for c in second if c.files or c.method in ("sendPhoto", "editMessageMedia")]
    assert [c.method for c in second if c.method.startswith(("send", "edit"))] in (
        ["editMessageText"],
        ["editMessageCaption"],
    )
    edited = next(c for c in second if c.method.startswith("edit"))
    back = next(b["callback_data"] for b in edited.buttons if b["text"] == "◀")
    third = await bot.feed(callback_update(back, message=paged.result))
    assert not [c for c in third if c.files or c.method in ("sendPhoto", "editMessageMedia")]


def test_charts_are_cached_per_picture_and_bounded(monkeypatch) -> None:
    drawn: list[int] = []

    def draw(n: int) -> bytes:
        drawn.append(n)
        return b"png%d" % n

    monkeypatch.setattr(charts, "CACHE_SIZE", 3)
    for n in (1, 2, 1, 3, 4, 1, 2):
        assert charts._cached(("k", n), lambda n=n: draw(n)) == b"png%d" % n
    # 1 stayed (recently used), 2 was dropped when 4 came and drawn again
    assert drawn == [1, 2, 3, 4, 2]
    assert len(charts._cache) == 3


def test_a_slow_chart_is_left_out(monkeypatch) -> None:
    monkeypatch.setattr(charts, "CHART_SECONDS", 0.2)
    release = threading.Event()
    started = time.monotonic()
    assert charts._cached("slow", lambda: release.wait(5) and b"late") is None
    assert time.monotonic() - started < 2
    release.set()
    # finished late, it is kept for the next answer about the same thing
    deadline = time.monotonic() + 5
    while "slow" not in charts._cache and time.monotonic() < deadline:
        time.sleep(0.01)
    assert charts._cached("slow", lambda: b"drawn again") == b"late"


def test_a_failing_chart_is_left_out() -> None:
    def broken() -> bytes:
        raise ValueError("boom")

    assert charts._cached("broken", broken) is None


async def test_the_console_shows_where_the_chart_is(shipped_engine) -> None:
    app, log = console.build(Settings(state_db=None), make_services(shipped_engine))
    out = io.StringIO()
    await console.chat(app, log, io.StringIO("/mes mayo\n"), out, "es")
    lines = [line for line in out.getvalue().splitlines() if line.startswith("🖼 ")]
    assert len(lines) == 1
    path = Path(lines[0][2:].strip())
    check_png(path.read_bytes())
    path.unlink()


def test_matplotlib_is_not_loaded_at_start_up() -> None:
    code = (
        "import asyncio, sys\n"
        "from handlers.app import build_application, open_services, close_services\n"
        "from handlers.settings import Settings\n"
        "from tests.handlers.conftest import make_services\n"
        "from movierec.engine import Engine\n"
        "services = make_services(Engine.load())\n"
        "build_application(Settings(token='1:x', state_db=None), services)\n"
        "print('matplotlib' in sys.modules, 'PIL' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                          timeout=120, check=False)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1:] == ["False False"], done.stderr[-2000:]
