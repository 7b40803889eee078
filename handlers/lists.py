"""Your films: /vista, /pendiente, /lista, /vistas, and the buttons that change them.

What is on your lists is yours: in a group these commands answer in the private chat
(:func:`deliver`), and a card's buttons there change the presser's lists and say so in a
toast only they see. The state itself (kinds, ratings, what a button does) is
:mod:`handlers.viewer`.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from handlers import conversation, dialog, keyboards, presses, texts, viewer
from handlers.actions import BUTTON_CODES, LIST_BUTTONS
from handlers.buttons import Press
from handlers.reply import Button, Reply, fit, invalid
from handlers.services import Services, services
from handlers.texts import raw, say
from handlers.viewer import LATER_KIND, SEEN_KIND, Viewer
from movierec.results import Ambiguous, Candidate, Invalid, Match, NotFound

__all__ = [
    "PAGE",
    "Asker",
    "asker",
    "deliver",
    "later",
    "list_later",
    "list_seen",
    "mine",
    "parse_rating",
    "person",
    "press",
    "refuse_shared",
    "seen",
    "title_of",
]

PAGE = 5
LISTS = (LATER_KIND, SEEN_KIND)  # a list_page button's key: 0 watch later, 1 seen
# "4/5" at the end, after a space. A bare number stays part of the title (/vista rocky 3).
RATED = re.compile(r"^(?P<title>.*\S)\s+(?P<n>\d{1,3})\s*/\s*(?P<of>\d{1,3})$", re.DOTALL)
# Presses this module answers first: its own, plus cards and /recomendar pages, which show
# or leave out the presser's films and so need their lists loaded before the renderer runs.
TAGS = re.compile(r"<[^>]+>")
CODES = frozenset(LIST_BUTTONS.values()) | {BUTTON_CODES["card"], BUTTON_CODES["recommend"]}


def mine(data: object) -> bool:
    """The CallbackQueryHandler pattern: this module's buttons (checked again when decoded)."""
    if not isinstance(data, str):
        return False
    parts = data.split("|")
    return len(parts) > 1 and parts[1] in CODES


def parse_rating(text: str) -> tuple[str, int | None] | None:
    """(title, rating 1-5 or None) from "heat 4/5"; None when the rating is not n/5, 1-5."""
    found = RATED.match(text.strip())
    if found is None:
        return text.strip(), None
    n, of = int(found.group("n")), int(found.group("of"))
    if of != 5 or not 1 <= n <= 5:
        return None
    return found.group("title"), n


def plain(text: str) -> str:
    """HTML as a toast shows it: no tags, no entities."""
    return html.unescape(TAGS.sub("", text))


def stars(n: int) -> str:
    return "★" * n + "☆" * (5 - n)


def title_of(s: Services, movie_id: int) -> tuple[str, int | None]:
    card = s.engine.card(movie_id)
    return (f"#{movie_id}", None) if isinstance(card, Invalid) else (card.title, card.year)


def state_text(s: Services, lang: str, v: Viewer, movie_id: int) -> str:
    """Where the film stands now, in one line (a toast or a confirmation)."""
    title, year = title_of(s, movie_id)
    values = {"title": title, "year": year or "?"}
    rating = v.ratings.get(movie_id)
    if v.seen(movie_id):
        if rating is None:
            return say(lang, "state_seen", **values)
        return say(lang, "state_rated", stars=stars(rating), n=rating, **values)
    if movie_id in v.later:
        return say(lang, "state_later", **values)
    return say(lang, "state_none", **values)


def confirmation(s: Services, lang: str, v: Viewer, movie_id: int) -> Reply:
    """After /vista or /pendiente: the state, ⭐ buttons when seen and unrated, the card."""
    rows: list[tuple[Button, ...]] = []
    text = state_text(s, lang, v, movie_id)
    if v.seen(movie_id) and v.ratings.get(movie_id) is None:
        text += "\n" + raw(lang, "ask_rating")
        rows.append(
            tuple(
                Button(viewer.label(lang, op, False), data=s.codec.encode("mark", movie_id, op))
                for op in range(viewer.RATE + 1, viewer.RATE + 6)
            )
        )
    rows.append((Button(raw(lang, "button_card"), data=s.codec.encode("card", movie_id)),))
    return Reply(text, tuple(rows))


# -- sending privately -----------------------------------------------------------------------


def person(update: Update) -> int | None:
    """Whose lists a command is about: a person, never a group or channel acting as one."""
    owner, user = dialog.owner_id(update), update.effective_user
    return owner if user is not None and owner == user.id else None


