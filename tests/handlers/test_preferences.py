import logging
import sqlite3

from handlers.preferences import Preferences


def test_language_survives_a_new_connection(tmp_path) -> None:
    db = tmp_path / "state" / "prefs.sqlite3"
    prefs = Preferences(db)
    prefs.set_language(7, "en")
    prefs.close()
    assert Preferences(db).language(7) == "en"
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_corrupt_database_means_defaults_and_a_log_line(tmp_path, caplog) -> None:
    db = tmp_path / "prefs.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING):
        prefs = Preferences(db)
    assert prefs.problem and "prefs.sqlite3" in prefs.problem
    assert "keeping settings in memory" in caplog.text
    assert prefs.language(1) is None
    prefs.set_language(1, "es")  # still works, in memory
    assert prefs.language(1) == "es"


def test_an_unwritable_location_means_defaults(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    prefs = Preferences(blocker / "sub" / "prefs.sqlite3")  # a file where a folder should be
    assert prefs.problem
    prefs.set_language(3, "en")
    assert prefs.language(3) == "en"
