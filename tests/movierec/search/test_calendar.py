import pytest

from movierec.search.calendar import parse_month, parse_weekday

MONTHS = {
    1: ["enero", "Enero", "ENE", "january", "Jan", "1", "01", "enro"],
    2: ["febrero", "february", "feb", "febreo"],
    3: ["marzo", "march", "mar"],
    8: ["agosto", "Ágosto", "august", "aug", "ago"],
    9: ["septiembre", "setiembre", "Setiembre", "september", "sept", "set", "sep", "9"],
    12: ["diciembre", "december", "dic", "dec", "12", "diciembr"],
}
WEEKDAYS = {
    0: ["lunes", "Lunes", "monday", "mon", "lun"],
    2: ["miércoles", "miercoles", "MIERCOLES", "wednesday", "wed", "mie", "wensday"],
    5: ["sábado", "sabado", "saturday", "sat", "sab"],
    6: ["domingo", "sunday", "sun", "dom"],
}


@pytest.mark.parametrize(("month", "raw"), [(m, r) for m, rs in MONTHS.items() for r in rs])
def test_months(month: int, raw: str) -> None:
    assert parse_month(raw) == month


@pytest.mark.parametrize(("day", "raw"), [(d, r) for d, rs in WEEKDAYS.items() for r in rs])
def test_weekdays(day: int, raw: str) -> None:
    assert parse_weekday(raw) == day


@pytest.mark.parametrize("raw", ["", None, "0", "13", "xyz", "lunes" * 10, ".*", "🎬"])
def test_not_a_month(raw: str | None) -> None:
    assert parse_month(raw) is None


@pytest.mark.parametrize("raw", ["", None, "8", "xyz", "enero", "[a-z]"])
def test_not_a_weekday(raw: str | None) -> None:
    assert parse_weekday(raw) is None
