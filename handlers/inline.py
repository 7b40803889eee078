"""Inline mode: "@bot title" in any chat is typeahead: films matching what is typed so far.

Each result is an article with the poster as its thumbnail, and the message it sends is the
text card with the poster as a large link preview above it, plus the card's link buttons.
Articles rather than ``InlineQueryResultPhoto``: a photo result list is a grid of posters
without titles or years (useless for telling two Titanics apart) and films without a picture
would have to be another result type; and the sent message stays a text message, which is what
presses.py edits (``edit_message_text``) when a button under an inline message is pressed.
"""

from __future__ import annotations

from typing import Any

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers import dialog, keyboards, texts
from handlers.films import card_text, heading, link_rows, poster
from handlers.keyboards import JsonMadeOnce
from handlers.reply import Reply
from handlers.services import Services, services
from movierec.results import Invalid

CACHE_SECONDS = 300
# Articles come in pages: Telegram asks for the next one (``offset``) only when the person
# scrolls to the end of the list, and each article (a whole card) costs ~0.2 ms to serialise
# and form-encode, so a first page of ten answers twice as fast as twenty at once.
PAGE = 10
MAX_RESULTS = 50  # five pages: past that, typing more of the title is quicker than scrolling
MAX_QUERY = 200


# What app.py's Defaults would give every article's message; set here so that the JSON made
# when an article is built is what python-telegram-bot sends (see Article).
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class Article(JsonMadeOnce, InlineQueryResultArticle):
    """An inline result whose JSON is made once, when it is built.

    Pages of articles are remembered (``Services.inline_results``), and python-telegram-bot
    turned each article of a page into JSON again on every answer: ~17 µs an article. Its
    message content sets the parse mode and every link-preview option itself, so the defaults
    PTB fills in on each answer (into a copy of the article) change nothing in that JSON
    (tests/handlers/test_cards.py compares it with PTB's own)."""

    __slots__ = ("_json",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keep_json()


def page_start(offset: str) -> int | None:
    """The first article of the page Telegram asks for ("" is the first), None when the
    offset is not one we gave."""
    if offset == "":
        return 0
    if not (offset.isascii() and offset.isdigit()) or len(offset) > 3:
        return None
    start = int(offset)
    return start if start % PAGE == 0 and start < MAX_RESULTS else None


def results(
    s: Services, lang: str, query: str, start: int = 0
) -> tuple[tuple[InlineQueryResultArticle, ...], bool]:
    """The page of articles from ``start``, and whether another page follows."""
    out = []
    typed = s.engine.typeahead(query[:MAX_QUERY], start + PAGE + 1)  # one more: is there more?
    for candidate in typed[start : start + PAGE]:
        found = s.engine.card(candidate.key, language=lang)
        if isinstance(found, Invalid):
            continue
        # plain text: Telegram does not parse HTML in result titles and descriptions
        facts = texts.raw(lang, "inline_description").format(
            year=found.year,
            genres=texts.genres(lang, found.genres[:3]) or texts.raw(lang, "unknown"),
            average=texts.number(lang, found.vote_average, 1),
        )
        picture = poster(found)
        url = picture.url if picture else None
        text = card_text(lang, found)
        preview = NO_PREVIEW
        if url:  # the poster as a big preview above the card
            preview = LinkPreviewOptions(
                is_disabled=False, url=url, prefer_large_media=True, show_above_text=True
            )
        content = InputTextMessageContent(
            text, parse_mode=ParseMode.HTML, link_preview_options=preview
        )
        bold, bracket = heading(lang, found.title, found.year, found.local_title)
        links = keyboards.keyboard(Reply("", tuple(link_rows(lang, found))))
        out.append(
            Article(
                id=str(found.movie_id),
                title=f"{bold} ({bracket})",
                description=facts,
                input_message_content=content,
                reply_markup=links,
                thumbnail_url=url,
            )
        )
    return tuple(out), len(typed) > start + PAGE and start + PAGE < MAX_RESULTS


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    s = services(context)
    lang = await dialog.language(update, s)
    start = page_start(query.offset)
    if start is None:  # not an offset we gave: nothing more to show
        await query.answer([], cache_time=CACHE_SECONDS, is_personal=True)
        return
    # the same few letters come from many people ("", "the", "star"): the articles depend on
    # the language, the text and the page only, and building ten cards costs milliseconds
    typed = dialog.visible(query.query)[:MAX_QUERY]  # invisible characters alone: nothing
    key = (lang, f"{start}:{typed}")
    remembered = s.inline_results.get(key)
    page = remembered[0] if remembered is not None else results(s, lang, typed, start)
    if remembered is None:
        s.inline_results.put(key, page)
    found, more = page
    # personal: cards are in the asker's language, so one user's cache must not serve another
    await query.answer(
        found,
        cache_time=CACHE_SECONDS,
        is_personal=True,
        next_offset=str(start + PAGE) if more else "",
    )
