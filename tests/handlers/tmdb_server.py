"""A fake TMDB on loopback for tests and the console walk-through (standard library only).

Serves tests/fixtures/tmdb/ by path: ``/configuration``, ``/search/movie`` (by folded query,
see ``searches.json``; anything else has no results) and ``/movie/{id}`` (``movie_<id>.json``,
else TMDB's 404 body), with or without a leading ``/3``. Credentials are checked as TMDB does:
the ``api_key`` parameter or ``Authorization: Bearer``; wrong ones get the 401 body.

``mode`` changes every answer: ``"ok"``, ``"401"``, ``"429"`` (with ``Retry-After``),
``"500"``, ``"malformed"`` (broken JSON), ``"slow"`` (waits ``delay`` seconds first).

    python -m tests.handlers.tmdb_server KEY   # prints the port, serves until Ctrl-C
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tmdb"


class FakeTmdb:
    def __init__(self, api_key: str = "", token: str = "") -> None:
        self.api_key = api_key
        self.token = token
        self.mode = "ok"
        self.delay = 3.0
        self.retry_after = "2"
        self.requests: list[str] = []  # paths asked, without the query string
        self.extra: dict[str, bytes] = {}  # path → body, beside the fixtures (a test's own film)
        self.raw_requests: list[str] = []  # full request lines, to check what was sent
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeTmdb:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, query: dict[str, list[str]], auth: str) -> tuple[int, bytes]:
        if self.mode == "slow":
            time.sleep(self.delay)
        keyed = bool(self.api_key) and query.get("api_key") == [self.api_key]
        bearer = bool(self.token) and auth == f"Bearer {self.token}"
        if self.mode == "401" or not (keyed or bearer):
            return 401, _fixture("error_401.json")
        if self.mode == "429":
            return 429, _fixture("error_429.json")
        if self.mode == "500":
            return 500, b'{"status_code": 11, "status_message": "Internal error."}'
        if self.mode == "malformed":
            return 200, b'{"page": 1, "results": [{"id": 872585, "title": '
        path = path.removeprefix("/3")
        if path in self.extra:
            return 200, self.extra[path]
        if path == "/configuration":
            return 200, _fixture("configuration.json")
        if path == "/search/movie":
            wanted = " ".join(query.get("query", [""])[0].lower().split())
            name = json.loads(_fixture("searches.json")).get(wanted)
            if name is None:
                return 200, b'{"page": 1, "results": [], "total_pages": 0, "total_results": 0}'
            return 200, _fixture(name)
        if path.startswith("/movie/") and (FIXTURES / f"movie_{path[7:]}.json").is_file():
            return 200, _fixture(f"movie_{path[7:]}.json")
        return 404, _fixture("error_404.json")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                fake.requests.append(parts.path)
                fake.raw_requests.append(self.path)
                status, body = fake.answer(
                    parts.path, parse_qs(parts.query), self.headers.get("Authorization", "")
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                if status == 429:
                    self.send_header("Retry-After", fake.retry_after)
                self.end_headers()
                # the client may have given up (a timeout test)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet: the tests read ``requests``

        return Handler


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


if __name__ == "__main__":
    server = FakeTmdb(api_key=sys.argv[1] if len(sys.argv) > 1 else "test-key").start()
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
