"""Two bot processes behind one webhook each, sharing one PostgreSQL: real processes, loopback.

A setting written through one replica is read by the other; a replica killed with SIGKILL in
the middle of a stream loses nothing it had confirmed; the schema migrations ran once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from handlers import texts
from handlers.console.updates import message_update
from handlers.store.migrations import LATEST
from tests.conftest import SHIPPED_DATA
from tests.handlers.store.conftest import postgres_url, with_search_path

ROOT = Path(__file__).parent.parent
TOKEN = "123456:AAReplicaTestTokenReplicaTestToken12"
SECRET = "replica_secret"
LANG_SET = {lang: texts.raw(lang, "lang_set") for lang in texts.LANGUAGES}


@dataclass
class FakeBotApi:
    """Answers what the bot asks at start-up and records every message it sends."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts_for(self, chat_id: int) -> list[str]:
        with self.lock:
            return [text for chat, text in self.sent if chat == chat_id]


def serve(api: FakeBotApi) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            method = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            params = {k: v[0] for k, v in parse_qs(body).items()}
            if self.headers.get("Content-Type", "").startswith("application/json") and body:
                params = json.loads(body)
            result: object = True
            if method == "getMe":
                result = {"id": 7, "is_bot": True, "first_name": "m", "username": "movierec_bot"}
            elif method == "sendMessage":
                chat_id = int(params["chat_id"])
                with api.lock:
                    api.sent.append((chat_id, str(params.get("text", ""))))
                result = {
                    "message_id": len(api.sent),
                    "date": 0,
                    "chat": {"id": chat_id, "type": "private"},
                    "text": params.get("text", ""),
                }
            payload = json.dumps({"ok": True, "result": result}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Replica:
    process: subprocess.Popen[str]
    port: int

    def post(self, update: dict[str, object]) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/hook",
            data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200


def start_replica(api_url: str, database_url: str, log: Path) -> Replica:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_url,
        "WEBHOOK_URL": "https://bot.example.org/hook",
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
        "MOVIEREC_LISTEN": "127.0.0.1",
        "MOVIEREC_DATABASE_URL": database_url,
        "MOVIEREC_DATA": str(SHIPPED_DATA),
    }
    process = subprocess.Popen(
        [sys.executable, "bot.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-2000:]
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return Replica(process, port)
        time.sleep(0.1)
    raise AssertionError(f"replica did not listen: {log.read_text()[-2000:]}")


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def database_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    url = postgres_url()
    schema = f"replicas_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield with_search_path(url, schema)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_two_replicas_share_state_and_survive_a_sigkill(database_url: str, tmp_path) -> None:
    api = FakeBotApi()
    server = serve(api)
    api_url = f"http://127.0.0.1:{server.server_address[1]}"
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    # both start at once: migrations must still run once
    a, b = (
        start_replica(api_url, database_url, logs[0]),
        start_replica(api_url, database_url, logs[1]),
    )
    replicas = [a, b]
    try:
        # 1. a setting written through one replica is read through the other
        users = range(5001, 5041)
        for user in users:
            replicas[user % 2].post(message_update("/lang en", user_id=user, language="es"))
        assert wait_for(lambda: all(LANG_SET["en"] in api.texts_for(u) for u in users))
        for user in users:
            replicas[(user + 1) % 2].post(message_update("/help", user_id=user, language="es"))
        assert wait_for(lambda: all(len(api.texts_for(u)) == 2 for u in users))
        english_help = texts.say("en", "help", bot="movierec_bot")[:20]
        assert all(api.texts_for(u)[1].startswith(english_help) for u in users)

        # 2. SIGKILL in the middle of a stream: whatever a replica confirmed is kept
        streamed = range(6001, 6121)
        for n, user in enumerate(streamed):
            a.post(message_update("/lang es", user_id=user, language="en"))
            if n == len(streamed) // 2:
                a.process.send_signal(signal.SIGKILL)
                break
        a.process.wait(timeout=10)
        confirmed = [u for u in streamed if LANG_SET["es"] in api.texts_for(u)]
        assert confirmed, "the killed replica confirmed nothing before it died"
        for user in confirmed:
            b.post(message_update("/help", user_id=user, language="en"))
        assert wait_for(lambda: all(len(api.texts_for(u)) == 2 for u in confirmed))
        spanish_help = texts.say("es", "help", bot="movierec_bot")[:20]
        for user in confirmed:
            assert api.texts_for(user)[1].startswith(spanish_help), user
    finally:
        for replica in replicas:
            if replica.process.poll() is None:
                replica.process.terminate()
                replica.process.wait(timeout=20)
        server.shutdown()
    # 3. the migrations ran once between the two of them
    applied = sum(log.read_text().count("applied migration") for log in logs)
    assert applied == LATEST, [log.read_text()[-1500:] for log in logs]
    for log in logs:
        assert TOKEN.partition(":")[2] not in log.read_text()