async def deliver(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    reply: Reply,
    document: tuple[str, bytes] | None = None,
) -> None:
    """Answer in private: here when this is the private chat, else by a private message, and
    when the person has not started the bot yet, a link to do so (nothing private in the
    group). ``document``: (file name, bytes) sent with ``reply.text`` as its caption."""
    s = services(context)
    lang = await dialog.language(update, s)
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    target = user.id if dialog.in_group(update) else message.chat_id
    markup = keyboards.keyboard(reply)
    try:
        if document is not None:
            name, data = document
            await context.bot.send_document(
                target, InputFile(data, filename=name), caption=reply.text, reply_markup=markup
            )
        elif dialog.in_group(update):
            await context.bot.send_message(target, reply.text, reply_markup=markup)
        else:
            await dialog.send(update, s, reply)
    except (Forbidden, BadRequest) as error:
        if not dialog.in_group(update) or (
            isinstance(error, BadRequest) and "chat not found" not in str(error).lower()
        ):
            raise
        url = f"https://t.me/{s.bot_username}?start=films"
        link = ((Button(raw(lang, "button_open_private"), url=url),),)
        await dialog.send(update, s, Reply(raw(lang, "private_start"), link))
        return
    if dialog.in_group(update):
        await dialog.send(update, s, Reply(raw(lang, "private_sent")))


