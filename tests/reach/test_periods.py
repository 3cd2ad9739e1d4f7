"""Periods: one parameter scheme for weeks, months, quarters, years and ranges."""

import datetime as dt

import pytest

from core.weeks import IsoWeek
from reach.periods import Period, PeriodError, parse_period


@pytest.mark.parametrize(
    ("params", "kind", "start", "end", "key"),
    [
        ({"week": "2026-W48"}, "week", dt.date(2026, 11, 23), dt.date(2026, 11, 29), "2026-W48"),
        ({"week": "2026-W53"}, "week", dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2026-W53"),
        ({"month": "2026-02"}, "month", dt.date(2026, 2, 1), dt.date(2026, 2, 28), "2026-02"),
        ({"month": "2024-02"}, "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024-02"),
        ({"quarter": "2026-Q4"}, "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-Q4"),
        ({"quarter": "2026-q1"}, "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026-Q1"),
        ({"year": "2025"}, "year", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025"),
        (
            {"from": "2026-01-01", "to": "2026-03-31"},
            "range",
            dt.date(2026, 1, 1),
            dt.date(2026, 3, 31),
            "2026-01-01_2026-03-31",
        ),
    ],
)
def test_each_kind_of_period_is_read(params, kind, start, end, key):
    period = parse_period(params)
    assert (period.kind, period.start, period.end, period.key) == (kind, start, end, key)
    assert parse_period(period.params()) == period


def test_no_parameter_means_the_last_complete_week():
    assert parse_period({}) == Period.week(IsoWeek.current().previous)
    assert parse_period({}).end < IsoWeek.current().monday


def test_a_running_period_knows_its_days_so_far():
    week = Period.week(IsoWeek(2025, 48))  # Monday 24 to Sunday 30 November 2025
    assert week.elapsed_days(week.start) == 1
    assert week.elapsed_days(week.start.replace(day=27)) == 4
    assert week.elapsed_days(week.end.replace(day=1, month=12)) is None  # over
    assert Period.month(2025, 11).elapsed_days(week.start) == 24


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"week": "2026-48"}, "er ikke en uge"),
        ({"week": "2026-W54"}, "har ingen uge 54"),
        ({"week": "2021-W53"}, "har ingen uge 53"),
        ({"month": "2026-13"}, "er ikke en måned"),
        ({"month": "november"}, "er ikke en måned"),
        ({"quarter": "2026-Q5"}, "er ikke et kvartal"),
        ({"year": "26"}, "er ikke et år"),
        ({"year": "1850"}, "Året skal ligge mellem"),
        ({"from": "2026-01-01"}, "både en første dag"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "er ikke en dato"),
        ({"from": "2026-03-01", "to": "2026-01-01"}, "ligger efter den sidste dag"),
        ({"from": "2010-01-01", "to": "2026-01-01"}, "højst være ti år"),
        ({"week": "2026-W48", "month": "2026-11"}, "Vælg én periode"),
    ],
)
def test_bad_periods_are_refused_with_a_danish_message(params, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(params)


def test_neighbours_cross_year_boundaries():
    assert Period.week(IsoWeek(2026, 53)).next == Period.week(IsoWeek(2027, 1))
    assert Period.week(IsoWeek(2027, 1)).previous == Period.week(IsoWeek(2026, 53))
    assert Period.month(2026, 1).previous == Period.month(2025, 12)
    assert Period.quarter(2026, 4).next == Period.quarter(2027, 1)
    assert Period.year(2026).previous == Period.year(2025)
    span = Period.range(dt.date(2026, 1, 1), dt.date(2026, 1, 10))
    assert span.next == Period.range(dt.date(2026, 1, 11), dt.date(2026, 1, 20))


def test_a_year_earlier_is_the_same_iso_week_and_week_53_falls_back_to_52():
    assert Period.week(IsoWeek(2026, 48)).year_earlier() == Period.week(IsoWeek(2025, 48))
    assert Period.week(IsoWeek(2026, 53)).year_earlier() == Period.week(IsoWeek(2025, 52))
    assert Period.week(IsoWeek(2021, 53 - 52)).year_earlier() == Period.week(IsoWeek(2020, 1))
    leap = Period.range(dt.date(2024, 2, 29), dt.date(2024, 3, 1))
    assert leap.year_earlier() == Period.range(dt.date(2023, 2, 28), dt.date(2023, 3, 1))


def test_targets_scale_with_the_length_in_weeks():
    assert Period.week(IsoWeek(2026, 48)).weeks == 1
    assert Period.month(2026, 2).weeks == 4
    assert Period.year(2024).weeks == pytest.approx(366 / 7)
