"""The console chat, driven through stdin/stdout like a person at a terminal."""

from __future__ import annotations

import io
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handlers.app import build_application
from handlers.console import chat as console
from handlers.console.offline import ApiLog, OfflineRequest
from handlers.settings import Settings
from tests.handlers.conftest import TEST_SETTINGS, make_services

# these sessions ask about films of the shipped catalog (Toy Story, Almodóvar, Heat)
pytestmark = pytest.mark.shipped


async def test_a_session_in_the_terminal(shipped_engine) -> None:
    log = ApiLog()
    services = make_services(shipped_engine)
    app = build_application(TEST_SETTINGS, services, OfflineRequest(log), OfflineRequest(log))
    typed = "\n".join(
        [
            "/mes enero",
            "/score",
            "toy story",
            "/director almodovar",
            "1",  # the ▶ button
            "/votos hamlet",
            "2",  # the second Hamlet
            "@matrix",
            "toy story",
            "4",  # the IMDb link button (after Similar, Votes, TMDB)
            "/quit",
            "/mes febrero",  # after /quit: never read
        ]
    )
    out = io.StringIO()
    await console.chat(app, log, io.StringIO(typed + "\n"), out, "es")
    screen = out.getvalue()
    assert "En enero se estrenaron 5.909 películas." in screen
    assert "¿Qué película?" in screen and "Toy Story (1995)" in screen
    assert "Página 1 de 3" in screen and "Página 2 de 3" in screen
    assert "[1] ▶" in screen and "[2] Hamlet (1990)" in screen
    assert "Hamlet (1990) tiene solo" in screen
    assert "· The Matrix (1999)" in screen
    assert "→ https://www.imdb.com/title/tt0114709/" in screen
    assert "<b>" not in screen  # HTML shown as readable text
    assert "febrero" not in screen


def test_plain_text_from_html() -> None:
    assert console.plain("<b>Amélie</b> &amp; <i>Nino</i>") == "Amélie & Nino"


# -- what a terminal can send: digits that are not ASCII, huge numbers, bytes that are not text --


def console_app(shipped_engine):
    """The console as bot.py builds it: default settings (flood limit, rate limits) and all."""
    return console.build(Settings(state_db=None), make_services(shipped_engine))


async def session(shipped_engine, typed: list[str]) -> tuple[str, ApiLog]:
    app, log = console_app(shipped_engine)
    out = io.StringIO()
    await console.chat(app, log, io.StringIO("\n".join(typed) + "\n"), out, "en")
    return out.getvalue(), log


def january(screen: str) -> int:
    return screen.count("5,909 films premiered in January.")


async def test_superscript_and_arabic_indic_digits_are_text_not_buttons(shipped_engine) -> None:
    # '²'.isdigit() is True but int('²') raises; int('٣') is 3 and chose the third button
    screen, log = await session(shipped_engine, ["/votes hamlet", "²", "٣", "/month january"])
    assert "[3] " in screen  # there was a third button to choose
    assert not log.sent("answerCallbackQuery")  # no button was pressed
    assert len(log.sent()) == 4  # each line answered, as text
    assert january(screen) == 1


async def test_a_line_of_5000_digits_is_answered(shipped_engine) -> None:
    screen, log = await session(shipped_engine, ["/votes hamlet", "9" * 5000, "/month january"])
    assert len(log.sent()) == 3 and january(screen) == 1


async def test_ascii_digits_still_choose_a_button(shipped_engine) -> None:
    screen, log = await session(shipped_engine, ["/votes hamlet", "2"])
    assert log.sent("answerCallbackQuery") and "Hamlet (1990) has only" in screen


async def test_bytes_that_are_not_utf8_become_replacement_characters(shipped_engine) -> None:
    app, log = console_app(shipped_engine)
    typed = b"/month january\n\xff\xfe titanic\n\xe9t\xe9\n/month january\n"  # été in Latin-1
    stdin = io.TextIOWrapper(io.BytesIO(typed), encoding="utf-8", errors="strict")
    out = io.StringIO()
    await console.chat(app, log, stdin, out, "en")
    screen = out.getvalue()
    assert january(screen) == 2 and len(log.sent()) == 4
    assert "Titanic (1997)" in screen and "\u201c\ufffdt\ufffd\u201d" in screen


