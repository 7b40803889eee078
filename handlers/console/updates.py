"""Update JSON as Telegram sends it: messages, button presses, inline queries.

For the console chat, the tests and the benchmarks.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from handlers.console.offline import BOT_ID

__all__ = ["callback_update", "chat_json", "inline_update", "message_update", "user_json"]

# What Telegram marks as a bot_command entity at the start of a message
COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{1,64})?")

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def user_json(user_id: int = 1001, language: str | None = "es", name: str = "Ana") -> dict:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": name}
    if language:
        user["language_code"] = language
    return user


def chat_json(chat_id: int, chat_type: str) -> dict:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "Ana"
    else:
        chat["title"] = "Cinéfilos"
    return chat


def message_update(
    text: str,
    *,
    user_id: int = 1001,
    chat_id: int | None = None,
    chat_type: str = "private",
    language: str | None = "es",
    reply_to: dict | None = None,
    edited: bool = False,
) -> dict:
    chat_id = chat_id if chat_id is not None else user_id
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat_json(chat_id, chat_type),
        "from": user_json(user_id, language),
        "text": text,
    }
    command = COMMAND.match(text)
    if command is not None:
        length = len(command.group(0).encode("utf-16-le")) // 2
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return {"update_id": next(_update_ids), ("edited_message" if edited else "message"): message}


def callback_update(
    data: str,
    *,
    message: dict | None = None,
    user_id: int = 1001,
    language: str | None = "es",
    chat_type: str = "private",
) -> dict:
    message = message or {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat_json(user_id, chat_type),
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "movierec"},
        "text": "…",
    }
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": user_json(user_id, language),
            "chat_instance": "ci-1",
            "message": message,
            "data": data,
        },
    }


def inline_update(
    query: str, *, user_id: int = 1001, language: str | None = "es", offset: str = ""
) -> dict:
    return {
        "update_id": next(_update_ids),
        "inline_query": {
            "id": str(next(_update_ids)),
            "from": user_json(user_id, language),
            "query": query,
            "offset": offset,
        },
    }
