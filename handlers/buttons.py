"""Callback data for inline buttons: versioned, signed, at most 64 bytes.

``1|a|key|page|e|signature``: the version, an action code, a key (TMDB id or person index), a
page and whether the answer replaces the pressed message (choices, pages) or comes as a new one,
signed with HMAC over the bot's secret and the catalog it was made for. A button from an
older catalog or a forged one fails the check and gets a polite "expired".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64  # Telegram's limit for callback_data


@dataclass(frozen=True)
class Press:
    action: str
    key: int
    page: int = 0
    edit: bool = False  # replace the message the button was on


class ButtonCodec:
    def __init__(self, secret: bytes, catalog_fingerprint: str, codes: Mapping[str, str]) -> None:
        """``codes``: action name → one character (the action registry's button codes)."""
        self._key = hashlib.sha256(secret + b"|" + catalog_fingerprint.encode()).digest()
        self._codes = dict(codes)
        self._actions = {code: action for action, code in self._codes.items()}
        if len(self._actions) != len(self._codes) or "|" in self._actions:
            raise ValueError("button codes must be distinct and not '|'")

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:6]).decode()

    def encode(self, action: str, key: int, page: int = 0, edit: bool = False) -> str:
        payload = f"{VERSION}|{self._codes[action]}|{key}|{page}|{int(edit)}"
        data = f"{payload}|{self._sign(payload)}"
        assert len(data.encode()) <= MAX_BYTES
        return data

    def decode(self, data: str | None) -> Press | None:
        """The press a button stands for, or None when it is stale, forged or malformed."""
        if not data or not data.isascii() or len(data) > MAX_BYTES:
            return None  # everything we make is short ASCII
        parts = data.split("|")
        if len(parts) != 6 or parts[0] != VERSION or parts[1] not in self._actions:
            return None
        payload, signature = "|".join(parts[:5]), parts[5]
        if not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            return None
        key, page, edit = parts[2], parts[3], parts[4]
        if not all(p.isascii() and p.isdigit() and len(p) < 10 for p in (key, page)):
            return None
        return Press(self._actions[parts[1]], int(key), int(page), edit == "1")
