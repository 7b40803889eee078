"""One cold start, in its own process: ``python -m bench.coldstart movierec|served|reference
DATA`` (served: warmed up as the served bot is before it serves).

Prints ``READY <peak RSS in KiB> <CPU seconds>`` once the implementation has given its first
answer (the parent times the process from its start), then the first call of each kind after
start-up, ``FIRST <name> <CPU ms>``, and ``PEAK <peak RSS in KiB>`` at the end.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path


def rss_kib() -> int:
    """This process's peak resident memory. Not getrusage's ru_maxrss: on Linux it keeps the
    parent's peak across fork and exec, so a child of a big parent would report the parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime  # since the interpreter started


def first(name: str, call: Callable[[], object]) -> None:
    started = time.thread_time_ns()
    call()
    print(f"FIRST {name} {(time.thread_time_ns() - started) / 1e6:.3f}", flush=True)


def movierec(data: Path, served: bool = False) -> None:
    """``served``: warm up as the served bot does before serving (handlers.app.open_services),
    so the first calls are what a served bot's first askers pay."""
    from handlers.app import load_services
    from handlers.settings import Settings

    services = load_services(Settings(data_dir=data, state_db=None))
    engine = services.engine
    if served:
        engine.warm()
    engine.resolve_title("toy story")  # really ready: first answer given
    print(f"READY {rss_kib()} {cpu_seconds():.3f}", flush=True)

    import numpy as np

    from bench.queries import busiest_people, one_typo, popular_titles
    from movierec.results import Filters

    c = engine.catalog
    rng = np.random.default_rng(1)
    row = popular_titles(c, 1)[0]
    film = int(c.ids[row])
    person = c.actors.names[busiest_people(c, "actor", 1)[0]]
    genre = next(g for names in c.genres for g in names)
    first("title_typo", lambda: engine.resolve_title(one_typo(c.titles[row], rng)))
    first("person_typo", lambda: engine.resolve_person("actor", one_typo(person, rng)))
    first("similar", lambda: engine.similar(film, 5))
    first("genre_filter", lambda: engine.similar(film, 5, Filters(genre=genre)))
    first("several_films", lambda: engine.similar_to_many([film, int(c.ids[row + 1])], 5))
    first("inline_typeahead", lambda: engine.typeahead(c.titles[row][:3], 21))
    print(f"PEAK {rss_kib()}", flush=True)


def reference(data: Path) -> None:
    from bench.reference import Classic

    classic = Classic(data)
    classic.score_titulo("Toy Story")
    print(f"READY {rss_kib()} {cpu_seconds():.3f}", flush=True)
    genre = next(g for names in classic.df["genres"] for g in names)
    first("title_typo", lambda: classic.title_id("toy stroy"))
    first("person_typo", lambda: classic.films_of("actors", "tom hank"))
    first("similar", lambda: classic.recommend_row(0))
    first("genre_filter", lambda: classic.recommend_rows([0], classic.genre_mask(genre)))
    first("several_films", lambda: classic.recommend_rows([0, 1]))
    print(f"PEAK {rss_kib()}", flush=True)


def main() -> None:
    which, data = sys.argv[1], Path(sys.argv[2])
    if which == "reference":
        reference(data)
    else:
        movierec(data, served=which == "served")


if __name__ == "__main__":
    main()
