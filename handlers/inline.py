"""Inline mode: "@bot title" in any chat is typeahead: films matching what is typed so far."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from handlers import dialog, texts
from handlers.films import card_text
from handlers.services import Services, services
from movierec.results import Invalid

CACHE_SECONDS = 300
MAX_RESULTS = 20
MAX_QUERY = 200


def results(s: Services, lang: str, query: str) -> list[InlineQueryResultArticle]:
    out = []
    for candidate in s.engine.typeahead(query[:MAX_QUERY], MAX_RESULTS):
        found = s.engine.card(candidate.key)
        if isinstance(found, Invalid):
            continue
        # plain text: Telegram does not parse HTML in result titles and descriptions
        facts = texts.raw(lang, "inline_description").format(
            year=found.year,
            genres=texts.genres(lang, found.genres[:3]) or texts.raw(lang, "unknown"),
            average=texts.number(lang, found.vote_average, 1),
        )
        out.append(
            InlineQueryResultArticle(
                id=str(found.movie_id),
                title=f"{found.title} ({found.year})",
                description=facts,
                input_message_content=InputTextMessageContent(card_text(lang, found)),
            )
        )
    return out


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    s = services(context)
    found = results(s, await dialog.language(update, s), query.query)
    # personal: cards are in the asker's language, so one user's cache must not serve another
    await query.answer(found, cache_time=CACHE_SECONDS, is_personal=True)
