"""What every feature handler shares: language, the typed argument, prompts, sending."""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers import answers, texts
from handlers.reply import Reply
from handlers.services import Services, services

PROMPTS_KEPT = 20  # open "which film?" questions remembered per chat
PROMPT_KEYS = {
    "month": "ask_month",
    "weekday": "ask_weekday",
    "card": "ask_title",
    "score": "ask_title",
    "votes": "ask_title",
    "recommend": "ask_title",
    "actor": "ask_actor",
    "director": "ask_director",
}


def language(update: Update, s: Services) -> str:
    user = update.effective_user
    if user is None:
        return texts.DEFAULT_LANGUAGE
    return s.preferences.language(user.id) or texts.language_for(user.language_code)


def argument(message: Message) -> str:
    """What follows the command word, as typed (spacing inside kept)."""
    text = message.text or ""
    if text.startswith("/"):
        return text.partition(" ")[2].strip()
    return text.strip()


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
            for row in reply.buttons
        ]
    )


def in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


async def send(update: Update, reply: Reply) -> Message | None:
    message = update.effective_message
    if message is None:
        return None
    # in groups the answer quotes the command it answers
    return await message.reply_text(
        reply.text, reply_markup=keyboard(reply), do_quote=in_group(update)
    )


def answer_for(s: Services, lang: str, action: str, text: str) -> Reply:
    if action == "month":
        return answers.month(s, lang, text)
    if action == "weekday":
        return answers.weekday(s, lang, text)
    return answers.ask(s, lang, action, text)


async def prompt(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """Ask for the missing argument; the reply to this message continues the command."""
    s = services(context)
    lang = language(update, s)
    message = update.effective_message
    if message is None:
        return
    asked = await message.reply_text(
        texts.raw(lang, PROMPT_KEYS[action]),
        reply_markup=ForceReply(selective=True),
        do_quote=in_group(update),
    )
    prompts: dict[int, str] = context.chat_data.setdefault("prompts", {})
    prompts[asked.message_id] = action
    while len(prompts) > PROMPTS_KEPT:
        prompts.pop(next(iter(prompts)))


async def run(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """A command: with an argument answer it, without one ask for it."""
    message = update.effective_message
    if message is None:
        return
    text = argument(message)
    if not text:
        await prompt(update, context, action)
        return
    s = services(context)
    await send(update, answer_for(s, language(update, s), action, text))


def pending_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The command a reply answers, when it replies to one of our open prompts."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if replied is None or context.chat_data is None:
        return None
    prompts: dict[int, str] = context.chat_data.get("prompts", {})
    return prompts.pop(replied.message_id, None)
