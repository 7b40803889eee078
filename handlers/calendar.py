"""/mes and /dia: films premiered in a month or on a weekday."""

from telegram import Update
from telegram.ext import ContextTypes

from handlers import common


async def month(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await common.run(update, context, "month")


async def weekday(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await common.run(update, context, "weekday")
