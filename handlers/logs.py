"""Logging for the bot: one format, and secrets never written, at any level.

python-telegram-bot logs the bot token at DEBUG ("Set Bot API URL: …/bot<token>") and puts it in
exception messages (InvalidToken); webhook secrets and API keys could reach a log the same way.
The formatter replaces each secret in the final text, message, arguments and traceback alike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram.error import InvalidToken

__all__ = ["REDACTED", "ExpectedFailures", "RedactingFormatter", "redact", "setup"]

REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MIN_SECRET = 6  # shorter values would redact ordinary words


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if len(secret) >= MIN_SECRET:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str | None], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        # the token's secret half too: some messages carry only "<id>:<secret>" pieces
        found = {s for s in secrets if s}
        found |= {s.partition(":")[2] for s in found if ":" in s}
        self.secrets = sorted(found, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class ExpectedFailures(logging.Filter):
    """A rejected token is a configuration problem bot.py reports in one line: no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], InvalidToken):
            record.exc_info, record.exc_text = None, None
        return True


def setup(secrets: Iterable[str | None], level: int = logging.INFO) -> None:
    """Root logging to stderr through the redacting formatter."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets))
    handler.addFilter(ExpectedFailures())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))  # one line per request
    # a multi-line warning per reconnect attempt; the store reports outages itself
    logging.getLogger("psycopg.pool").setLevel(max(level, logging.ERROR))
