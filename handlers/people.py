"""/actor and /director."""

from telegram import Update
from telegram.ext import ContextTypes

from handlers import common


async def actor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await common.run(update, context, "actor")


async def director(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await common.run(update, context, "director")
