"""TMDB over HTTP, never in the way: short timeouts, capped concurrency, a circuit breaker.

Every method answers ``None`` when TMDB cannot help right now (no key, a rejected key, a
timeout, a 404, a 429, a 5xx, JSON not shaped as documented, the breaker open), and the
caller answers from the catalog. Nothing here raises into a handler.

- The key never reaches a URL that is logged: httpx logs each request's URL, so ``api_key`` is
  added by the transport underneath, after that. A v4 token goes in the Authorization header,
  which nothing logs. Errors are logged by type, never by message.
- A 401 means the key is wrong for good: one clear line, and offline from then on.
- A 429 honours ``Retry-After``: no call at all until then (the user is answered locally
  rather than kept waiting).
- ``failures_to_open`` failures in a row open the breaker for ``open_seconds``.
- Answers are cached in the state store's key-value table with a TTL, so every replica shares
  them and a film is fetched once a week at most.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx

from handlers.store import Store
from handlers.tmdb.film import Found, LiveFilm, Malformed, parse_film, parse_search
from handlers.tmdb.settings import TmdbSettings
from movierec.search.text import fold

__all__ = ["FILMS", "SEARCHES", "TmdbClient"]

log = logging.getLogger(__name__)
FILMS = "tmdb.film"  # store namespace: TMDB id → LiveFilm.dumps() ("" when TMDB has none)
SEARCHES = "tmdb.search"  # "language|folded query" → the results as JSON
MISSING_SECONDS = 24 * 3600.0  # a 404 is remembered for a day
RETRY_AFTER_DEFAULT = 10.0
RETRY_AFTER_MAX = 3600.0
DETAILS = "credits,keywords,translations"


class _KeyTransport(httpx.AsyncBaseTransport):
    """Adds ``api_key`` below httpx's request logging (see the module docstring)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, api_key: str) -> None:
        self._inner = inner
        self._key = api_key

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        keyed = httpx.Request(
            request.method,
            request.url.copy_add_param("api_key", self._key),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return await self._inner.handle_async_request(keyed)

    async def aclose(self) -> None:
        await self._inner.aclose()


class TmdbClient:
    def __init__(
        self,
        settings: TmdbSettings,
        store: Store | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.store = store
        self._transport = transport
        self._clock = clock
        self._http: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(settings.concurrency)
        self.offline = not settings.enabled  # a rejected key sets it for good
        self.failures = 0  # in a row
        self.open_until = 0.0  # circuit breaker
        self.blocked_until = 0.0  # 429 Retry-After
        self.requests = 0  # sent, for tests and the log

    # -- life cycle -----------------------------------------------------------------------

    async def open(self) -> None:
        """Check the key once: a 401 is reported in one line and live data stays off."""
        if self.offline:
            return
        headers = {"Accept": "application/json"}
        if self.settings.access_token:
            headers["Authorization"] = f"Bearer {self.settings.access_token}"
        transport = self._transport or httpx.AsyncHTTPTransport()
        if self.settings.api_key and not self.settings.access_token:
            transport = _KeyTransport(transport, self.settings.api_key)
        self._http = httpx.AsyncClient(
            base_url=self.settings.api_url,
            headers=headers,
            transport=transport,
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
        )
        if await self._get("/configuration", {}) is not None:
            log.info("TMDB live data on (%s)", self.settings.api_url)
        elif not self.offline:
            log.warning("TMDB did not answer at start; live data will be tried on demand")

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    @property
    def available(self) -> bool:
        now = self._clock()
        return not self.offline and now >= self.open_until and now >= self.blocked_until

    # -- what the bot asks ----------------------------------------------------------------

    async def search(self, query: str, language: str) -> list[Found] | None:
        """/search/movie in ``language``, TMDB's order (relevance)."""
        key = f"{language}|{fold(query)[:200]}"
        cached = await self._cached(SEARCHES, key)
        if cached is not None:
            try:
                return parse_search(json.loads(cached))
            except (ValueError, Malformed):
                pass  # an unreadable entry: ask again
        data = await self._get(
            "/search/movie", {"query": query[:200], "language": language, "include_adult": "false"}
        )
        if data is None:
            return None
        try:
            found = parse_search(data)
        except Malformed as error:
            self._failed(f"malformed search ({error})")
            return None
        results = [
            {
                "id": f.tmdb_id,
                "title": f.title,
                "original_title": f.original_title,
                "release_date": f"{f.year}-01-01" if f.year else "",
                "popularity": f.popularity,
                "vote_count": f.vote_count,
            }
            for f in found[:10]
        ]
        await self._cache(SEARCHES, key, json.dumps({"results": results}), None)
        return found

    async def film(self, tmdb_id: int) -> LiveFilm | None:
        """/movie/{id} with credits, keywords and the Spanish translations, in English (the
        names the recommender knows); ``None`` when TMDB has no such film or cannot answer."""
        key = str(tmdb_id)
        cached = await self._cached(FILMS, key)
        if cached == "":
            return None  # TMDB said 404 not long ago
        if cached is not None:
            try:
                return LiveFilm.loads(cached)
            except Malformed:
                pass
        data = await self._get(
            f"/movie/{tmdb_id}", {"language": "en-US", "append_to_response": DETAILS}, missing=""
        )
        if data == "":
            await self._cache(FILMS, key, "", MISSING_SECONDS)
            return None
        if data is None:
            return None
        try:
            film = parse_film(data)
        except Malformed as error:
            self._failed(f"malformed film ({error})")
            return None
        await self._cache(FILMS, key, film.dumps(), None)
        return film

    def poster(self, path: str | None, size: str = "w500") -> str | None:
        return f"{self.settings.image_url}/{size}{path}" if path and path.startswith("/") else None

    # -- HTTP -----------------------------------------------------------------------------

    async def _get(self, path: str, params: dict[str, str], missing: Any = None) -> Any:
        """The decoded JSON, ``missing`` on a 404, ``None`` on any other failure."""
        if self._http is None or not self.available:
            return None
        try:
            async with self._slots:
                self.requests += 1
                response = await self._http.get(path, params=params)
        except (httpx.HTTPError, OSError) as error:
            self._failed(type(error).__name__)
            return None
        status = response.status_code
        if status == 401:
            self.offline = True
            log.error(
                "TMDB refused the credentials (401): check TMDB_API_KEY / TMDB_ACCESS_TOKEN; "
                "live data is off, answering from the catalog"
            )
            return None
        if status == 404:
            self._succeeded()
            return missing
        if status == 429:
            wait = _retry_after(response.headers.get("Retry-After"))
            self.blocked_until = self._clock() + wait
            log.warning("TMDB rate limit (429): no TMDB calls for %.0f s", wait)
            return None
        if status != 200:
            self._failed(f"HTTP {status}")
            return None
        try:
            data = response.json()
        except ValueError:
            self._failed("malformed JSON")
            return None
        self._succeeded()
        return data

    def _succeeded(self) -> None:
        self.failures = 0

    def _failed(self, what: str) -> None:
        self.failures += 1
        if self.failures >= self.settings.failures_to_open:
            self.open_until = self._clock() + self.settings.open_seconds
            self.failures = 0
            log.warning(
                "TMDB failing (%s, %d in a row): live data paused for %.0f s",
                what,
                self.settings.failures_to_open,
                self.settings.open_seconds,
            )
        else:
            log.info("TMDB call failed (%s); answered from the catalog", what)

    # -- the shared cache -----------------------------------------------------------------

    async def _cached(self, namespace: str, key: str) -> str | None:
        if self.store is None:
            return None
        try:
            return await self.store.kv_get(namespace, key)
        except Exception as error:  # the store is down: ask TMDB, uncached
            log.debug("TMDB cache unavailable (%s)", type(error).__name__)
            return None

    async def _cache(self, namespace: str, key: str, value: str, ttl: float | None) -> None:
        if self.store is None:
            return
        try:
            await self.store.kv_set(namespace, key, value, ttl or self.settings.cache_seconds)
        except Exception as error:
            log.debug("TMDB cache unavailable (%s)", type(error).__name__)


def _retry_after(header: str | None) -> float:
    """Seconds from a ``Retry-After`` header (TMDB sends seconds); a default otherwise."""
    try:
        seconds = float(header) if header is not None else RETRY_AFTER_DEFAULT
    except ValueError:
        return RETRY_AFTER_DEFAULT
    return min(max(seconds, 0.0), RETRY_AFTER_MAX) if seconds == seconds else RETRY_AFTER_DEFAULT
