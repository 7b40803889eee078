"""``python -m bench.e2e_headofline``: the head-of-line check over real HTTP, bot.py polling.

The local Bot API emulator (``../shared/tools/bot-api-emulator``: telegram-test-api with the
patches PTB needs) runs on a free loopback port; ``bot.py`` runs as a subprocess against it
(``TELEGRAM_API_URL``, a fake token of the right shape, long polling). Once a probe /start is
answered, 30 commands from 30 members of one group are injected (``POST /sendUpdate``), then a
private /start; the figure is how long that private /start waited for its answer, from the
emulator's own timestamps. The bot's real ``AIORateLimiter`` holds the group to 20 messages a
minute, so with sequential processing the private answer waits for the whole group (~29 s).

``--mode`` picks the bot (repeat it to compare):

* ``shipped``: ``bot.py`` exactly as it is (default);
* ``processor``: ``bot.py`` with ``handlers.processor`` put in by wrapping
  ``ApplicationBuilder.build`` (to measure before ``handlers.app`` wires it);
* ``sequential``: ``bot.py`` with PTB's one-at-a-time processing forced (the reference).

The emulator's npm dependency is installed once into a cache folder under the system temp
directory (a copy of the emulator; ``../shared`` stays read-only). Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handlers.console.updates import message_update

ROOT = Path(__file__).resolve().parent.parent
EMULATOR = ROOT.parent / "shared" / "tools" / "bot-api-emulator"
PACKAGE = "telegram-test-api@4.2.1"
TOKEN = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
HOST = "127.0.0.1"
GROUP_CHAT = -1_001_234
GROUP_COMMANDS = 30
PRIVATE_USER = 4_242
PROBE_USER = 4_343
TARGET_SECONDS = 1.0
MODES = ("shipped", "processor", "sequential")


class Unavailable(RuntimeError):
    """node, npm, the emulator or its npm dependency cannot be had: nothing to measure with."""


def emulator_folder(source: Path = EMULATOR) -> Path:
    """A copy of the emulator with its npm dependency installed (once, then cached)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise Unavailable("node and npm are needed for the Bot API emulator")
    launcher = source / "start-emulator.js"
    if not launcher.is_file():
        raise Unavailable(f"no Bot API emulator at {source}")
    digest = hashlib.sha256(launcher.read_bytes() + PACKAGE.encode()).hexdigest()[:12]
    cached = Path(tempfile.gettempdir()) / f"movierec-bot-api-emulator-{digest}"
    if (cached / "node_modules" / "telegram-test-api").is_dir():
        return cached
    staging = Path(tempfile.mkdtemp(prefix="movierec-emulator-"))
    try:
        for item in source.iterdir():
            if item.is_file():
                shutil.copyfile(item, staging / item.name)
        try:
            done = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", PACKAGE],
                cwd=staging,
                capture_output=True,
                text=True,
                timeout=180,
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(f"npm install {PACKAGE} took over 180 s") from None
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise Unavailable(f"npm install {PACKAGE} failed: {last}")
        with contextlib.suppress(OSError):  # another run may have won the race: use its copy
            staging.rename(cached)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return cached


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def post(base: str, path: str, payload: dict[str, Any], timeout: float = 5.0) -> Any:
    request = urllib.request.Request(
        f"{base}{path}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # loopback only
        body = json.load(response)
    if not body.get("ok"):
        raise RuntimeError(f"{path}: {body}")
    return body.get("result")


def stop(process: subprocess.Popen, grace: float) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextlib.contextmanager
def emulator(folder: Path, logs: Path) -> Iterator[str]:
    port = free_port()
    with (logs / "emulator.log").open("w") as out:
        process = subprocess.Popen(
            ["node", "start-emulator.js"],
            cwd=folder,
            env={**os.environ, "TTA_PORT": str(port), "TTA_FIX": "all"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                post(base, "/getUpdatesHistory", {"token": TOKEN}, timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (logs / "emulator.log").read_text()[-500:]
                    raise Unavailable(f"the Bot API emulator did not start: {log}") from None
                time.sleep(0.05)
        yield base
    finally:
        stop(process, 5)


def bot_command(mode: str, concurrency: int | None) -> list[str]:
    if mode == "shipped":
        return [sys.executable, "bot.py"]
    forced = "sequential" if mode == "sequential" else str(concurrency or 0)
    return [sys.executable, "-m", "bench.e2e_headofline", "--serve", forced]


@contextlib.contextmanager
def bot(
    base: str, mode: str, logs: Path, concurrency: int | None = None
) -> Iterator[subprocess.Popen]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": base,
        "MOVIEREC_STATE_DB": ":memory:",
    }
    if concurrency is not None:
        env["MOVIEREC_CONCURRENCY"] = str(concurrency)
    with (logs / f"bot-{mode}.log").open("w") as out:
        process = subprocess.Popen(
            bot_command(mode, concurrency), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        # a sequential bot would finish the throttled group's queue first (~30 s): no need
        stop(process, 3)


def inject(base: str, update: dict) -> None:
    post(base, "/sendUpdate", {"botToken": TOKEN, "update": update})


def answers(base: str, chat_id: int) -> list[dict]:
    """The bot's messages to a chat not fetched before, each with the emulator's ``time`` (ms)."""
    return post(base, "/getUpdates", {"token": TOKEN, "chatId": chat_id})


def wait_answer(base: str, chat_id: int, timeout: float, process: subprocess.Popen) -> dict | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = answers(base, chat_id)
        if got:
            return got[0]
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with code {process.returncode}")
        time.sleep(0.01)
    return None


@dataclass
class Result:
    mode: str
    private_seconds: float | None  # None: not answered within the wait
    group_answers: int
    group_last_seconds: float | None


def measure(
    base: str,
    mode: str,
    logs: Path,
    wait: float = 45.0,
    wait_for_group: bool = False,
    concurrency: int | None = None,
) -> Result:
    with bot(base, mode, logs, concurrency) as process:
        # the bot is up and polling once it answers a probe (it loads the catalog first)
        probe = message_update("/start", user_id=PROBE_USER)
        inject(base, probe)
        if wait_answer(base, PROBE_USER, 60, process) is None:
            log = (logs / f"bot-{mode}.log").read_text()[-800:]
            raise RuntimeError(f"the bot never answered the probe /start:\n{log}")
        answers(base, GROUP_CHAT)  # nothing stale
        started = time.time()
        for i in range(GROUP_COMMANDS):
            inject(
                base,
                message_update(
                    "/mes enero", user_id=30_000 + i, chat_id=GROUP_CHAT, chat_type="group"
                ),
            )
        sent = time.time()
        inject(base, message_update("/start", user_id=PRIVATE_USER))
        reply = wait_answer(base, PRIVATE_USER, wait, process)
        private = None if reply is None else max(0.0, reply["time"] / 1000 - sent)
        group = answers(base, GROUP_CHAT)
        if reply is not None and wait_for_group:
            deadline = time.monotonic() + 60
            while len(group) < GROUP_COMMANDS and time.monotonic() < deadline:
                time.sleep(0.2)
                group += answers(base, GROUP_CHAT)
        last = max((g["time"] for g in group), default=None)
        return Result(
            mode,
            private,
            len(group),
            None if last is None or len(group) < GROUP_COMMANDS else last / 1000 - started,
        )


def run(
    modes: list[str],
    wait: float,
    wait_for_group: bool,
    concurrency: int | None,
    emulator_source: Path = EMULATOR,
) -> list[Result]:
    folder = emulator_folder(emulator_source)
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="movierec-e2e-") as tmp,
        emulator(folder, Path(tmp)) as base,
    ):
        for mode in modes:
            results.append(measure(base, mode, Path(tmp), wait, wait_for_group, concurrency))
    return results


def serve(forced: str) -> int:
    """Run bot.py's main() with the processing ``forced`` ("sequential" or a concurrency)."""
    sys.path.insert(0, str(ROOT))
    import bot as entry  # bot.py
    from bench.headofline import processing

    mode = "sequential" if forced == "sequential" else int(forced) or None
    if mode is None:  # no concurrency given: the settings' (or the processor's) default
        from handlers.processor import DEFAULT_CONCURRENCY

        mode = int(os.environ.get("MOVIEREC_CONCURRENCY") or DEFAULT_CONCURRENCY)
    with processing(mode):
        return entry.main()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e_headofline", description=__doc__)
    parser.add_argument("--mode", action="append", choices=MODES)
    parser.add_argument("--wait", type=float, default=45.0, help="longest wait for the answer")
    parser.add_argument("--no-group", action="store_true", help="don't wait for the group")
    parser.add_argument("--concurrency", type=int, help="MOVIEREC_CONCURRENCY for the bot")
    parser.add_argument("--emulator", type=Path, default=EMULATOR)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve)
    try:
        results = run(
            args.mode or ["shipped"],
            args.wait,
            not args.no_group,
            args.concurrency,
            args.emulator,
        )
    except Unavailable as error:
        print(f"e2e head-of-line: not run: {error}", file=sys.stderr)
        return 2
    print(
        "| bot | private /start answered (30 group commands queued) | group's last answer "
        "| target | met |"
    )
    print("|---|---|---|---|---|")
    for r in results:
        private = (
            f"> {args.wait:.0f} s" if r.private_seconds is None else f"{r.private_seconds:.3f} s"
        )
        group = (
            f"{r.group_last_seconds:.1f} s ({r.group_answers}/{GROUP_COMMANDS})"
            if r.group_last_seconds is not None
            else f"— ({r.group_answers}/{GROUP_COMMANDS} by then)"
        )
        met = r.private_seconds is not None and r.private_seconds < TARGET_SECONDS
        print(
            f"| {r.mode} | {private} | {group} | < {TARGET_SECONDS:.0f} s "
            f"| {'yes' if met else 'no'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
