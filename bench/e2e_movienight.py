"""``python -m bench.e2e_movienight``: a whole movie night over real HTTP, bot.py polling.

The local Bot API emulator (``../shared/tools/bot-api-emulator``, see ``bench.e2e_headofline``
for how it is installed) runs on a free loopback port; ``bot.py`` runs as a subprocess against
it with a SQLite state file. Three members of one group open a night, nominate (a reply to the
night's message, ``/propongo``, the 🍿 button under a card), the bot adds compromise picks and
sends a native poll (``sendPoll``, recorded by the emulator), the bot is **restarted** while the
poll is open, poll answers are injected (``POST /sendUpdate``), and ``/cerrar`` stops the poll
(``stopPoll``) and announces the winner; with ``--timer`` nobody closes it and the bot's
timer does when the one-minute vote ends. Prints a transcript of what the bot sent.

The emulator's ``sendPoll``/``stopPoll`` stubs predate Bot API 9.6: their polls lack the fields
python-telegram-bot 22.8 requires (``persistent_id`` per option, ``allows_revoting``,
``members_only``), so this script runs a copy of the launcher with those three fields added.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import e2e_headofline as e2e
from handlers.console.updates import callback_update, message_update, user_json

GROUP = -1_001_777
MEMBERS = {4_101: "Ana", 4_102: "Ben", 4_103: "Cy"}
ANA, BEN, CY = MEMBERS
TITLES = ("alien", "heat", "toy story")  # Ben replies, Cy commands, Ana presses 🍿
POLL_FIX = (
    ("(parseJ(b.options) || []).map((o) => ({", "(parseJ(b.options) || []).map((o, i) => ({"),
    ("voter_count: 0 }))", "voter_count: 0, persistent_id: String(i) }))"),
    (
        "allows_multiple_answers: !!parseJ(b.allows_multiple_answers) };",
        "allows_multiple_answers: !!parseJ(b.allows_multiple_answers),"
        " allows_revoting: true, members_only: false };",
    ),
)


def patched_emulator(folder: Path, into: Path) -> Path:
    """A copy of the installed emulator whose poll stubs carry Bot API 9.6+ fields."""
    into.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        if item.name == "node_modules":
            (into / item.name).symlink_to(item)
        elif item.is_file():
            shutil.copyfile(item, into / item.name)
    launcher = into / "start-emulator.js"
    source = launcher.read_text()
    for old, new in POLL_FIX:
        if old not in source:
            raise e2e.Unavailable(f"emulator launcher changed: {old!r} not found")
        source = source.replace(old, new)
    launcher.write_text(source)
    return into


@contextlib.contextmanager
def bot(base: str, db: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": e2e.TOKEN,
        "TELEGRAM_API_URL": base,
        "MOVIEREC_STATE_DB": str(db),
    }
    with log.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "bot.py"], cwd=e2e.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        e2e.stop(process, 5)


class Run:
    def __init__(self, base: str) -> None:
        self.base = base
        self.stubs: list[dict[str, Any]] = []
        self.transcript: list[str] = []

    def inject(self, update: dict[str, Any], what: str) -> None:
        self.transcript.append(f"→ {what}")
        e2e.inject(self.base, update)

    def say(self, user: int, text: str, reply_to: dict[str, Any] | None = None) -> None:
        update = message_update(
            text, user_id=user, chat_id=GROUP, chat_type="supergroup", reply_to=reply_to
        )
        update["message"]["from"]["first_name"] = MEMBERS[user]
        quoted = f" (reply to #{reply_to['message_id']})" if reply_to else ""
        self.inject(update, f"{MEMBERS[user]}: {text}{quoted}")

    def press(self, user: int, data: str, message: dict[str, Any], label: str) -> None:
        update = callback_update(data, message=message, user_id=user)
        update["callback_query"]["from"]["first_name"] = MEMBERS[user]
        self.inject(update, f"{MEMBERS[user]} presses {label}")

    def vote(self, user: int, poll_id: str, option: int, label: str) -> None:
        answer = {
            "poll_id": poll_id,
            "user": user_json(user, "es", MEMBERS[user]),
            "option_ids": [option],
            "option_persistent_ids": [str(option)],
        }
        self.inject({"update_id": 0, "poll_answer": answer}, f"{MEMBERS[user]} votes {label}")

    def collect(self) -> None:
        self.stubs.extend(e2e.post(self.base, "/getStubCalls", {}))

    def wait(self, want: str, stub: str | None = None, timeout: float = 20.0) -> list[Any]:
        """Bot messages to the group until one contains ``want``; with ``stub``, until a call
        of that method (sendPoll, sendPhoto…) contains it."""
        deadline = time.monotonic() + timeout
        got: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            for sent in e2e.answers(self.base, GROUP):
                got.append(sent)
                self.transcript.append("← " + describe(sent))
            before = len(self.stubs)
            self.collect()
            for call in self.stubs[before:]:
                if call["method"] == "sendPhoto":  # a card with a poster: a message too
                    got.append(photo_message(call))
                if call["method"] not in ("setMyCommands", "sendChatAction"):
                    self.transcript.append(f"← {call['method']}: " + stub_line(call))
            if stub is not None:
                calls = [c for c in self.stubs if c["method"] == stub]
                if any(want in json.dumps(c, ensure_ascii=False) for c in calls):
                    return calls
            elif any(want in json.dumps(m, ensure_ascii=False) for m in got):
                return got
            time.sleep(0.1)
        raise RuntimeError(f"no answer containing {want!r} in {timeout} s: {got}")

    def wait_edit(self, message_id: int, want: str, timeout: float = 20.0) -> None:
        """Until the bot's message ``message_id`` was edited to contain ``want``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            history = e2e.post(self.base, "/getUpdatesHistory", {"token": e2e.TOKEN})
            for sent in history:  # the bot's messages and the users' updates, in time order
                message = sent.get("message") or {}
                mine = str(message.get("chat_id")) == str(GROUP)
                if mine and sent.get("messageId") == message_id and want in message.get("text", ""):
                    self.transcript.append(f"← edited {describe(sent)}")
                    return
            time.sleep(0.1)
        raise RuntimeError(f"message {message_id} was not edited to contain {want!r}")

    def stub(self, method: str) -> dict[str, Any]:
        found = [s for s in self.stubs if s["method"] == method]
        if not found:
            raise RuntimeError(f"the bot made no {method} call")
        return found[-1]


