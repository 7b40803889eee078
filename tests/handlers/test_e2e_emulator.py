"""bot.py over real HTTP: polling the local Bot API emulator, a saturated group does not make a
private /start wait (``bench.e2e_headofline``; the same run, the bot not waited for)."""

from __future__ import annotations

import pytest

from bench import e2e_headofline as e2e
from bench.headofline import wired
from handlers.app import load_services
from handlers.settings import Settings
from tests.conftest import SHIPPED_DATA


def test_private_start_is_answered_while_a_group_is_throttled(tmp_path, monkeypatch) -> None:
    try:
        folder = e2e.emulator_folder()
    except e2e.Unavailable as error:
        pytest.skip(f"Bot API emulator unavailable: {error}")
    if not wired(load_services(Settings(data_dir=SHIPPED_DATA, state_db=None))):
        pytest.skip("handlers.app does not use handlers.processor yet: bot.py would take ~30 s")
    monkeypatch.setenv("MOVIEREC_DATA", str(SHIPPED_DATA))
    with e2e.emulator(folder, tmp_path) as base:
        result = e2e.measure(base, "shipped", tmp_path, wait=10)
    assert result.private_seconds is not None, "the private /start got no answer in 10 s"
    assert result.private_seconds < e2e.TARGET_SECONDS, result
