"""Sending and editing replies that carry a photo, and the text fallback when it fails.

A poster is sent by URL: Telegram fetches it, never we. When Telegram refuses the URL (dead,
not an image), the reply goes out as text and the URL is remembered as bad, so the next card
goes straight to text. After the first successful send, the photo's ``file_id`` is kept in the
state store and reused: no second fetch, and every replica shares it. Charts are PNG bytes,
uploaded. A text longer than a caption goes in its own message under the photo, with the
buttons, so pages of it can still be edited.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    MaybeInaccessibleMessage,
    Message,
)
from telegram.error import BadRequest

from handlers.reply import MAX_CAPTION, Photo, Reply
from handlers.services import Services

__all__ = ["BAD_URL_SECONDS", "edit", "send"]

log = logging.getLogger(__name__)
FILE_IDS = "photo.file_id"  # store namespace: URL → Telegram file_id
BAD_URLS = "photo.bad_url"  # store namespace: URL → "1" while it is known to fail
BAD_URL_SECONDS = 7 * 24 * 3600.0
FILE_ID_SECONDS = 90 * 24 * 3600.0
# What Telegram answers when it cannot use a photo URL
REFUSALS = (
    "wrong file identifier",
    "wrong type of the web page content",
    "failed to get http url content",
    "wrong remote file",
    "image_process_failed",
    "photo_invalid_dimensions",
)


def refused(error: BadRequest) -> bool:
    text = str(error).lower()
    return any(reason in text for reason in REFUSALS)


async def _kv_get(s: Services, namespace: str, key: str) -> str | None:
    """The stored value, read through this process's short memory of it (s.photos)."""
    key = key[:1000]
    remembered = s.photos.get((namespace, key))
    if remembered is not None:
        return remembered[0]
    stamp = s.photos.stamp()
    try:
        value = await s.store.kv_get(namespace, key)
    except Exception as error:  # the store is down: photos still go out, uncached
        log.debug("photo cache unavailable (%s)", type(error).__name__)
        return None
    s.photos.fill((namespace, key), value, stamp)
    return value


async def _kv_set(s: Services, namespace: str, key: str, value: str, ttl: float) -> None:
    key = key[:1000]
    if s.photos.get((namespace, key)) == (value,):
        return  # stored already (a file id sent again comes back the same)
    s.photos.put((namespace, key), value, min(ttl, s.photos.ttl))
    try:
        await s.store.kv_set(namespace, key, value, ttl)
    except Exception as error:
        log.debug("photo cache unavailable (%s)", type(error).__name__)


async def usable(s: Services, photo: Photo | None) -> Photo | None:
    """The photo, unless it is a URL known to fail."""
    if photo is None or photo.url is None:
        return photo
    return None if await _kv_get(s, BAD_URLS, photo.url) else photo


def _upload(photo: Photo) -> str | InputFile:
    if photo.data is not None:
        return InputFile(photo.data, filename=photo.name)
    assert photo.url is not None
    return photo.url


async def _media(s: Services, photo: Photo) -> str | InputFile:
    """The file id Telegram gave this picture before, else its URL or its bytes."""
    return await _kv_get(s, FILE_IDS, photo.key) or _upload(photo)


async def _remember(s: Services, photo: Photo, media: str | InputFile, sent: Message) -> None:
    """Keep the file id Telegram gave a photo sent by URL or uploaded (one sent by file id
    needs none): the next send is a reference, no fetch and no upload."""
    if sent.photo and (isinstance(media, InputFile) or media == photo.url):
        await _kv_set(s, FILE_IDS, photo.key, sent.photo[-1].file_id, FILE_ID_SECONDS)


async def _forget_file_id(s: Services, photo: Photo) -> None:
    await _kv_set(s, FILE_IDS, photo.key, "", 1.0)


async def _mark_bad(s: Services, photo: Photo) -> None:
    if photo.url is not None:
        log.info("photo URL refused by Telegram, text cards from now on: %s", photo.url[:200])
        await _kv_set(s, BAD_URLS, photo.url, "1", BAD_URL_SECONDS)
        await _forget_file_id(s, photo)


async def send(
    s: Services,
    target: Message,
    reply: Reply,
    markup: InlineKeyboardMarkup | None,
    quote: bool = False,
) -> Message:
    """Answer under ``target``: a photo with the text as caption, or text alone."""
    photo = await usable(s, reply.photo)
    if photo is not None:
        fits = len(reply.text) <= MAX_CAPTION
        media = await _media(s, photo)
        caption, under = (reply.text, markup) if fits else (None, None)
        sent: Message | None
        try:
            sent = await target.reply_photo(media, caption, reply_markup=under, do_quote=quote)
        except BadRequest as error:
            if not refused(error):
                raise
            if photo.data is None:
                await _mark_bad(s, photo)
                sent = None
            elif isinstance(media, str):  # a chart's kept file id no longer works: upload it
                await _forget_file_id(s, photo)
                media = _upload(photo)
                sent = await target.reply_photo(media, caption, reply_markup=under, do_quote=quote)
            else:
                raise
        if sent is not None:
            await _remember(s, photo, media, sent)
            if fits:
                return sent
            return await target.reply_text(reply.text, reply_markup=markup, do_quote=quote)
    return await target.reply_text(reply.text, reply_markup=markup, do_quote=quote)


async def edit(
    s: Services,
    message: Message | MaybeInaccessibleMessage,
    reply: Reply,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Replace ``message`` (a page, a choice) with ``reply``.

    A text message cannot become a photo: then the photo reply comes as a new message and the
    old one loses its buttons. A photo message's caption is edited (it has no text), and its
    picture too when the reply brings another one."""
    if not isinstance(message, Message):
        return
    photo = await usable(s, reply.photo)
    is_photo = bool(message.photo)
    try:
        if is_photo and len(reply.text) <= MAX_CAPTION:
            if photo is not None:
                source = await _media(s, photo)
                media = InputMediaPhoto(source, caption=reply.text)
                edited = await message.edit_media(media, reply_markup=markup)
                if isinstance(edited, Message):
                    await _remember(s, photo, source, edited)
            else:
                await message.edit_caption(reply.text, reply_markup=markup)
            return
        if not is_photo and photo is None:
            await message.edit_text(reply.text, reply_markup=markup)
            return
    except BadRequest as error:
        # pressing the same page twice: Telegram refuses an edit that changes nothing
        if "not modified" in str(error).lower():
            return
        if photo is None or not refused(error):
            raise
        if photo.data is None:
            await _mark_bad(s, photo)
        else:  # a chart's kept file id no longer works: the new message uploads it
            await _forget_file_id(s, photo)
    await message.edit_reply_markup(None)
    await send(s, message, reply, markup)
