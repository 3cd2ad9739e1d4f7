"""Every figure of the reach rows, totals, targets and completeness on the known world."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from core.access import ALL
from core.weeks import IsoWeek
from reach.periods import Period
from reach.selectors.completeness import completeness_by_centre, visits_to_fix
from reach.selectors.figures import reach_rows, reach_total, service_types
from reach.selectors.query import Level, ReachQuery
from reach.selectors.targets import apply_targets
from reach.selectors.trends import trend_and_since_start
from stops.models import CentreSite
from tests import factories as f

from .world import WEEK_MONDAY, day

TODAY = dt.date(2026, 1, 15)  # well after the week: every café of it is in the past
W48 = Period.week(IsoWeek.of(WEEK_MONDAY))


def figures(q):
    types = service_types()
    rows = reach_rows(q, types=types)
    total = reach_total(q, rows, types=types)
    apply_targets(q, rows, total)
    return {row.name: row for row in rows}, total


def week_query(**kwargs):
    return ReachQuery.build(start=W48.start, end=W48.end, today=TODAY, **kwargs)


def as_dict(row, world):
    return {
        "planned": row.planned,
        "held": row.held,
        "cancelled": row.cancelled,
        "open_past": row.open_past,
        "reported": row.reported,
        "people_met": row.people_met,
        "new_people": row.new_people,
        "meals": row.meals,
        "food_bags": row.food_bags,
        "clothing_items": row.clothing_items,
        "other_items": row.other_items,
        "volunteer_minutes": row.volunteer_minutes,
        "volunteers": row.volunteers,
        "home_visits": row.home_visits,
        "debt": row.referrals[world.debt.pk],
        "legal": row.referrals[world.legal.pk],
        "target": row.target_rounded,
    }


NORTH = {
    "planned": 6, "held": 4, "cancelled": 1, "open_past": 1, "reported": 3,
    "people_met": 17, "new_people": 3, "meals": 16, "food_bags": 4, "clothing_items": 3,
    "other_items": 1, "volunteer_minutes": 420, "volunteers": 3, "home_visits": 1,
    "debt": 2, "legal": 1, "target": 105,
}  # fmt: skip
MID = {
    "planned": 1, "held": 1, "cancelled": 0, "open_past": 0, "reported": 1,
    "people_met": 20, "new_people": 3, "meals": 18, "food_bags": 10, "clothing_items": 0,
    "other_items": 0, "volunteer_minutes": 300, "volunteers": 2, "home_visits": 1,
    "debt": 0, "legal": 3, "target": 84,
}  # fmt: skip
NATIONAL = {
    "planned": 7, "held": 5, "cancelled": 1, "open_past": 1, "reported": 4,
    "people_met": 37, "new_people": 6, "meals": 34, "food_bags": 14, "clothing_items": 3,
    "other_items": 1, "volunteer_minutes": 720, "volunteers": 4, "home_visits": 2,
    "debt": 2, "legal": 4, "target": 189,
}  # fmt: skip


def test_the_national_level_has_a_row_per_region_and_a_total(world):
    rows, total = figures(week_query())
    assert list(rows) == ["Region Midtjylland", "Region Nordjylland"]
    assert as_dict(rows["Region Nordjylland"], world) == NORTH
    assert as_dict(rows["Region Midtjylland"], world) == MID
    assert as_dict(total, world) == NATIONAL
    assert total.volunteer_hours == 12
    # 4 reports of 6 due: the 5 held cafés and e, past and still planned.
    assert total.completeness == pytest.approx(4 / 6)


def test_volunteers_are_counted_once_in_the_total_however_many_regions_they_served(world):
    rows, total = figures(week_query())
    # vol1 served in both regions: 3 + 2 rows, but 4 different people.
    assert sum(row.volunteers for row in rows.values()) == 5
    assert total.volunteers == 4


def test_the_region_level_has_a_row_per_centre(world):
    rows, total = figures(week_query(region_id=world.north.pk))
    assert list(rows) == ["Brovst", "Mors"]
    brovst, mors = rows["Brovst"], rows["Mors"]
    assert (brovst.planned, brovst.held, brovst.open_past, brovst.reported) == (2, 1, 1, 1)
    assert (brovst.people_met, brovst.new_people, brovst.meals) == (2, 1, 2)
    assert (brovst.home_visits, brovst.volunteers, brovst.target_rounded) == (0, 0, 35)
    assert (mors.planned, mors.held, mors.cancelled, mors.reported) == (4, 3, 1, 2)
    assert (mors.people_met, mors.new_people, mors.meals, mors.food_bags) == (15, 2, 14, 4)
    assert (mors.home_visits, mors.volunteers, mors.target_rounded) == (1, 3, 70)
    assert mors.referrals == {world.debt.pk: 2, world.legal.pk: 1}
    assert as_dict(total, world) == NORTH


def test_the_centre_level_has_a_row_per_stop_with_a_share_of_the_target(world):
    rows, total = figures(week_query(centre_id=world.mors.pk))
    assert list(rows) == ["Redsted", "Karby", "Vils"]
    redsted, karby, vils = rows["Redsted"], rows["Karby"], rows["Vils"]
    assert (redsted.planned, redsted.held, redsted.reported, redsted.people_met) == (2, 2, 2, 15)
    assert (redsted.volunteers, redsted.volunteer_minutes) == (2, 360)
    assert (karby.planned, karby.held, karby.cancelled, karby.reported) == (2, 1, 1, 0)
    assert (karby.people_met, karby.volunteers, karby.without_report_or_status) == (0, 1, 1)
    assert (vils.planned, vils.people_met, vils.active) == (0, 0, False)
    # Mors's 70 shared by its two active stops; the inactive stop has no target.
    assert (redsted.target, karby.target, vils.target) == (35, 35, None)
    # Home visits belong to the centre, not to a stop.
    assert redsted.home_visits is None
    assert (total.home_visits, total.volunteers, total.target, total.people_met) == (1, 3, 70, 15)


def test_cafes_outside_the_period_do_not_count(world):
    _rows, total = figures(week_query())
    assert total.people_met == 37  # not the 100 of W47 nor the 50 of W49


def test_a_month_counts_its_days_and_scales_the_target(world):
    november = Period.month(2025, 11)
    q = ReachQuery.build(start=november.start, end=november.end, today=TODAY)
    _rows, total = figures(q)
    assert total.people_met == 137  # the week's 37 and W47's 100; 1 December is December
    assert total.home_visits == 2
    assert total.target == pytest.approx(189 * 30 / 7)


def test_the_national_default_target_applies_when_no_centre_has_one(db, settings):
    settings.NATIONAL_WEEKLY_TARGET = 1260
    f.make_stop(f.make_centre(weekly_people_target=0))
    _rows, total = figures(week_query())
    assert total.target == 1260


@override_settings(NATIONAL_WEEKLY_TARGET=1260)
def test_inactive_centres_have_no_target(world):
    CentreSite.objects.filter(pk=world.brovst.pk).update(active=False)
    rows, total = figures(week_query())
    assert rows["Region Nordjylland"].target == 70
    assert total.target == 154


def test_a_funder_counts_only_its_stops_and_the_grants_days(world, grant):
    rows, total = figures(week_query(funder=grant))
    # Tarm (Skjern, covered whole) and Karby (a covered stop); from 25 November.
    assert list(rows) == ["Region Midtjylland", "Region Nordjylland"]
    assert (total.planned, total.held, total.cancelled, total.reported) == (3, 2, 1, 1)
    assert (total.people_met, total.new_people, total.meals) == (20, 3, 18)
    assert rows["Region Nordjylland"].people_met == 0
    # Home visits only for centres the grant covers whole: Skjern's.
    assert total.home_visits == 1
    # Skjern's 84 and half of Mors's 70 (one of two stops), for the grant's 6 days.
    assert total.target == pytest.approx((84 + 35) * 6 / 7)


def test_a_funder_before_its_grant_starts_counts_nothing(world, grant):
    q = ReachQuery.build(start=day(17), end=day(23), funder=grant, today=TODAY)
    _rows, total = figures(q)
    assert (total.planned, total.people_met, total.target) == (0, 0, 0)


def test_a_coordinator_scope_counts_only_their_centres(world):
    scope = CentreSite.objects.filter(pk=world.mors.pk).values("pk")
    rows, total = figures(week_query(centre_scope=scope))
    assert list(rows) == ["Region Nordjylland"]
    assert (total.planned, total.held, total.people_met, total.target) == (4, 3, 15, 70)
    assert total.home_visits == 1


def test_completeness_lists_each_centre_worst_first(world):
    rows = completeness_by_centre(week_query())
    assert [(r.centre_name, r.held, r.reported, r.open_past) for r in rows] == [
        ("Brovst", 1, 1, 1),
        ("Mors", 3, 2, 0),
        ("Skjern", 1, 1, 0),
    ]
    # Brovst's café e was never marked held: it is a report due and not in, not nothing.
    assert [r.completeness for r in rows] == [pytest.approx(1 / 2), pytest.approx(2 / 3), 1]


def test_each_count_of_reports_not_in_says_what_it_counts(world):
    """Held without a report, without a status, and either: three counts, three names."""
    rows = {r.centre_name: r for r in completeness_by_centre(week_query())}
    counts = {
        name: (r.held_without_report, r.open_past, r.without_report_or_status)
        for name, r in rows.items()
    }
    # Mors: c held without report; Brovst: e never marked held; Skjern: all in.
    assert counts == {"Brovst": (0, 1, 1), "Mors": (1, 0, 1), "Skjern": (0, 0, 0)}
    _rows, total = figures(week_query())
    assert total.without_report_or_status == len(visits_to_fix(week_query())) == 2


def test_a_past_cafe_nobody_marked_held_counts_as_a_report_due_and_not_in(world):
    """Skovsgaard: f held and reported, e past and still planned: 1 report of 2 due."""
    rows, total = figures(week_query(centre_id=world.brovst.pk))
    skovsgaard = rows["Skovsgaard"]
    assert (skovsgaard.held, skovsgaard.open_past, skovsgaard.reported) == (1, 1, 1)
    assert skovsgaard.reports_due == 2
    assert skovsgaard.without_report_or_status == 1
    assert skovsgaard.completeness == pytest.approx(1 / 2)
    assert total.completeness == pytest.approx(1 / 2)


def test_a_cancelled_or_coming_cafe_is_not_due_a_report(world):
    """Karby: c held without report, d cancelled: 0 of 1; nothing counts before its day."""
    rows, _total = figures(week_query(centre_id=world.mors.pk))
    assert (rows["Karby"].reports_due, rows["Karby"].completeness) == (1, 0)
    q = ReachQuery.build(start=W48.start, end=W48.end, today=day(24), centre_id=world.brovst.pk)
    rows, _total = figures(q)
    # On Monday 24th, e is today's café: not due yet (only f, marked held, is).
    assert (rows["Skovsgaard"].reports_due, rows["Skovsgaard"].completeness) == (1, 1)


def test_the_list_to_fix_has_past_cafes_without_report_or_status(world):
    to_fix = visits_to_fix(week_query())
    assert [(m.visit_id, m.status) for m in to_fix] == [
        (world.e.pk, "planned"),
        (world.c.pk, "held"),
    ]
    first = to_fix[0]
    assert first.admin_url == f"/admin/visits/visit/{world.e.pk}/change/"
    assert first.week_url == f"/centres/{world.brovst.pk}/week/?week=2025-W48"


def test_cafes_still_to_come_are_not_to_fix(world):
    q = ReachQuery.build(start=W48.start, end=W48.end, today=day(25))
    assert [m.visit_id for m in visits_to_fix(q)] == [world.e.pk]
    _rows, total = figures(q)
    assert total.open_past == 1


def test_running_totals_reconcile_with_the_rows(world):
    """Recomputed from the report rows themselves, not through the selectors."""
    from visits.models import VisitReport

    q = week_query()
    since = trend_and_since_start(q, weeks=1)[1]
    reports = VisitReport.objects.filter(visit__status="held", visit__date__lte=W48.end)
    assert since.cafes == 6  # a, b, c, f, g and W47's café
    assert since.people_met == sum(r.people_met for r in reports) == 137
    assert since.meals == sum(r.meals for r in reports)
    assert since.new_people == sum(r.new_people for r in reports)
    assert since.first_date == day(23)
    # And the rows of every week from the start up to the period add up to the same.
    everything = ReachQuery.build(start=day(1), end=W48.end, today=TODAY)
    _rows, total = figures(everything)
    assert (total.held, total.people_met, total.meals) == (
        since.cafes,
        since.people_met,
        since.meals,
    )


def test_the_trend_has_one_point_per_week_zero_filled(world):
    points = trend_and_since_start(week_query(), weeks=12)[0]
    assert len(points) == 12
    assert str(points[-1].week) == "2025-W48"
    assert str(points[0].week) == "2025-W37"
    assert [(str(p.week), p.people_met, p.cafes) for p in points[-2:]] == [
        ("2025-W47", 100, 1),
        ("2025-W48", 37, 5),
    ]
    assert sum(p.people_met for p in points[:-2]) == 0


def test_the_trend_follows_the_level_and_the_funder(world, grant):
    centre = trend_and_since_start(week_query(centre_id=world.mors.pk), weeks=2)[0]
    assert [(str(p.week), p.people_met, p.cafes) for p in centre] == [
        ("2025-W47", 100, 1),
        ("2025-W48", 15, 3),
    ]
    region = trend_and_since_start(week_query(region_id=world.mid.pk), weeks=1)[0]
    assert (region[0].people_met, region[0].meals) == (20, 18)
    funded = trend_and_since_start(week_query(funder=grant), weeks=2)[0]
    # The grant starts on 25 November: nothing before it, Tarm's 20 and Karby's 0 after.
    assert [(p.people_met, p.cafes) for p in funded] == [(0, 0), (20, 2)]


@pytest.fixture
def new_year(db):
    """Cafés around 2020-W53, which runs from Monday 28 December 2020 to Sunday 3 January 2021."""
    stop = f.make_stop()
    for date, people in (
        (dt.date(2020, 12, 27), 3),  # Sunday of 2020-W52
        (dt.date(2020, 12, 31), 7),  # Thursday of 2020-W53
        (dt.date(2021, 1, 2), 4),  # Saturday of 2020-W53, in the next calendar year
        (dt.date(2021, 1, 4), 6),  # Monday of 2021-W01
    ):
        visit = f.make_visit(stop, date=date, status="held")
        f.make_report(visit, people_met=people, new_people=1, meals=people)
    return stop


def test_week_53_spans_new_year_as_one_week(new_year):
    week = Period.week(IsoWeek(2020, 53))
    q = ReachQuery.build(start=week.start, end=week.end, today=TODAY)
    _rows, total = figures(q)
    assert (week.start, week.end) == (dt.date(2020, 12, 28), dt.date(2021, 1, 3))
    assert (total.held, total.people_met) == (2, 11)


def test_the_trend_crosses_new_year_and_week_53(new_year):
    q = ReachQuery.build(start=dt.date(2021, 1, 4), end=dt.date(2021, 1, 10), today=TODAY)
    points = trend_and_since_start(q, weeks=3)[0]
    assert [(str(p.week), p.people_met, p.new_people) for p in points] == [
        ("2020-W52", 3, 1),
        ("2020-W53", 11, 2),
        ("2021-W01", 6, 1),
    ]


def test_an_empty_selection_gives_zero_rows_not_errors(db):
    _rows, total = figures(week_query())
    assert (total.planned, total.people_met, total.volunteers, total.home_visits) == (0, 0, 0, 0)
    assert total.completeness is None
    assert trend_and_since_start(week_query(), weeks=1)[1].cafes == 0


def test_the_query_is_free_of_http_and_takes_plain_arguments(world):
    """The REST endpoint will call the selectors with the same arguments."""
    q = ReachQuery.build(start=W48.start, end=W48.end, centre_scope=ALL, today=TODAY)
    assert q.level == Level.NATIONAL
    assert ReachQuery.build(start=W48.start, end=W48.end, centre_id=1).level == Level.CENTRE