async def refuse_shared(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    await dialog.send(update, s, Reply(raw(await dialog.language(update, s), "lists_need_user")))


@dataclass(frozen=True)
class Asker:
    """The person a lists command is about, with the services and their language."""

    owner: int
    services: Services
    lang: str


async def asker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Asker | None:
    """Who asks a command about their own films; None once a group or channel acting as a
    person has been told lists are personal (:func:`refuse_shared`)."""
    owner = person(update)
    if owner is None:
        await refuse_shared(update, context)
        return None
    s = services(context)
    return Asker(owner, s, await dialog.language(update, s))


# -- /vista and /pendiente -------------------------------------------------------------------


async def mark(update: Update, context: ContextTypes.DEFAULT_TYPE, later_list: bool) -> None:
    message = update.effective_message
    if message is None:
        return
    found = await asker(update, context)
    if found is None:
        return
    owner, s, lang = found.owner, found.services, found.lang
    text = dialog.argument(message)
    parsed = (text, None) if later_list else parse_rating(text)
    if not text or parsed is None:
        usage = "later_usage" if later_list else ("seen_usage" if not text else "bad_rating")
        await deliver(update, context, Reply(raw(lang, usage)))
        return
    title, rating = parsed
    op = viewer.SET_LATER if later_list else viewer.SET_SEEN + (rating or 0)
    resolution = s.engine.resolve_title(title)
    if isinstance(resolution, Match):
        movie_id = resolution.candidate.key
        v = await viewer.apply(s.store, owner, movie_id, op, s.viewers)
        reply = confirmation(s, lang, v, movie_id)
    elif isinstance(resolution, Invalid):
        reply = invalid(lang, resolution.reason, title)
    elif isinstance(resolution, Ambiguous):
        reply = choices(s, lang, say(lang, "ambiguous", query=title), resolution.candidates, op)
    else:
        assert isinstance(resolution, NotFound)
        header = say(
            lang, "not_found_suggest" if resolution.suggestions else "not_found", query=title
        )
        reply = choices(s, lang, header, resolution.suggestions, op)
    await deliver(update, context, reply)


def choices(
    s: Services, lang: str, header: str, candidates: tuple[Candidate, ...], op: int
) -> Reply:
    rows = tuple(
        (
            Button(
                dialog.candidate_label(lang, c), data=s.codec.encode("mark", c.key, op, edit=True)
            ),
        )
        for c in candidates
    )
    return Reply(header, rows)


async def seen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await mark(update, context, later_list=False)


async def later(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await mark(update, context, later_list=True)


# -- /lista and /vistas ----------------------------------------------------------------------


async def list_reply(s: Services, lang: str, owner: int, which: int, page: int) -> Reply:
    kind = LISTS[which]
    total = await s.store.list_count(owner, kind)
    if total == 0:
        return Reply(raw(lang, f"list_empty_{kind}"))
    pages = math.ceil(total / PAGE)
    page = min(max(page, 0), pages - 1)
    items = await s.store.list_items(owner, kind, PAGE, page * PAGE)
    lines = [texts.count(lang, f"list_header_{kind}", total)]
    rows: list[tuple[Button, ...]] = []
    numbers = []
    for n, item in enumerate(items, start=page * PAGE + 1):
        title, year = title_of(s, item.movie_id)
        mark_text = ""
        if kind == SEEN_KIND:
            mark_text = stars(item.rating) if item.rating else raw(lang, "unrated")
        line = say(lang, "list_line", n=n, title=title, year=year or "?", mark=mark_text)
        lines.append(line.rstrip())
        open_card = s.codec.encode("card", item.movie_id)
        if kind == LATER_KIND:
            remove = s.codec.encode("unlist", item.movie_id, page, edit=True)
            label = dialog.candidate_label(lang, Candidate("movie", item.movie_id, title, year))
            rows.append((Button(f"{n}. {label}", data=open_card), Button("❌", data=remove)))
        else:
            numbers.append(Button(str(n), data=open_card))
    if numbers:
        rows.append(tuple(numbers))
    if pages > 1:
        lines.append(say(lang, "page", page=page + 1, pages=pages))
        nav = []
        if page > 0:
            data = s.codec.encode("list_page", which, page - 1, edit=True)
            nav.append(Button(raw(lang, "button_previous"), data=data))
        if page < pages - 1:
            data = s.codec.encode("list_page", which, page + 1, edit=True)
            nav.append(Button(raw(lang, "button_next"), data=data))
        rows.append(tuple(nav))
    return Reply(fit(lines), tuple(rows))


async def show_list(update: Update, context: ContextTypes.DEFAULT_TYPE, which: int) -> None:
    found = await asker(update, context)
    if found is not None:
        reply = await list_reply(found.services, found.lang, found.owner, which, 0)
        await deliver(update, context, reply)


async def list_later(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show_list(update, context, 0)


async def list_seen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show_list(update, context, 1)


# -- buttons ---------------------------------------------------------------------------------


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """This module's buttons; cards and /recomendar pages get the presser's lists first."""
    query = update.callback_query
    if query is None:
        return
    s = services(context)
    pressed = s.codec.decode(query.data)
    owner = person(update)
    if pressed is None or pressed.action in ("card", "recommend"):
        # only in a private chat: an inline-mode message (no chat) is seen by a whole group
        if (
            pressed is not None
            and update.effective_chat is not None
            and not dialog.in_group(update)
        ):
            await viewer.enter(s.store, owner, pressed.action, s.viewers)
        # stale buttons get their "expired" there
        await presses.answer(await conversation.decoded_press(update, context, pressed))
        return
    lang = await dialog.language(update, s)
    if owner is None:
        await query.answer(raw(lang, "lists_need_user"), show_alert=True)
        return
    if pressed.action == "forget":
        from handlers import mydata  # mydata imports this module

        await mydata.forget_press(update, context, pressed)
        return
    if pressed.action == "mark":
        if pressed.page not in viewer.OPS:  # signed by us, but by a version with other buttons
            await query.answer(raw(lang, "expired"), show_alert=True)
            return
        await mark_press(update, s, lang, owner, pressed)
        return
    if pressed.action == "unlist":
        await s.store.list_remove(owner, pressed.key, LATER_KIND)
        s.viewers.forget(owner)
        which, page = 0, pressed.page
    else:
        which, page = min(pressed.key, 1), pressed.page
    await query.answer()
    reply = await list_reply(s, lang, owner, which, page)
    await edit(update, reply)


async def mark_press(update: Update, s: Services, lang: str, owner: int, pressed: Press) -> None:
    query = update.callback_query
    assert query is not None
    v = await viewer.apply(s.store, owner, pressed.key, pressed.page, s.viewers)
    if pressed.page >= viewer.SET_SEEN:  # a choice after /vista or /pendiente
        await query.answer()
        await edit(update, confirmation(s, lang, v, pressed.key))
        return
    await query.answer(plain(state_text(s, lang, v, pressed.key)))
    message = query.message
    if dialog.in_group(update) or message is None or not hasattr(message, "reply_markup"):
        return  # in a group the buttons show nobody's state: the toast told the presser
    markup = message.reply_markup
    if markup is None:
        return
    rows = [
        [Button(b.text, data=b.callback_data, url=b.url) for b in row]  # type: ignore[arg-type]
        for row in markup.inline_keyboard
    ]
    viewer.relabel(s.codec, lang, rows, v)
    await _edit_markup(update, Reply("", tuple(tuple(r) for r in rows)))


async def edit(update: Update, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(reply.text, reply_markup=keyboards.keyboard(reply))
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def _edit_markup(update: Update, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    markup: InlineKeyboardMarkup | None = keyboards.keyboard(reply)
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
