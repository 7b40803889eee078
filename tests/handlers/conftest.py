"""An offline harness: a real Application, a recording Bot API, real Update JSON."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from telegram import Update

from handlers.actions import BUTTON_CODES
from handlers.app import build_application, close_services, open_services
from handlers.buttons import ButtonCodec
from handlers.console.offline import ApiCall, ApiLog, OfflineRequest
from handlers.preferences import Preferences
from handlers.prompts import OpenPrompts
from handlers.services import Services
from handlers.settings import Settings
from handlers.store import create_store
from movierec.results import Invalid, Match

TEST_SETTINGS = Settings(
    token="123456:TEST-token-that-must-never-be-logged",
    overall_rate=10_000,
    group_rate=10_000,
    flood_limit=100_000,  # flood control has its own tests
    state_db=None,
)


def make_services(engine, db: Path | None = None, fingerprint: str = "test"):
    """Services over ``engine`` with a SQLite store at ``db`` (None: in memory), not opened."""
    store = create_store(None, db)
    return Services(
        engine=engine,
        store=store,
        codec=ButtonCodec(b"test-secret", fingerprint, BUTTON_CODES),
        preferences=Preferences(store),
        prompts=OpenPrompts(store),
    )


class Harness:
    def __init__(self, application, log: ApiLog) -> None:
        self.app = application
        self.log = log

    @property
    def services(self) -> Services:
        return self.app.bot_data["services"]

    async def feed(self, update: dict) -> list[ApiCall]:
        """Process one update; return the Bot API calls it caused (getMe excluded)."""
        self.log.clear()
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return list(self.log.calls)

    async def sent(self, update: dict) -> list[ApiCall]:
        """The messages carrying the answer's text (captioned photos too: ``ApiLog.sent``)."""
        await self.feed(update)
        return self.log.sent()


@pytest.fixture
async def make_bot(shipped_engine):
    apps = []

    async def factory(settings: Settings = TEST_SETTINGS, db: Path | None = None, **kw) -> Harness:
        log = ApiLog()
        services = make_services(shipped_engine, db, **kw)
        settings = dataclasses.replace(settings, state_db=db)
        app = build_application(settings, services, OfflineRequest(log), OfflineRequest(log))
        await app.initialize()
        await open_services(services)
        apps.append(app)
        return Harness(app, log)

    yield factory
    for app in apps:
        await app.shutdown()
        await close_services(app.bot_data["services"])


@pytest.fixture
async def bot(make_bot) -> Harness:
    return await make_bot()


# -- films of the catalog under test that tests can name by title ---------------------------------


@pytest.fixture
def popular(shipped_engine) -> list[tuple[int, str, int]]:
    """(id, title, year) of well-known films whose title alone resolves to them."""
    out = []
    for c in shipped_engine.popular(40):
        found = shipped_engine.resolve_title(f"{c.label} {c.year}")
        if getattr(found, "candidate", None) is not None and found.candidate.key == c.key:
            out.append((c.key, c.label, c.year))
    assert len(out) >= 10
    return out


@pytest.fixture(scope="module")
def films(shipped_engine) -> list[tuple[int, str]]:
    """(id, title) of popular films whose title resolves to that very film."""
    e = shipped_engine
    found = []
    for row in np.argsort(-e.catalog.vote_count, kind="stable")[:400]:
        movie_id, title = int(e.catalog.ids[row]), e.catalog.titles[row]
        resolved = e.resolve_title(title)
        features = not isinstance(e.similarity(movie_id, movie_id), Invalid)
        if isinstance(resolved, Match) and resolved.candidate.key == movie_id and features:
            found.append((movie_id, title))
    assert len(found) >= 12
    return found
