"""The console chat: the same Application and handlers, fed from a terminal.

Messages you type become real Telegram updates; what the bot sends is printed as text, its
buttons as numbers you can type. ``@title`` tries inline mode. Ctrl-D or /quit ends.

The console is one trusted local user with no Telegram behind it, so :func:`build` turns off
what protects Telegram and the bot from strangers: the per-user flood limit (a pasted script
of thousands of lines is answered line by line) and the Bot API rate limits (nothing to pace).
Whatever arrives on stdin is text: bytes the terminal's encoding cannot decode become U+FFFD.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import io
import re
import sys
import tempfile
import threading
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application

from handlers.app import build_application
from handlers.console.offline import ApiCall, ApiLog, OfflineRequest
from handlers.console.updates import callback_update, inline_update, message_update
from handlers.services import Services
from handlers.settings import Settings

TAGS = re.compile(r"<[^>]+>")  # applied to the bot's own HTML, never to user input
# A button is chosen by its number: ASCII digits only ('²' and '٣' are digits to str.isdigit,
# not to int), and few of them (int() refuses more than 4,300)
BUTTON_NUMBER = re.compile(r"[0-9]{1,3}")
USER_ID = 4242
PHOTO_METHODS = ("sendPhoto", "editMessageMedia", "editMessageCaption")


def console_settings(settings: Settings) -> Settings:
    """``settings`` for the console: no flood limit, no Bot API rate limits."""
    return dataclasses.replace(settings, flood_limit=sys.maxsize, overall_rate=0, group_rate=0)


def build(settings: Settings, services: Services) -> tuple[Application, ApiLog]:
    """The Application of a console chat, and the log of what it sends."""
    log = ApiLog()
    application = build_application(
        console_settings(settings), services, OfflineRequest(log), OfflineRequest(log)
    )
    return application, log


def tolerant(stream: TextIO) -> TextIO:
    """Make a text stream replace what it cannot decode or encode instead of raising."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors != "replace":
        # refused once something has been read: chat() then reports such lines instead
        with contextlib.suppress(io.UnsupportedOperation, ValueError):
            stream.reconfigure(errors="replace")
    return stream


def plain(text: str) -> str:
    return html.unescape(TAGS.sub("", text))


class ConsoleChat:
    def __init__(self, application: Application, log: ApiLog, out: TextIO, language: str):
        self.application = application
        self.out = out
        self.language = language
        self.buttons: list[dict[str, Any]] = []
        self.last_message: dict[str, Any] | None = None
        self.prompt: dict[str, Any] | None = None
        log.listeners.append(self.show)

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def picture(self, call: ApiCall) -> str:
        """Where a photo can be seen: its URL, or a temporary PNG holding uploaded bytes."""
        if call.files:
            data = next(iter(call.files.values()))
            with tempfile.NamedTemporaryFile(prefix="movierec-", suffix=".png", delete=False) as f:
                f.write(data)
            return f.name
        return call.photo or ""

    def attachment(self, call: ApiCall) -> str:
        """A sent document, saved to a temporary file under its own name's extension."""
        data = next(iter(call.files.values()))
        with tempfile.NamedTemporaryFile(prefix="movierec-", suffix=".json", delete=False) as f:
            f.write(data)
        return f.name

    def show(self, call: ApiCall, result: dict[str, Any]) -> None:
        if call.method in PHOTO_METHODS and call.method != "editMessageCaption":
            self.write("")
            self.write(f"🖼 {self.picture(call)}")
        if call.method in ("sendMessage", "editMessageText", *PHOTO_METHODS):
            if call.method not in PHOTO_METHODS:
                self.write("")
            self.write(plain(call.text))
            markup = call.params.get("reply_markup") or {}
            if isinstance(markup, dict) and markup.get("force_reply"):
                self.prompt = result
            self.buttons = call.buttons
            for number, button in enumerate(self.buttons, start=1):
                target = f"  ({button['url']})" if button.get("url") else ""
                self.write(f"  [{number}] {button['text']}{target}")
            self.last_message = result or self.last_message
        elif call.method == "sendDocument" and call.files:
            self.write("")
            self.write(f"📎 {self.attachment(call)}")
            self.write(plain(call.text))
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            self.write(f"\n(!) {call.params['text']}")
        elif call.method == "answerInlineQuery":
            for item in call.params.get("results", []):
                self.write(f"  · {item.get('title')} — {item.get('description', '')}")

    def update_for(self, line: str) -> dict[str, Any] | None:
        number = int(line) if BUTTON_NUMBER.fullmatch(line) else 0
        if 1 <= number <= len(self.buttons):
            button = self.buttons[number - 1]
            if button.get("url"):
                self.write(f"  → {button['url']}")
                return None
            return callback_update(
                button["callback_data"],
                message=self.last_message,
                user_id=USER_ID,
                language=self.language,
            )
        if line.startswith("@"):
            return inline_update(line[1:].strip(), user_id=USER_ID, language=self.language)
        reply_to, self.prompt = (self.prompt, None) if not line.startswith("/") else (None, None)
        return message_update(line, user_id=USER_ID, language=self.language, reply_to=reply_to)

    async def say(self, line: str) -> None:
        update = self.update_for(line.strip())
        if update is not None:
            await self.application.process_update(Update.de_json(update, self.application.bot))


async def read_line(lines: TextIO) -> str:
    """The next line, read in a daemon thread so the event loop goes on meanwhile.

    Not the loop's default executor: a thread blocked on a terminal cannot be stopped, and
    asyncio.run() waits for the executor's threads on the way out, so Ctrl-C at the prompt
    would hang until Enter. A daemon thread is left behind instead.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str] = loop.create_future()

    def deliver(line: str | None, error: BaseException | None) -> None:
        if done.done():  # cancelled meanwhile (Ctrl-C)
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(line or "")

    def read() -> None:
        try:
            line = lines.readline()
        except Exception as error:  # handed to the awaiting coroutine
            loop.call_soon_threadsafe(deliver, None, error)
        else:
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                loop.call_soon_threadsafe(deliver, line, None)

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return await done


async def chat(application: Application, log: ApiLog, lines: TextIO, out: TextIO, lang: str):
    lines, out = tolerant(lines), tolerant(out)
    console = ConsoleChat(application, log, out, lang)
    # the life cycle run_polling() gives a bot: initialize, post_init (opens the state
    # store), serve, shutdown, post_shutdown (closes it)
    initialized = False
    try:
        async with application:
            if application.post_init is not None:
                initialized = True
                await application.post_init(application)
            console.write("movierec — console chat. Try /help, a title, or @title. Ctrl-D quits.")
            while True:
                out.write("\n> ")
                out.flush()
                try:
                    line = await read_line(lines)
                except UnicodeDecodeError as error:  # a stream tolerant() could not change
                    console.write(f"(!) input that is not {error.encoding} was skipped")
                    continue
                if not line or line.strip() in ("/quit", "/exit"):
                    break
                if line.strip():
                    await console.say(line)
    finally:
        if initialized and application.post_shutdown is not None:
            await application.post_shutdown(application)
    console.write("")


def run(application: Application, log: ApiLog, language: str) -> int:
    try:
        asyncio.run(chat(application, log, sys.stdin, sys.stdout, language))
    except KeyboardInterrupt:  # Ctrl-C: the session ends as with Ctrl-D, minus the traceback
        sys.stdout.write("\n")
        return 130
    return 0
