"""Bot API faults, floods, restarts and the webhook secret: the bot keeps serving."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from handlers import texts
from handlers.app import build_application
from handlers.console.offline import ApiLog, OfflineRequest
from handlers.console.updates import callback_update, message_update
from handlers.flood import FloodGuard
from tests.handlers.conftest import TEST_SETTINGS, make_services

# these sessions ask about films of the shipped catalog (Toy Story, Almodóvar, Heat)
pytestmark = pytest.mark.shipped

ROOT = Path(__file__).resolve().parents[2]
TOO_MANY = (
    429,
    {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    },
)
BAD_GATEWAY = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})


def scripted(faults: list) -> callable:
    """Fail the next Bot API calls that send or edit, in order, then answer normally."""

    def fault(method, params):
        # sendPhoto: /mes answers with its chart, the text as caption
        if method in ("sendMessage", "editMessageText", "sendPhoto") and faults:
            return faults.pop(0)
        return None

    return fault


async def test_429_replies_are_delivered_after_the_wait(make_bot) -> None:
    bot = await make_bot(dataclasses.replace(TEST_SETTINGS, rate_retries=3))
    request = bot.app.bot.request
    request.fault = scripted([TOO_MANY, TOO_MANY])
    started = time.monotonic()
    calls = await bot.sent(message_update("/mes enero", language="en"))
    assert time.monotonic() - started >= 2  # waited retry_after twice
    assert [c.text for c in calls] == ["<b>5,909</b> films premiered in <b>January</b>."]


async def test_a_burst_of_faults_then_later_updates_are_served(make_bot, caplog) -> None:
    bot = await make_bot()
    request = bot.app.bot.request
    burst = [BAD_GATEWAY, TimedOut(), NetworkError("connection dropped"), BAD_GATEWAY]
    request.fault = scripted(burst)
    failing = [message_update(f"/mes {m}", language="en") for m in ("enero", "febrero")]
    with caplog.at_level(logging.WARNING):
        for update in failing:  # each: the answer fails, then the apology fails too
            await bot.feed(update)
    assert burst == []
    errors = [
        r for r in caplog.records if r.name == "movierec.errors" and r.levelno == logging.ERROR
    ]
    assert [r.getMessage().split(":")[0] for r in errors] == [
        f"update {u['update_id']} failed" for u in failing
    ]  # logged once each
    assert "TEST-token" not in caplog.text and TEST_SETTINGS.token not in caplog.text
    later = await bot.sent(message_update("/mes marzo", language="en"))
    assert [c.text for c in later] == ["<b>3,549</b> films premiered in <b>March</b>."]


async def test_a_failed_page_edit_leaves_a_consistent_state(make_bot) -> None:
    bot = await make_bot()
    first = (await bot.sent(message_update("/director hitchcock", language="en")))[0]
    forward = first.buttons[-1]["callback_data"]
    message = first.result
    bot.app.bot.request.fault = scripted([BAD_GATEWAY])
    await bot.feed(callback_update(forward, message=message, language="en"))
    retried = await bot.sent(callback_update(forward, message=message, language="en"))
    assert len(retried) == 1 and "Page 2 of" in retried[0].text  # not page 3: nothing moved


async def test_one_user_flooding_does_not_slow_down_another(make_bot) -> None:
    settings = dataclasses.replace(TEST_SETTINGS, flood_limit=5, flood_window=1, flood_cooldown=30)
    bot = await make_bot(settings)
    guard = next(h.callback for h in bot.app.handlers[-1] if isinstance(h.callback, FloodGuard))
    now = [1000.0]
    guard.clock = lambda: now[0]
    flooder, calm = 111, 222
    sent_to = {flooder: [], calm: []}
    for i in range(200):  # 200 commands in one second
        now[0] += 0.005
        for c in await bot.sent(message_update("/mes enero", user_id=flooder, language="en")):
            sent_to[flooder].append(c.text)
        if i % 50 == 0:
            for c in await bot.sent(message_update("/dia lunes", user_id=calm, language="en")):
                sent_to[calm].append(c.text)
    slow_down = texts.count("en", "slow_down", 30)
    assert "30 seconds" in slow_down  # says how long, as long as the cool-down is
    assert sent_to[flooder].count(slow_down) == 1
    assert len(sent_to[flooder]) == 5 + 1  # served up to the limit, then told once
    assert len(sent_to[calm]) == 4 and slow_down not in sent_to[calm]
    now[0] += 31  # after the cool-down
    again = await bot.sent(message_update("/mes enero", user_id=flooder, language="en"))
    january = texts.number("en", bot.services.engine.month("enero").count)
    assert [c.text for c in again] == [f"<b>{january}</b> films premiered in <b>January</b>."]


def _console(db: Path, env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "es_ES.UTF-8",
        "MOVIEREC_STATE_DB": str(db),
        **(env_extra or {}),
    }
    return subprocess.Popen(
        [sys.executable, "bot.py"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(process: subprocess.Popen, needle: str, timeout: float = 60) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        assert time.monotonic() < deadline, f"never saw {needle!r}; got {seen[-500:]!r}"
        # raw reads: a line already in a buffered stream's buffer would never wake select()
        fd = process.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 65536)
            assert chunk, f"the bot exited; got {seen[-500:]!r}"
            seen += chunk.decode("utf-8", "replace")
    return seen


def test_lang_survives_a_sigkill(tmp_path) -> None:
    db = tmp_path / "state" / "prefs.sqlite3"
    first = _console(db)
    try:
        _read_until(first, "console chat")
        first.stdin.write("/lang en\n")
        first.stdin.flush()
        _read_until(first, "OK, I'll speak English.")
        os.kill(first.pid, signal.SIGKILL)  # no shutdown, no flush, no goodbye
        first.wait(timeout=10)
    finally:
        first.kill()
    second = _console(db)
    out, _ = second.communicate("/mes enero\n", timeout=120)
    assert "films premiered in January." in out  # English, though LANG is Spanish


def test_a_corrupt_database_starts_with_defaults(tmp_path) -> None:
    db = tmp_path / "prefs.sqlite3"
    db.write_bytes(b"garbage, not sqlite " * 200)
    process = _console(db)
    out, err = process.communicate("/mes enero\n", timeout=120)
    assert process.returncode == 0
    assert "En enero se estrenaron" in out
    assert "serving with defaults" in err and "prefs.sqlite3" in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_refuses_requests_without_the_secret(shipped_engine):
    log = ApiLog()
    services = make_services(shipped_engine)
    app = build_application(TEST_SETTINGS, services, OfflineRequest(log), OfflineRequest(log))
    port = _free_port()
    update = message_update("/mes enero", language="en")
    async with app:
        await app.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="hook", secret_token="s3cret"
        )
        await app.start()
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                url = f"http://127.0.0.1:{port}/hook"
                missing = await client.post(url, json=update)
                wrong = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
                )
                assert (missing.status_code, wrong.status_code) == (403, 403)
                await asyncio.sleep(0.3)
                assert not log.sent()  # refused requests were never processed
                right = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
                )
                assert right.status_code == 200
                for _ in range(50):
                    if log.sent():
                        break
                    await asyncio.sleep(0.05)
            assert [c.text for c in log.sent()] == [
                "<b>5,909</b> films premiered in <b>January</b>."
            ]
        finally:
            await app.updater.stop()
            await app.stop()
