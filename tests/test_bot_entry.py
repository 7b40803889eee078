"""bot.py: settings problems are one clear line and exit code 2, never a traceback."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def run(env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bot.py"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "MOVIEREC_STATE_DB": ":memory:", **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_settings() -> None:
    done = run({"TELEGRAM_BOT_TOKEN": "not-a-token"})
    assert done.returncode == 2
    assert done.stderr.strip().startswith("movierec: TELEGRAM_BOT_TOKEN")
    assert "Traceback" not in done.stderr


def test_missing_catalog(tmp_path) -> None:
    done = run({"MOVIEREC_DATA": str(tmp_path)})
    assert done.returncode == 2 and "run `make data`" in done.stderr


def test_console_chat_without_a_token() -> None:
    done = run({"LANG": "es_ES.UTF-8"}, stdin="/mes enero\n")
    assert done.returncode == 0, done.stderr
    assert "En enero se estrenaron 5.909 películas." in done.stdout
    assert "loaded in" in done.stderr  # start-up says how long loading took
