"""The short memory in front of the state store: TTL, bound, sweep, and what it remembers."""

from __future__ import annotations

from handlers.memo import Memo


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_its_ttl_and_a_remembered_none_is_not_a_miss() -> None:
    clock = Clock()
    memo: Memo[str, str | None] = Memo(10.0, 100, clock)
    assert memo.get("a") is None
    memo.put("a", None)
    assert memo.get("a") == (None,)
    clock.now = 9.9
    assert memo.get("a") == (None,)
    clock.now = 10.0
    assert memo.get("a") is None
    assert memo.stale("a") == (None,)  # still there to fall back on until swept


def test_writes_sweep_what_expired_and_the_bound_holds() -> None:
    clock = Clock()
    memo: Memo[int, int] = Memo(5.0, 3, clock)
    for key in range(3):
        memo.put(key, key)
    memo.put(3, 3)  # over the bound: the oldest write goes
    assert memo.get(0) is None and [memo.get(k) for k in (1, 2, 3)] == [(1,), (2,), (3,)]
    clock.now = 100.0
    memo.put(9, 9)  # everything else expired: swept by this write
    assert len(memo) == 1


def test_forget_and_a_shorter_ttl_per_entry() -> None:
    clock = Clock()
    memo: Memo[str, int] = Memo(60.0, 10, clock)
    memo.put("short", 1, ttl=1.0)
    memo.put("long", 2)
    clock.now = 2.0
    assert memo.get("short") is None and memo.get("long") == (2,)
    memo.forget("long")
    assert memo.get("long") is None


def test_a_read_older_than_a_write_is_not_kept() -> None:
    memo: Memo[str, str] = Memo(10.0, 10, Clock())
    stamp = memo.stamp()  # a slow read of "a" begins
    memo.put("a", "new")  # meanwhile this process writes "a"
    memo.fill("a", "old", stamp)  # the read ends: its value is older than the write
    assert memo.get("a") == ("new",)
    stamp = memo.stamp()
    memo.forget("a")
    memo.fill("a", "old", stamp)
    assert memo.get("a") is None
    stamp = memo.stamp()  # nothing written meanwhile: kept
    memo.fill("a", "read", stamp)
    assert memo.get("a") == ("read",)
