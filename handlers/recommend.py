"""/recomendar: five films like this one, with the reason for each."""

from telegram import Update
from telegram.ext import ContextTypes

from handlers import common


async def recommend(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await common.run(update, context, "recommend")
