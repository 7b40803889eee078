"""Inline mode: "@bot title" in any chat offers up to ten film cards."""

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from handlers import answers, common

CACHE_SECONDS = 300
MAX_RESULTS = 10


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    s = common.services(context)
    lang = common.language(update, s)
    cards = answers.inline_cards(s, lang, query.query[:200], MAX_RESULTS)
    results = [
        InlineQueryResultArticle(
            id=str(movie_id),
            title=title,
            description=facts,
            input_message_content=InputTextMessageContent(card),
        )
        for movie_id, title, facts, card in cards
    ]
    await query.answer(results, cache_time=CACHE_SECONDS)