class LineByLine(io.RawIOBase):
    """A raw stream that, like a terminal or a pipe, hands over one line per read."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.splitlines(keepends=True)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.lines:
            return 0
        line = self.lines.pop(0)
        buffer[: len(line)] = line
        return len(line)


async def test_a_stream_that_cannot_be_made_tolerant_reports_and_goes_on(shipped_engine) -> None:
    app, log = console_app(shipped_engine)
    data = b"/month january\n\xff\n/month january\n"
    stdin = io.TextIOWrapper(io.BufferedReader(LineByLine(b"/start\n" + data)), encoding="utf-8")
    assert stdin.readline() == "/start\n"  # already read from: its errors can no longer change
    out = io.StringIO()
    await console.chat(app, log, stdin, out, "en")
    screen = out.getvalue()
    assert "(!) input that is not utf-8 was skipped" in screen
    assert january(screen) == 2


async def test_what_the_terminal_cannot_show_is_replaced(shipped_engine) -> None:
    app, log = console_app(shipped_engine)
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")  # LANG=C on an old system, or a pipe
    await console.chat(app, log, io.StringIO("/mes enero\n"), out, "es")
    out.flush()
    assert "En enero se estrenaron 5.909 pel?culas." in raw.getvalue().decode("ascii")


# -- one trusted local user: no flood limit, no Telegram rate limits ----------------------------

QUESTIONS = ["/month january", "/day friday", "/score toy story", "heat", "/votes titanic 1997"]


async def test_a_pasted_script_of_600_questions_is_answered_completely(shipped_engine) -> None:
    typed = [QUESTIONS[i % len(QUESTIONS)] for i in range(600)]
    screen, log = await session(shipped_engine, typed)
    assert len(log.sent()) == 600  # was 20: the flood limit applied to the console
    assert january(screen) == 120 and "slow" not in screen.lower()


def test_the_console_turns_off_the_flood_limit_and_the_rate_limits() -> None:
    settings = console.console_settings(Settings(state_db=None))
    assert settings.flood_limit >= 10**9 and settings.overall_rate == settings.group_rate == 0
    assert settings.state_db is None  # everything else as given


# -- the real thing: bot.py in a minimal environment, bytes on stdin ------------------------------

ROOT = Path(__file__).parent.parent.parent


def bot_py(stdin: bytes, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bot.py"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MOVIEREC_STATE_DB": ":memory:", **env},
        input=stdin,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "io_encoding",
    [None, "utf-8", "ascii"],  # the locale's default, strict UTF-8, an ASCII-only terminal
)
def test_bot_py_console_survives_bytes_that_are_not_text(io_encoding) -> None:
    env = {"PYTHONIOENCODING": io_encoding} if io_encoding else {}
    done = bot_py(b"/month january\n\xff\xfe\n\xe9t\xe9\n/month january\n", **env)
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert stdout.count("5,909 films premiered in January.") == 2
    assert "Sorry" not in stdout  # no apology: nothing failed on the way out


def test_bot_py_console_answers_a_pasted_script_completely() -> None:
    typed = "".join(f"{QUESTIONS[i % len(QUESTIONS)]}\n" for i in range(600))
    done = bot_py(typed.encode())
    stdout = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert stdout.count("5,909 films premiered in January.") == 120
    assert "slow down" not in stdout.lower()


def test_ctrl_c_at_the_prompt_ends_the_session_at_once() -> None:
    # the line reader used the loop's executor, whose thread blocked on stdin kept asyncio.run()
    # waiting on the way out: Ctrl-C hung until Enter
    start = (
        "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "runpy.run_path('bot.py', run_name='__main__')"
    )
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MOVIEREC_STATE_DB": ":memory:"}
    proc = subprocess.Popen(
        [sys.executable, "-c", start],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"/month january\n")
        proc.stdin.flush()
        screen = b""
        deadline = time.monotonic() + 60
        while not screen.endswith(b"January.\n\n> ") and time.monotonic() < deadline:
            if select.select([proc.stdout], [], [], 0.5)[0]:
                screen += os.read(proc.stdout.fileno(), 65536)
        assert screen.endswith(b"\n> "), screen  # answered, waiting for the next line
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        returncode = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        _out, err = proc.communicate()
    assert returncode == 130
    assert b"Traceback" not in err


async def test_the_console_opens_the_state_store_and_remembers_the_language(
    shipped_engine, caplog
) -> None:
    # the store is opened in post_init, which run_polling() calls and `async with` does not
    screen, _log = await session(shipped_engine, ["/lang es", "/month january"])
    assert "En enero se estrenaron 5.909 películas." in screen
    assert "no he podido guardarlo" not in screen  # "…but I could not save it"
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_bot_py_console_remembers_the_language_without_warnings() -> None:
    done = bot_py(b"/lang es\n/month january\n")
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, stderr
    assert "En enero se estrenaron 5.909 películas." in stdout
    assert "WARNING" not in stderr and "no he podido guardarlo" not in stdout
