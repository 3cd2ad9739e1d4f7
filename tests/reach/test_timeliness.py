"""Timeliness: reports captured on the phone within 24 hours of the café's end."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reach.selectors.query import ReachQuery
from reach.selectors.timeliness import Timeliness, timeliness
from tests import factories as f

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
CAFE = dt.date(2026, 3, 10)  # a Tuesday, café 10–12 local time
MONTH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31), "today": dt.date(2026, 4, 2)}


def local(date, hour, minute=0):
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=CPH)


def report_captured(stop, captured, *, submitted=None, date=CAFE, status="held"):
    visit = f.make_visit(stop, date=date, status=status)
    return f.make_report(
        visit, captured_at=captured, submitted_at=submitted or captured or local(date, 12)
    )


def test_no_reports_has_no_share():
    f.make_stop()
    got = timeliness(ReachQuery.build(**MONTH))
    assert got == Timeliness(reports=0, on_time=0)
    assert got.share is None


def test_a_report_is_on_time_until_24_hours_after_the_cafe_ends():
    stop = f.make_stop()
    report_captured(stop, local(CAFE, 11, 30))  # during the café
    report_captured(stop, local(CAFE + dt.timedelta(days=1), 12, 0))  # exactly 24 h after
    report_captured(stop, local(CAFE + dt.timedelta(days=1), 12, 1))  # a minute late
    report_captured(stop, local(CAFE + dt.timedelta(days=4), 9))  # days late
    got = timeliness(ReachQuery.build(**MONTH))
    assert (got.reports, got.on_time, got.late) == (4, 2, 2)
    assert got.share == 0.5


def test_a_report_sent_late_from_a_stop_without_signal_is_not_late():
    stop = f.make_stop()
    # Written at the stop at 12:10, sent three days later when the phone found signal.
    report_captured(stop, local(CAFE, 12, 10), submitted=local(CAFE + dt.timedelta(days=3), 8))
    assert timeliness(ReachQuery.build(**MONTH)) == Timeliness(reports=1, on_time=1)


def test_a_report_without_a_capture_time_counts_by_its_arrival():
    stop = f.make_stop()
    report_captured(stop, None, submitted=local(CAFE, 18))
    report_captured(stop, None, submitted=local(CAFE + dt.timedelta(days=2), 18))
    assert timeliness(ReachQuery.build(**MONTH)) == Timeliness(reports=2, on_time=1)


def test_only_held_cafes_in_the_period_and_the_scope_count():
    mine = f.make_stop()
    other = f.make_stop()
    report_captured(mine, local(CAFE, 12))
    report_captured(other, local(CAFE + dt.timedelta(days=5), 12))  # late, other centre
    report_captured(mine, local(dt.date(2026, 4, 1), 12), date=dt.date(2026, 4, 1))  # April
    report_captured(mine, local(CAFE + dt.timedelta(days=5), 12), status="cancelled")
    scoped = ReachQuery.build(**MONTH, centre_scope=[mine.centre_id])
    assert timeliness(scoped) == Timeliness(reports=1, on_time=1)
    assert timeliness(ReachQuery.build(**MONTH)) == Timeliness(reports=2, on_time=1)


def test_it_is_one_query(django_assert_num_queries):
    report_captured(f.make_stop(), local(CAFE, 12))
    q = ReachQuery.build(**MONTH)
    with django_assert_num_queries(1):  # the aggregate over the period's reports
        timeliness(q)
