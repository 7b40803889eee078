"""A checker for the HTML subset Telegram accepts: known tags, balanced, entities escaped."""

from __future__ import annotations

import re

ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}
TOKEN = re.compile(
    r"<(/?)([a-z]+)((?:\s+href=\"[^\"<>]*\")?)\s*>|&(?:lt|gt|amp|quot|#\d+);|[^<>&]+"
)


def check(text: str) -> None:
    """Raise AssertionError unless ``text`` parses as Telegram HTML."""
    stack: list[str] = []
    position = 0
    while position < len(text):
        match = TOKEN.match(text, position)
        assert match, f"unescaped {text[position]!r} at {position} in {text[:120]!r}"
        closing, tag, attributes = match.group(1), match.group(2), match.group(3)
        if tag is not None:
            assert tag in ALLOWED, f"tag <{tag}> is not Telegram HTML"
            if closing:
                assert stack and stack[-1] == tag, f"</{tag}> closes {stack[-1:]}"
                stack.pop()
            else:
                assert not attributes or tag == "a", f"<{tag}> takes no attributes"
                stack.append(tag)
        position = match.end()
    assert not stack, f"unclosed {stack}"


ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}


def displayed(text: str) -> str:
    """What Telegram shows for ``text``: tags dropped, entities decoded once (after check)."""
    check(text)
    shown = []
    for match in TOKEN.finditer(text):
        piece = match.group(0)
        if match.group(2) is not None:
            continue  # a tag
        if piece.startswith("&#"):
            shown.append(chr(int(piece[2:-1])))
        else:
            shown.append(ENTITIES.get(piece, piece))
    return "".join(shown)