def stub_line(call: dict[str, Any]) -> str:
    body = call.get("body") or {}
    if call["method"] == "sendPoll":
        options = body.get("options")
        options = json.loads(options) if isinstance(options, str) else options
        texts = [o if isinstance(o, str) else o.get("text") for o in options or []]
        return f"{body.get('question')} {texts} open_period={body.get('open_period')}"
    if call["method"] == "stopPoll":
        return f"message {body.get('message_id')}"
    if call["method"] == "sendPhoto":
        caption = str(body.get("caption", "")).replace("\n", " ⏎ ")
        return f"[{str(body.get('photo'))[:80]}] {caption}"
    return str(body)[:300]


def photo_message(call: dict[str, Any]) -> dict[str, Any]:
    """A recorded sendPhoto as the emulator records sent messages (caption as the text)."""
    body = call.get("body") or {}
    message = {"chat_id": body.get("chat_id"), "text": body.get("caption", "")}
    if body.get("reply_markup"):
        message["reply_markup"] = body["reply_markup"]
    return {"messageId": call["result"]["message_id"], "message": message}


def _markup(sent: dict[str, Any]) -> dict[str, Any]:
    markup = sent["message"].get("reply_markup") or {}
    return json.loads(markup) if isinstance(markup, str) else markup


def describe(sent: dict[str, Any]) -> str:
    """One line for a message the emulator recorded (``{messageId, message: <the request>}``)."""
    text = (sent["message"].get("text") or sent["message"].get("caption") or "").replace(
        "\n", " ⏎ "
    )
    buttons = [b["text"] for row in _markup(sent).get("inline_keyboard", []) for b in row]
    line = f"#{sent['messageId']}: {text[:400]}"
    return line + (f"  [{' | '.join(buttons)}]" if buttons else "")


