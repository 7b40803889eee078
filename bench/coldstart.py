"""One cold start, in its own process: ``python -m bench.coldstart movierec|reference DATA``.

Prints ``READY <peak RSS in KiB>`` once the implementation can answer; the parent times it.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def main() -> None:
    which, data = sys.argv[1], Path(sys.argv[2])
    if which == "movierec":
        from handlers.app import load_services
        from handlers.settings import Settings

        services = load_services(Settings(data_dir=data, state_db=None))
        services.engine.resolve_title("toy story")  # really ready: first answer given
    else:
        from bench.reference import Classic

        Classic(data).score_titulo("Toy Story")
    print(f"READY {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)


if __name__ == "__main__":
    main()
