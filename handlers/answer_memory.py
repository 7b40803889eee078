"""Answers remembered: a reply that is the same for everyone is rendered once.

What a renderer answers depends on the catalog (fixed while the process runs), the language,
what was asked, and two things it reads from the update's context: the asker's own lists
(handlers/viewer.py: ✓ on a card, seen films left out of recommendations) and whether the
group's movie night takes nominations (the card's 🍿 row). A reply is remembered only when the
asker has no films in their lists, and under the night flag too, so a remembered reply is
exactly what rendering it again would give. Most people have no lists, most traffic asks for
the same popular films, and a card costs far more to build than to look up.

Four memories, so that one kind of traffic cannot push out another (each drops its oldest
write first): answers about a film or person; /mes and /dia answers; answers carrying a
freshly drawn chart, which hold its PNG (30-80 KB), no more of them than handlers/charts.py
keeps charts (the two drop theirs independently, so at most twice that many PNGs are alive);
and the replies to text that names nothing for sure, where a stream of typos lands. Text
longer than a query can be is never a key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from handlers import viewer
from handlers.buttons import Press
from handlers.memo import Memo
from handlers.reply import Reply
from movierec.results import Invalid, Resolution
from movierec.search.text import MAX_QUERY_CHARS

__all__ = ["ASK_ENTRIES", "CHART_ENTRIES", "ENTRIES", "SECONDS", "AnswerMemory", "Key"]

ENTRIES = 2048  # a card is ~3 KB as a Reply: a few MB at most
CHART_ENTRIES = 64  # as many as handlers/charts.py keeps
ASK_ENTRIES = 512  # "did you mean" and "not found" replies
SECONDS = 3600.0  # the catalog never changes while serving; this only returns idle memory
# what an answer is kept under; its first item names its memory: "press", "text" or "ask"
Key = tuple[Hashable, ...]


class AnswerMemory:
    """Replies by what was asked, for askers whose own lists would not change them."""

    def __init__(
        self,
        entries: int = ENTRIES,
        chart_entries: int = CHART_ENTRIES,
        ask_entries: int = ASK_ENTRIES,
    ) -> None:
        self._memos: dict[Hashable, Memo[Key, Reply]] = {
            "press": Memo(SECONDS, entries),
            "text": Memo(SECONDS, entries),
            "chart": Memo(SECONDS, chart_entries),
            "ask": Memo(SECONDS, ask_entries),
        }

    def __len__(self) -> int:
        return sum(len(memo) for memo in self._memos.values())

    @property
    def clock(self) -> Callable[[], float]:
        return self._memos["press"].clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:  # the soak bench skews time
        for memo in self._memos.values():
            memo.clock = clock

    @staticmethod
    def press_key(lang: str, press: Press, night_open: bool) -> Key | None:
        """Where the answer to ``press`` is kept; None when it is the asker's own.
        ``night_open``: handlers.movienight.card.open_night() for this update."""
        if not _everyones():
            return None
        return ("press", press.action, press.key, press.page, lang, night_open)

    @staticmethod
    def text_key(lang: str, action: str, text: str, night_open: bool) -> Key | None:
        """Where the answer of a text renderer (/mes, /dia) to ``text`` is kept."""
        if not _everyones() or len(text) > MAX_QUERY_CHARS:
            return None
        return ("text", action, text, lang, night_open)

    @staticmethod
    def ask_key(lang: str, action: str, text: str, resolution: Resolution) -> Key | None:
        """Where the reply to ``text`` that names nothing for sure is kept (which of these did
        you mean, or not found): the same for everyone, lists and nights play no part in it.
        Text the engine refuses (Invalid) is answered at once and not kept."""
        if isinstance(resolution, Invalid) or len(text) > MAX_QUERY_CHARS:
            return None
        return ("ask", action, text, lang)

    def get(self, key: Key | None) -> Reply | None:
        if key is None:
            return None
        for memo in (self._memos[key[0]], self._memos["chart"]):  # where put() keeps it
            found = memo.get(key)
            if found is not None:
                return found[0]
        return None

    def put(self, key: Key | None, reply: Reply) -> None:
        """Keep ``reply``, unless it is incomplete (its chart was late or failed): the next
        asker gets the chart once it is there (handlers/charts.py keeps a late one)."""
        if key is None or not reply.complete:
            return
        assert key[0] in ("press", "text", "ask")
        drawn = reply.photo is not None and reply.photo.data is not None
        self._memos["chart" if drawn else key[0]].put(key, reply)


def _everyones() -> bool:
    """Whether this update's viewer has no films, so their answers are everyone's answers."""
    seen = viewer.current()
    return not seen.ratings and not seen.later