def as_message(sent: dict[str, Any]) -> dict[str, Any]:
    """A bot message as Telegram puts it inside an update (a reply, a pressed button's)."""
    message: dict[str, Any] = {
        "message_id": int(sent["messageId"]),
        "date": int(time.time()),
        "chat": {"id": GROUP, "type": "supergroup", "title": "Cinéfilos"},
        "from": {"id": 666, "is_bot": True, "first_name": "TestNameBot"},
        "text": sent["message"].get("text", ""),
    }
    if _markup(sent):
        message["reply_markup"] = _markup(sent)
    return message


def button(sent: dict[str, Any], starts: str) -> str:
    for row in _markup(sent).get("inline_keyboard", []):
        for b in row:
            if b["text"].startswith(starts):
                return str(b["callback_data"])
    raise RuntimeError(f"no {starts!r} button on {describe(sent)}")


def flow(run: Run, base: str, db: Path, logs: Path, timer: bool = False) -> dict[str, Any]:
    with bot(base, db, logs / "bot.log"):
        run.say(ANA, "/noche")
        night = run.wait("Noche de peli", timeout=120)[-1]  # the bot loads the catalog first
        run.say(BEN, TITLES[0], reply_to=as_message(night))
        run.wait("Ben propone")
        run.say(CY, f"/propongo {TITLES[1]}")
        answer = run.wait("")[-1]  # nominated, or which film? (the buttons nominate)
        if "propone" not in describe(answer):
            choice = _markup(answer)["inline_keyboard"][0][0]
            run.press(CY, choice["callback_data"], as_message(answer), choice["text"])
            run.wait_edit(answer["messageId"], "Cy propone")  # the question becomes the answer
        run.say(ANA, f"/score {TITLES[2]}")
        score = run.wait("Ficha")[-1]
        run.press(ANA, button(score, "Ficha"), as_message(score), "Ficha (the card)")
        shown = run.wait("Proponer para la noche")
        card = next(m for m in shown if "Proponer" in json.dumps(m, ensure_ascii=False))
        run.press(ANA, button(card, "🍿"), as_message(card), "🍿 Proponer para la noche de peli")
        run.wait("Ana propone")
        run.say(ANA, "/votar 1" if timer else "/votar 5")
        run.wait("¿Qué vemos?", stub="sendPoll")
        sent = run.stub("sendPoll")
    run.transcript.append("… bot stopped (SIGTERM) and started again on the same state file")
    poll = sent["result"]["poll"]
    options = [o["text"] for o in poll["options"]]
    with bot(base, db, logs / "bot.log"):
        run.say(BEN, "/start")  # the restarted bot is up once it answers
        run.wait("Hola", timeout=120)
        run.vote(ANA, poll["id"], 1, options[1])
        run.vote(BEN, poll["id"], 1, options[1])
        run.vote(CY, poll["id"], 3, options[3])
        time.sleep(1.0)
        if timer:  # nobody closes it: the bot's timer does, a minute after the poll went out
            run.transcript.append("… nobody sends /cerrar; waiting for the 1-minute vote to end")
        else:
            run.say(ANA, "/cerrar")  # who opened the night may close it early
        wait = 90.0 if timer else 20.0
        run.wait("Ganadora", timeout=wait)  # a text card, or a poster's caption
        stopped = run.stub("stopPoll")
    return {"sendPoll": sent["body"], "options": options, "stopPoll": stopped["body"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    parser.add_argument("--timer", action="store_true", help="let the timer close the vote")
    parser.add_argument("--emulator", type=Path, default=e2e.EMULATOR, help="its source folder")
    args = parser.parse_args(argv)
    try:
        folder = e2e.emulator_folder(args.emulator)
    except e2e.Unavailable as error:
        print(f"Bot API emulator unavailable: {error}")
        return 2
    logs = Path(tempfile.mkdtemp(prefix="movierec-movienight-"))
    try:
        patched = patched_emulator(folder, logs / "emulator")
        with e2e.emulator(patched, logs) as base:
            run = Run(base)
            try:
                found = flow(run, base, logs / "state.sqlite3", logs, args.timer)
            finally:
                print("\n".join(run.transcript))
        print("\nsendPoll:", json.dumps(found["sendPoll"], ensure_ascii=False))
        print("stopPoll:", json.dumps(found["stopPoll"], ensure_ascii=False))
        return 0
    finally:
        if args.keep:
            print(f"logs: {logs}")
        else:
            shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
