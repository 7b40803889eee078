"""movierec entry point. (The Telegram bot lands with its own issue; for now: catalog summary.)"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"

if __name__ == "__main__":
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    for name, rows in manifest["outputs"].items():
        print(f"{name}: {rows:,} rows")
