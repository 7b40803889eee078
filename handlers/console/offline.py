"""A Bot API that lives in the process: records every call and answers as Telegram would.

Used by the tests (assert on what the bot sent), by the console chat (print what it sent) and
by the benchmarks (updates per second without a network). Requests are encoded as the real HTTP
client encodes them, so what it cannot send (a lone surrogate) fails here too.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from telegram.request import BaseRequest, RequestData

BOT_ID = 7_000_000_001
Fault = tuple[int, dict[str, Any]] | BaseException | None
BOT_USERNAME = "movierec_bot"
# Methods that answer with the Message they sent or changed
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "sendPhoto",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
        "sendDocument",
    }
)


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    result: Any = None  # what the Bot API answered (a sent message, True, …)
    files: dict[str, bytes] = field(default_factory=dict)  # uploads (a chart), by field name

    @property
    def text(self) -> str:
        """The message text, or a photo's caption."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def photo(self) -> str | None:
        """What a sendPhoto/editMessageMedia sent: a URL or file_id, or "attach://…" for bytes."""
        if self.method == "sendPhoto":
            return "attach://photo" if "photo" in self.files else str(self.params.get("photo"))
        if self.method == "editMessageMedia":
            media = self.params.get("media") or {}
            media = json.loads(media) if isinstance(media, str) else media
            return str(media.get("media"))
        return None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [b for row in markup.get("inline_keyboard", []) for b in row]


TEXT_METHODS = ("sendMessage", "editMessageText")
ADMIN_RIGHTS = (
    "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
    "can_manage_video_chats", "can_restrict_members", "can_promote_members",
    "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
    "can_delete_stories",
)  # fmt: skip
CAPTIONED_METHODS = ("sendPhoto", "editMessageCaption", "editMessageMedia")


@dataclass
class ApiLog:
    """Calls shared by the request objects of one Application."""

    calls: list[ApiCall] = field(default_factory=list)
    # documents users "sent": file_id → bytes, served by getFile and the file download URL
    files: dict[str, bytes] = field(default_factory=dict)
    listeners: list[Callable[[ApiCall, dict[str, Any]], None]] = field(default_factory=list)
    # users getChatMember calls administrators (of every group); everyone else is a member
    admins: set[int] = field(default_factory=set)

    def sent(self, *methods: str) -> list[ApiCall]:
        """Calls of ``methods``; by default the answers' texts: messages, their edits, and
        photos whose caption is the answer (a chart above a short text)."""
        if methods:
            return [c for c in self.calls if c.method in set(methods)]
        return [
            c
            for c in self.calls
            if c.method in TEXT_METHODS or (c.method in CAPTIONED_METHODS and c.text)
        ]

    def clear(self) -> None:
        self.calls.clear()


