"""/misdatos: everything stored about you, as a JSON file; /olvidame: delete it, after asking.

What the store keeps about a person: their settings (the language) and their film lists. The
key-value cache holds no personal data (photo ids, API answers), and group sessions belong to
the group, so neither is in the file nor deleted by /olvidame (see ``Store.forget``).
"""

from __future__ import annotations

import datetime as dt
import json
import time

from telegram import Update
from telegram.ext import ContextTypes

from handlers import dialog, lists, viewer
from handlers.buttons import Press
from handlers.reply import Button, Reply
from handlers.services import Services, services
from handlers.store.base import LANGUAGE, ListItem
from handlers.texts import raw, say

__all__ = ["SETTINGS", "export", "forget_me", "forget_press", "my_data"]

SETTINGS = (LANGUAGE,)  # every setting the bot stores per person
CONFIRM, CANCEL = 1, 0  # the forget button's page


def _when(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


def _item(s: Services, item: ListItem) -> dict[str, object]:
    title, year = lists.title_of(s, item.movie_id)
    return {
        "tmdb_id": item.movie_id,
        "title": title,
        "year": year,
        "rating_of_5": item.rating,
        "added": _when(item.created_at),
        "updated": _when(item.updated_at),
    }


async def export(s: Services, owner: int) -> dict[str, object]:
    """Everything stored about ``owner``, as plain JSON values."""
    settings = {name: await s.store.get_setting(owner, name) for name in SETTINGS}
    return {
        "owner": owner,
        "exported": _when(time.time()),
        "settings": {k: v for k, v in settings.items() if v is not None},
        "lists": {
            kind: [_item(s, i) for i in await viewer.items(s.store, owner, kind)]
            for kind in (viewer.SEEN_KIND, viewer.LATER_KIND)
        },
    }


async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await lists.asker(update, context)
    if found is None:
        return
    lang = found.lang
    data = await export(found.services, found.owner)
    counts = data["lists"]
    assert isinstance(counts, dict)
    text = say(
        lang,
        "mydata_caption",
        seen=len(counts[viewer.SEEN_KIND]),
        later=len(counts[viewer.LATER_KIND]),
    )
    document = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await lists.deliver(update, context, Reply(text), ("movierec-data.json", document))


async def forget_me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await lists.asker(update, context)
    if found is None:
        return
    s, lang = found.services, found.lang
    buttons = (
        (
            Button(raw(lang, "button_forget"), data=s.codec.encode("forget", 0, CONFIRM, True)),
            Button(raw(lang, "button_cancel"), data=s.codec.encode("forget", 0, CANCEL, True)),
        ),
    )
    await lists.deliver(update, context, Reply(raw(lang, "forget_ask"), buttons))


async def forget_press(update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: Press) -> None:
    """The confirmation button: delete, or leave everything as it was."""
    query = update.callback_query
    owner = lists.person(update)
    if query is None or owner is None:
        return
    s = services(context)
    lang = await dialog.language(update, s)
    await query.answer()
    if pressed.page != CONFIRM:
        await lists.edit(update, Reply(raw(lang, "forget_cancelled")))
        return
    async with viewer.lock(owner):
        await s.store.forget(owner)
    # the language and the lists are cached for a few seconds: they must go now
    s.preferences.forget(owner)
    s.viewers.forget(owner)
    await lists.edit(update, Reply(raw(lang, "forget_done")))
