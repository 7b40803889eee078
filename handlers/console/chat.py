"""The console chat: the same Application and handlers, fed from a terminal.

Messages you type become real Telegram updates; what the bot sends is printed as text, its
buttons as numbers you can type. ``@title`` tries inline mode. Ctrl-D or /quit ends.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application

from handlers.console.offline import ApiCall, ApiLog
from handlers.console.updates import callback_update, inline_update, message_update

TAGS = re.compile(r"<[^>]+>")  # applied to the bot's own HTML, never to user input
USER_ID = 4242


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

    def show(self, call: ApiCall, result: dict[str, Any]) -> None:
        if call.method in ("sendMessage", "editMessageText"):
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
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            self.write(f"\n(!) {call.params['text']}")
        elif call.method == "answerInlineQuery":
            for item in call.params.get("results", []):
                self.write(f"  · {item.get('title')} — {item.get('description', '')}")

    def update_for(self, line: str) -> dict[str, Any] | None:
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            button = self.buttons[int(line) - 1]
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


async def chat(application: Application, log: ApiLog, lines: TextIO, out: TextIO, lang: str):
    console = ConsoleChat(application, log, out, lang)
    async with application:
        console.write("movierec — console chat. Try /help, a title, or @title. Ctrl-D quits.")
        loop = asyncio.get_running_loop()
        while True:
            out.write("\n> ")
            out.flush()
            line = await loop.run_in_executor(None, lines.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                break
            if line.strip():
                await console.say(line)
    console.write("")


def run(application: Application, log: ApiLog, language: str) -> int:
    asyncio.run(chat(application, log, sys.stdin, sys.stdout, language))
    return 0
