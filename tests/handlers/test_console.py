"""The console chat, driven through stdin/stdout like a person at a terminal."""

from __future__ import annotations

import io

from handlers.app import build_application
from handlers.console import chat as console
from handlers.console.offline import ApiLog, OfflineRequest
from tests.handlers.conftest import TEST_SETTINGS, make_services


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
            "3",  # the IMDb link button
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
