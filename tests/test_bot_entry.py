"""bot.py: settings problems are one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def run(env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bot.py"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "MOVIEREC_STATE_DB": ":memory:", **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_settings() -> None:
    done = run({"TELEGRAM_BOT_TOKEN": "not-a-token"})
    assert done.returncode == 2
    assert done.stderr.strip().startswith("movierec: TELEGRAM_BOT_TOKEN")
    assert "Traceback" not in done.stderr


def test_missing_catalog(tmp_path) -> None:
    done = run({"MOVIEREC_DATA": str(tmp_path)})
    assert done.returncode == 2 and "run `make data`" in done.stderr


def test_console_chat_without_a_token() -> None:
    done = run({"LANG": "es_ES.UTF-8"}, stdin="/mes enero\n")
    assert done.returncode == 0, done.stderr
    assert "En enero se estrenaron " in done.stdout and " películas." in done.stdout
    assert "loaded in" in done.stderr  # start-up says how long loading took


TOKEN = "987654:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "webhook_secret_value_42"


class Rejecting(BaseHTTPRequestHandler):
    """A Bot API that rejects the token, as Telegram does for a revoked one."""

    def do_POST(self) -> None:
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def rejecting_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Rejecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_a_rejected_token_is_one_line_without_the_token(rejecting_api: str, level: str) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": rejecting_api,
        "WEBHOOK_SECRET": SECRET,
        "MOVIEREC_LOG_LEVEL": level,
    }
    done = run(env)
    assert done.returncode == 2, done.stderr[-2000:]
    output = done.stdout + done.stderr
    secret_half = TOKEN.partition(":")[2]
    assert secret_half not in output and SECRET not in output  # at every log level
    assert "Traceback" not in output
    lines = [line for line in done.stderr.splitlines() if line.startswith("movierec:")]
    assert len(lines) == 1 and "could not start" in lines[0]
    if level == "DEBUG":
        assert "[redacted]" in output  # PTB did try to log it, and it was caught
