"""The Telegram callbacks of every action: a command, private text, a reply to one of our
prompts, a pressed button. Each reads its update and loads the asker's lists where cards
show them; typed questions end in :func:`handlers.dialog.ask_async`, and a press is read here
and answered by handlers/presses.py (:func:`handlers.dialog.answer_async`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, ForceReply, Update
from telegram.ext import ContextTypes

from handlers import texts, viewer
from handlers.actions import BY_NAME, Action
from handlers.buttons import Press
from handlers.dialog import argument, ask_async, in_group, language, owner_id, send
from handlers.services import Services, services

__all__ = [
    "ButtonPress",
    "Callback",
    "button_press",
    "command",
    "decoded_press",
    "pending_prompt",
    "prompt",
    "text",
    "your_films",
]


@dataclass(frozen=True)
class ButtonPress:
    """A pressed inline button, read once: the query, services, the presser's language and
    what the button stands for (None: stale or forged)."""

    query: CallbackQuery
    services: Services
    lang: str
    press: Press | None

    async def expired(self) -> None:
        await self.query.answer(texts.raw(self.lang, "expired"), show_alert=True)


async def button_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ButtonPress | None:
    """The press behind a callback query update, or None when the update is not one."""
    query = update.callback_query
    if query is None:
        return None
    return await decoded_press(update, context, services(context).codec.decode(query.data))


async def decoded_press(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: Press | None
) -> ButtonPress | None:
    """``button_press`` for a press its caller has decoded already (one signature check)."""
    query = update.callback_query
    if query is None:
        return None
    s = services(context)
    return ButtonPress(query, s, await language(update, s), pressed)


async def your_films(update: Update, s: Services, action: Action) -> None:
    """Cards and /recomendar show the asker's own films (handlers.viewer), in private only."""
    owner = None if in_group(update) else owner_id(update)
    await viewer.enter(s.store, owner, action.name, s.viewers)


async def prompt(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Action) -> None:
    """Ask for the missing argument; the reply to this message continues the command."""
    s = services(context)
    message = update.effective_message
    if message is None:
        return
    asked = await message.reply_text(
        texts.raw(await language(update, s), action.prompt),
        reply_markup=ForceReply(selective=True),
        do_quote=in_group(update),
    )
    await s.prompts.ask(asked.chat_id, asked.message_id, action.name)


Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def command(action: Action) -> Callback:
    """The handler for ``action``'s commands: with an argument answer it, else ask for it."""

    async def run(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        text = argument(message)
        if not text:
            await prompt(update, context, action)
            return
        s = services(context)
        await your_films(update, s, action)
        await send(update, s, await ask_async(s, await language(update, s), action, text))

    run.__name__ = f"{action.name}_command"
    return run


async def pending_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Action | None:
    """The action a reply continues, when it replies to one of our open prompts."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if replied is None:
        return None
    name = await services(context).prompts.answered(replied.chat_id, replied.message_id)
    return BY_NAME.get(name) if name else None


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to one of our questions continues its command; private text is a title."""
    message = update.effective_message
    if message is None or not message.text:  # the handler's filter lets only text through
        return
    if message.via_bot is not None and message.via_bot.id == context.bot.id:
        return  # a card someone sent from our inline mode into this chat is an answer already
    action = await pending_prompt(update, context)
    if action is None and in_group(update):
        return  # group chatter is not for us
    action = action or BY_NAME["card"]
    typed = argument(message)
    if not typed:  # nothing visible: no answer to the question, so it comes again
        await prompt(update, context, action)
        return
    s = services(context)
    lang = await language(update, s)
    await your_films(update, s, action)
    await send(update, s, await ask_async(s, lang, action, typed))
