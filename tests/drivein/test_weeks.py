import datetime as dt

import pytest

from core.weeks import InvalidWeek, IsoWeek


def test_it_parses_an_iso_week():
    week = IsoWeek.parse("2026-W48")
    assert (week.monday, week.sunday) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert str(week) == "2026-W48"


def test_it_knows_week_53_and_the_year_boundary():
    week = IsoWeek.parse("2026-W53")
    assert week.monday == dt.date(2026, 12, 28)
    assert str(week.next) == "2027-W01"
    assert str(IsoWeek.parse("2027-W01").previous) == "2026-W53"
    assert str(IsoWeek.of(dt.date(2027, 1, 3))) == "2026-W53"


@pytest.mark.parametrize(
    "value", ["", "2026-48", "2026-W4", "W48", "2026-W48x", "'; drop", "2026-W00"]
)
def test_it_refuses_what_is_not_a_week(value):
    with pytest.raises(InvalidWeek):
        IsoWeek.parse(value)


def test_it_refuses_a_week_53_that_the_year_does_not_have():
    with pytest.raises(InvalidWeek, match="2025 har ingen uge 53"):
        IsoWeek.parse("2025-W53")


def test_it_refuses_years_nobody_plans_for():
    with pytest.raises(InvalidWeek):
        IsoWeek.parse("1999-W10")
    with pytest.raises(InvalidWeek):
        IsoWeek.parse("2101-W10")
