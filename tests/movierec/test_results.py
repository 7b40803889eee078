"""Results crossing the boundary are frozen dataclasses, whatever their __init__."""

from __future__ import annotations

import dataclasses

import pytest

from movierec.results import Candidate, Reason, Recommendation


def test_hand_written_inits_make_the_dataclass_they_declare() -> None:
    reason = Reason("genres", ("Drama",))
    rec = Recommendation(949, "Heat", 1995, 0.5, 0.75, (reason,))
    fields = [f.name for f in dataclasses.fields(Recommendation)]
    assert fields == ["movie_id", "title", "year", "score", "similarity", "reasons"]
    assert [getattr(rec, name) for name in fields] == [949, "Heat", 1995, 0.5, 0.75, (reason,)]
    assert (reason.kind, reason.values) == ("genres", ("Drama",))
    assert rec == Recommendation(949, "Heat", 1995, 0.5, 0.75, (Reason("genres", ("Drama",)),))
    assert hash(rec) == hash(Recommendation(949, "Heat", 1995, 0.5, 0.75, (reason,)))
    assert rec != dataclasses.replace(rec, year=1996)
    assert dataclasses.asdict(rec)["reasons"] == ({"kind": "genres", "values": ("Drama",)},)
    assert repr(reason) == "Reason(kind='genres', values=('Drama',))"
    assert (
        Recommendation(movie_id=1, title="t", year=2, score=0, similarity=0, reasons=()).year == 2
    )


@pytest.mark.parametrize(
    "value",
    [
        Reason("cast", ("Al Pacino",)),
        Recommendation(1, "t", 2000, 0.1, 0.2, ()),
        Candidate("movie", 1, "t", year=2000),
    ],
)
def test_results_are_frozen_and_slotted(value: object) -> None:
    first = dataclasses.fields(value)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, first, "other")
    assert not hasattr(value, "__dict__")  # slots: no per-object dictionary
