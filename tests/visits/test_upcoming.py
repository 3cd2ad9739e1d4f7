"""What counts as still to come: after now, on the clock in Denmark."""

import datetime as dt
from zoneinfo import ZoneInfo

from tests import factories as f
from visits.models import Visit
from visits.upcoming import is_still_to_come, start_of_day

CPH = ZoneInfo("Europe/Copenhagen")
TUESDAY = dt.date(2026, 11, 24)
AT_NOON = dt.datetime(2026, 11, 24, 12, 0, tzinfo=CPH)
T = dt.time


def test_a_cafe_later_today_is_still_to_come_and_this_mornings_is_not():
    assert is_still_to_come(TUESDAY, T(13), now=AT_NOON)
    assert not is_still_to_come(TUESDAY, T(10), now=AT_NOON)


def test_a_cafe_that_starts_this_minute_has_started():
    assert not is_still_to_come(TUESDAY, T(12), now=AT_NOON)


def test_tomorrows_first_cafe_is_still_to_come_late_tonight():
    late = dt.datetime(2026, 11, 24, 23, 59, tzinfo=CPH)
    assert is_still_to_come(TUESDAY + dt.timedelta(days=1), T(0), now=late)
    assert not is_still_to_come(TUESDAY - dt.timedelta(days=1), T(23), now=late)


def test_now_is_read_on_the_danish_clock_whatever_zone_it_comes_in():
    # 22:30 UTC on 30 June is 00:30 on 1 July in Copenhagen (summer time).
    utc = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)
    assert not is_still_to_come(dt.date(2026, 6, 30), T(23), now=utc)
    assert is_still_to_come(dt.date(2026, 7, 1), T(1), now=utc)


def test_from_the_start_of_a_day_its_whole_day_is_still_to_come():
    assert is_still_to_come(TUESDAY, T(0), now=start_of_day(TUESDAY))
    monday = TUESDAY - dt.timedelta(days=1)
    assert not is_still_to_come(monday, T(23, 59), now=start_of_day(TUESDAY))


def test_the_filter_agrees_with_the_rule(stop):
    yesterday = f.make_visit(
        stop, date=TUESDAY - dt.timedelta(days=1), start_time=T(14), end_time=T(16)
    )
    this_morning = f.make_visit(stop, date=TUESDAY, start_time=T(9), end_time=T(11))
    at_noon = f.make_visit(stop, date=TUESDAY, start_time=T(12), end_time=T(13))
    this_afternoon = f.make_visit(stop, date=TUESDAY, start_time=T(14), end_time=T(16))
    tomorrow_early = f.make_visit(
        stop, date=TUESDAY + dt.timedelta(days=1), start_time=T(8), end_time=T(9)
    )
    coming = set(Visit.objects.still_to_come(AT_NOON))
    assert coming == {this_afternoon, tomorrow_early}
    for visit in (yesterday, this_morning, at_noon, this_afternoon, tomorrow_early):
        assert (visit in coming) == is_still_to_come(visit.date, visit.start_time, now=AT_NOON)