class OfflineRequest(BaseRequest):
    """Answers Bot API methods locally. ``fault`` may turn a call into an error response."""

    def __init__(self, log: ApiLog | None = None) -> None:
        self.log = log or ApiLog()
        self._ids = itertools.count(10_000)
        self.polls: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, message) → its poll
        # (method, params) → None to answer normally, (status, payload) to answer with an
        # error, or an exception to raise (a timeout, a dropped connection)
        self.fault: Callable[[str, dict[str, Any]], Fault] | None = None

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if "/file/bot" in url:  # a download of what getFile described: documents/<file_id>
            download = self.log.files.get(api_method)
            return (200, download) if download is not None else (404, b"Not Found")
        params = dict(request_data.parameters) if request_data else {}
        if request_data is not None:
            # as httpx sends the form: UTF-8, strict (a lone surrogate cannot be encoded)
            urlencode(request_data.json_parameters, encoding="utf-8", errors="strict")
        if self.fault is not None:
            failure = self.fault(api_method, params)
            if isinstance(failure, BaseException):
                raise failure
            if failure is not None:
                status, payload = failure
                return status, json.dumps(payload).encode()
        files = {}
        if request_data is not None and request_data.multipart_data:
            for name, (_filename, content, _mime) in request_data.multipart_data.items():
                files[name] = content if isinstance(content, bytes) else content.read()
        result = self._result(api_method, params)
        call = ApiCall(api_method, params, result, files)
        self.log.calls.append(call)
        for listener in self.log.listeners:
            listener(call, result if isinstance(result, dict) else {})
        if api_method == "getFile" and result is None:
            refusal = {"ok": False, "error_code": 400, "description": "Bad Request: bad file_id"}
            return 400, json.dumps(refusal).encode()
        if api_method == "stopPoll" and result is None:
            refusal = {"ok": False, "error_code": 400, "description": "Bad Request: poll not found"}
            return 400, json.dumps(refusal).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "movierec",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
            }
        if method in MESSAGE_METHODS:
            if method.startswith("edit") and "inline_message_id" in params:
                return True
            chat_id = int(params.get("chat_id", 0))
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "movierec"},
            }
            if method == "sendDocument":
                unique = next(self._ids)
                message["document"] = {"file_id": f"doc-{unique}", "file_unique_id": f"d{unique}"}
                message["caption"] = params.get("caption", "")
            elif method in ("sendPhoto", "editMessageCaption", "editMessageMedia"):
                # a photo as Telegram describes one: sizes, each with its file_id
                unique = next(self._ids)
                message["photo"] = [
                    {"file_id": f"photo-{unique}-{w}", "file_unique_id": f"u{unique}-{w}",
                     "width": w, "height": w * 3 // 2}
                    for w in (90, 342)
                ]  # fmt: skip
                message["caption"] = params.get("caption", "")
            else:
                message["text"] = params.get("text", "")
            markup = params.get("reply_markup")
            markup = json.loads(markup) if isinstance(markup, str) else markup
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                # Telegram echoes inline keyboards only, never ForceReply
                message["reply_markup"] = markup
            return message
        if method in ("sendPoll", "stopPoll"):
            return self._poll(method, params)
        if method == "getUpdates":
            return []
        if method == "getChatMember":
            user_id = int(params.get("user_id", 0))
            status = "administrator" if user_id in self.log.admins else "member"
            member: dict[str, Any] = {
                "status": status,
                "user": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
            }
            if status == "administrator":  # the fields Telegram always sends for an admin
                member |= {right: status == "administrator" for right in ADMIN_RIGHTS}
            return member
        if method == "getFile":
            file_id = str(params.get("file_id", ""))
            if file_id not in self.log.files:
                return None  # answered below as Telegram does: "file not found"
            return {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                    "file_size": len(self.log.files[file_id]),
                    "file_path": f"documents/{file_id}"}  # fmt: skip
        return True

    def _poll(self, method: str, params: dict[str, Any]) -> Any:
        """sendPoll answers the Message carrying the Poll; stopPoll the closed Poll, or
        Telegram's refusal for a poll it does not have (raised as BadRequest)."""
        chat_id = int(params.get("chat_id", 0))
        if method == "stopPoll":
            poll = self.polls.get((chat_id, int(params.get("message_id", 0))))
            if poll is None:
                return None  # answered as Telegram does, below
            poll["is_closed"] = True
            return poll
        options = params.get("options") or []
        options = json.loads(options) if isinstance(options, str) else options
        message_id = next(self._ids)
        poll = {
            "id": f"poll-{message_id}",
            "question": params.get("question", ""),
            "options": [  # persistent_id: required since Bot API 9.6
                {
                    "text": o if isinstance(o, str) else o.get("text", ""),
                    "voter_count": 0,
                    "persistent_id": str(n),
                }
                for n, o in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": params.get("is_anonymous", True) not in (False, "false"),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": True,  # required since Bot API 9.6; regular polls allow it
            "members_only": False,  # required since Bot API 10.0
        }
        if params.get("open_period"):
            poll["open_period"] = int(params["open_period"])
        self.polls[(chat_id, message_id)] = poll
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "movierec"},
            "poll": poll,
        }
        if params.get("message_thread_id"):  # a forum topic: Telegram echoes it
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        return message
