"""The flood guard on its own: verdicts, memory that expires by time, cool-downs never cut short.

No catalog, no Application: a FloodGuard and an injected clock.
"""

from __future__ import annotations

import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.flood import FloodGuard, Verdict

OK, WARN, DROP = Verdict.OK, Verdict.WARN, Verdict.DROP


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def guard(limit: int = 3, window: float = 10.0, cooldown: float = 30.0, **kw):
    clock = Clock()
    return FloodGuard(limit, window, cooldown, clock=clock, **kw), clock


class Reference:
    """Obviously correct: every owner's timestamps in a list, nothing ever forgotten."""

    def __init__(self, limit: int, window: float, cooldown: float) -> None:
        self.limit, self.window, self.cooldown = limit, window, cooldown
        self.times: dict[int, list[float]] = {}
        self.quiet_until: dict[int, float] = {}

    def check(self, owner: int, now: float) -> Verdict:
        if now < self.quiet_until.get(owner, float("-inf")):
            return DROP
        times = [t for t in self.times.get(owner, []) if t > now - self.window] + [now]
        if len(times) > self.limit:  # more than limit updates in the last window seconds
            self.quiet_until[owner] = now + self.cooldown
            self.times[owner] = []
            return WARN
        self.times[owner] = times
        return OK


# -- what a user sees ----------------------------------------------------------------------------


def test_served_up_to_the_limit_then_one_notice_then_silence_until_the_cooldown_ends() -> None:
    flood, clock = guard(limit=3, window=10, cooldown=30)
    verdicts = []
    for _ in range(10):
        verdicts.append(flood.check(1))
        clock.now += 0.1
    assert verdicts == [OK, OK, OK, WARN] + [DROP] * 6
    clock.now += 29.2  # the notice came at +0.3 s, the clock is at +1.0: 29.9 s after it
    assert flood.check(1) is DROP
    clock.now += 0.2  # 30.1 s after it
    assert [flood.check(1) for _ in range(4)] == [OK, OK, OK, WARN]  # a fresh window


def test_updates_spread_over_more_than_the_window_are_never_limited() -> None:
    flood, clock = guard(limit=3, window=10)
    for _ in range(100):
        assert flood.check(1) is OK
        clock.now += 3.4  # at most 3 in any 10 s


def test_other_owners_are_not_affected() -> None:
    flood, _clock = guard(limit=2)
    assert [flood.check(1) for _ in range(5)] == [OK, OK, WARN, DROP, DROP]
    assert [flood.check(2) for _ in range(2)] == [OK, OK]


def test_verdicts_still_compare_as_the_old_strings() -> None:
    assert (Verdict.OK, Verdict.WARN, Verdict.DROP) == ("ok", "warn", "drop")


# -- memory --------------------------------------------------------------------------------------


def test_an_idle_owner_is_forgotten_after_the_window() -> None:
    flood, clock = guard(window=10, cooldown=30)
    flood.check(1)
    assert len(flood) == 1
    clock.now += 10.0
    flood.check(2)  # any update sweeps what has expired
    assert len(flood) == 1


def test_an_owner_in_a_cooldown_is_forgotten_when_it_ends() -> None:
    flood, clock = guard(limit=1, window=10, cooldown=30)
    assert [flood.check(1), flood.check(1)] == [OK, WARN]
    clock.now += 29.0
    flood.check(2)
    assert len(flood) == 2 and flood.quiet == 1
    clock.now += 11.0
    flood.check(2)
    assert len(flood) == 1 and flood.quiet == 0


def test_150_000_users_then_a_pause_leave_nothing_behind() -> None:
    flood, clock = guard(limit=20, window=10, cooldown=30)
    for user in range(150_000):  # a burst: all within one window
        assert flood.check(10_000 + user) is OK
        clock.now += 0.00001
    assert 0 < len(flood) <= 100_000  # bounded while they are all recent
    clock.now += 40.0  # window + cool-down
    flood.expire(clock())
    assert len(flood) == 0


def test_steady_traffic_keeps_only_the_last_window_of_users() -> None:
    flood, clock = guard(window=10)
    for user in range(150_000):  # 1,000 new users a second for 150 s
        flood.check(user)
        clock.now += 0.001
    assert len(flood) <= 10_001


def test_a_flooders_cooldown_survives_200_000_other_users() -> None:
    flood, clock = guard(limit=3, window=10, cooldown=30, max_users=100_000)
    flooder = 666
    assert [flood.check(flooder) for _ in range(4)] == [OK, OK, OK, WARN]
    for user in range(200_000):  # a botnet passing by within the window: twice the cap
        flood.check(1_000_000 + user)
    assert len(flood) <= 100_000 + 1
    clock.now += 29.0
    assert flood.check(flooder) is DROP  # still silenced
    clock.now += 1.0
    assert flood.check(flooder) is OK  # and only until the cool-down ends


def test_over_the_cap_with_everyone_silenced_the_table_grows_rather_than_forget() -> None:
    flood, _clock = guard(limit=1, cooldown=30, max_users=10)
    for user in range(50):
        assert [flood.check(user), flood.check(user)] == [OK, WARN]
    assert len(flood) == 50 and flood.quiet == 50
    assert all(flood.check(user) is DROP for user in range(50))


def test_a_remembered_owner_costs_a_few_hundred_bytes() -> None:
    def bytes_per_owner(updates_each: int) -> float:
        flood, clock = guard(limit=20, window=1e9)
        owners = 20_000
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(updates_each):
            for owner in range(10**9, 10**9 + owners):
                flood.check(owner)
                clock.now += 0.001
        used = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        assert len(flood) == owners
        return used / owners

    assert bytes_per_owner(1) < 300  # most people: one or two updates
    assert bytes_per_owner(20) < 450  # at the limit (20 times, 8 bytes each)


# -- against the reference -----------------------------------------------------------------------

steps = st.lists(
    st.tuples(
        st.integers(0, 3),  # owner
        st.sampled_from([0.0, 0.0, 0.25, 0.5, 1.0, 2.0, 5.0, 31.0]),  # time since the last one
    ),
    max_size=300,
)


@settings(max_examples=400, deadline=None)
@given(
    limit=st.integers(1, 6),
    window=st.sampled_from([0.5, 1.0, 2.0, 10.0]),
    cooldown=st.sampled_from([0.0, 0.5, 2.0, 30.0]),
    events=steps,
)
def test_verdicts_match_a_list_of_timestamps_per_owner(limit, window, cooldown, events) -> None:
    flood, clock = guard(limit=limit, window=window, cooldown=cooldown)
    reference = Reference(limit, window, cooldown)
    for owner, step in events:
        clock.now += step
        assert flood.check(owner) is reference.check(owner, clock.now)
        assert len(flood) <= 4


@settings(max_examples=300, deadline=None)
@given(
    limit=st.integers(1, 4),
    cap=st.integers(1, 5),
    events=st.lists(
        st.tuples(st.integers(0, 12), st.sampled_from([0.0, 0.1, 1.0, 7.0])), max_size=300
    ),
)
def test_past_the_cap_a_cooldown_is_never_cut_short(limit, cap, events) -> None:
    cooldown = 5.0
    flood, clock = guard(limit=limit, window=2.0, cooldown=cooldown, max_users=cap)
    silenced_until: dict[int, float] = {}
    for owner, step in events:
        clock.now += step
        verdict = flood.check(owner)
        if clock.now < silenced_until.get(owner, float("-inf")):
            assert verdict is DROP
        else:
            assert verdict is not DROP
        if verdict is WARN:
            silenced_until[owner] = clock.now + cooldown
        assert len(flood) <= max(cap, flood.quiet + 1)
