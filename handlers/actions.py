"""Every question the bot answers, declared once: names, button code, prompt, argument, renderer.

Adding a command is one entry here plus its renderer. :mod:`handlers` registers a command
handler per entry (:mod:`handlers.conversation`), which asks for a missing argument; the
dialog (:mod:`handlers.dialog`) resolves what was typed and renders answers and buttons; the
menu and the button codec are derived from it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from handlers import calendar, films, people, recommend
from handlers.movienight import card as movienight_card
from handlers.reply import Reply
from handlers.services import Services

__all__ = [
    "ACTIONS",
    "BUTTON_CODES",
    "BY_NAME",
    "DISCOVER_BUTTONS",
    "LIST_BUTTONS",
    "Action",
    "Argument",
    "KeyRenderer",
    "ListRenderer",
    "TextRenderer",
]

# What the argument is: a film title, a person in a role, or text the renderer reads itself.
Argument = Literal["title", "actor", "director", "text"]
KeyRenderer = Callable[[Services, str, int, int], Reply]  # (services, lang, key, page)
TextRenderer = Callable[[Services, str, str], Reply]  # (services, lang, text)
ListRenderer = Callable[[Services, str, tuple[int, ...]], Reply]  # (services, lang, films)


@dataclass(frozen=True)
class Action:
    name: str  # internal name, also the texts' key suffix (menu_<name>)
    es: str | None  # the Spanish command (the contract's name); None: reached by buttons only
    en: str | None  # the English command
    aliases: tuple[str, ...]
    code: str  # one character in button data
    prompt: str  # text key asking for a missing argument
    argument: Argument
    render: KeyRenderer | TextRenderer
    # CPU-heavy answers (more than a few ms: multi-film rankings, charts) run in a worker
    # thread so the event loop keeps serving other chats meanwhile
    offload: bool = False
    # the answer when several films are typed at once ("titanic, toy story"); None: the
    # whole text is one title (a list is answered as one, found or not)
    several: ListRenderer | None = None

    @property
    def commands(self) -> tuple[str, ...]:
        names = (self.es, self.en, *self.aliases)
        return tuple(dict.fromkeys(n for n in names if n))


ACTIONS = (
    # /mes, /dia, /actor and /director draw a chart (handlers/charts.py): offloaded
    Action("month", es="mes", en="month", aliases=(), code="m", prompt="ask_month",
           argument="text", render=calendar.month, offload=True),
    Action("weekday", es="dia", en="day", aliases=(), code="w", prompt="ask_weekday",
           argument="text", render=calendar.weekday, offload=True),
    Action("score", es="score", en="score", aliases=(), code="s", prompt="ask_title",
           argument="title", render=films.score),
    Action("votes", es="votos", en="votes", aliases=(), code="v", prompt="ask_title",
           argument="title", render=films.votes),
    Action("actor", es="actor", en="actor", aliases=(), code="a", prompt="ask_actor",
           argument="actor", render=people.actor, offload=True),
    Action("director", es="director", en="director", aliases=(), code="d",
           prompt="ask_director", argument="director", render=people.director, offload=True),
    # ◀ ▶ of /director: the same pages, without sending the chart again
    Action("director_page", es=None, en=None, aliases=(), code="D", prompt="ask_director",
           argument="director", render=people.director_page),
    Action("recommend", es="recomendar", en="recommend", aliases=("similar",), code="r",
           prompt="ask_title", argument="title", render=recommend.recommend,
           several=recommend.recommend_many),
    # a film's card: what private text and the "Card" button answer
    Action("card", es=None, en=None, aliases=(), code="c", prompt="ask_title",
           argument="title", render=films.card),
)  # fmt: skip
BY_NAME = {action.name: action for action in ACTIONS}
# Buttons that change the presser's own lists ("Your films", handlers/lists.py answers them
# before the dialog does): they write to the state store, so no renderer stands behind them.
LIST_BUTTONS = {"mark": "K", "list_page": "L", "unlist": "X", "forget": "F"}
BUTTON_CODES = {action.name: action.code for action in ACTIONS} | LIST_BUTTONS
# /descubrir pages, /azar's 🎲 and /saga choices: handlers/discover.py answers them before the
# dialog does, since they read the state store (the query, what was drawn, what you have seen)
DISCOVER_BUTTONS = {"discover_page": "Q", "draw": "Z", "saga": "G"}
BUTTON_CODES |= DISCOVER_BUTTONS
BUTTON_CODES |= movienight_card.BUTTON_CODES  # the night's 🗳 and 🍿 (handlers/movienight)
