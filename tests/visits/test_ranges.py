"""A stop's usual range (visits/ranges.py) and the outliers a report is stored with."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests import factories as f
from visits.models import VisitReport
from visits.ranges import Range, expected_range, ranges_for_stops
from visits.services import Outcome, ReportData, report_submit

pytestmark = pytest.mark.django_db


def test_a_steady_stop_allows_a_few_either_side():
    assert expected_range([9, 9, 9, 9, 9]) == Range(6, 12, "stop", 5)


def test_one_odd_cafe_does_not_widen_the_range():
    got = expected_range([8, 9, 10, 9, 11, 9, 300])
    assert (got.low, got.high) == (4, 14)  # median 9, MAD 1: 9 ± 4.45


def test_a_village_of_zeros_still_allows_a_few():
    assert expected_range([0, 0, 1, 0, 0, 2]) == Range(0, 3, "stop", 6)


def test_too_few_reports_give_no_range():
    assert expected_range([10, 12, 11]) is None


def history(stop, counts, *, today):
    for n, people in enumerate(counts, start=1):
        visit = f.make_visit(stop, date=today - dt.timedelta(days=7 * n), status="held")
        f.make_report(visit, people_met=people, new_people=0, meals=people, food_bags=0)


def test_a_stop_with_one_report_takes_its_centres_range():
    today = timezone.localdate()
    centre = f.make_centre()
    old, new = f.make_stop(centre), f.make_stop(centre)
    history(old, [20, 22, 18, 21, 19], today=today)
    history(new, [90], today=today)
    got = ranges_for_stops({old.pk: centre.pk, new.pk: centre.pk}, today=today)
    assert got[old.pk]["people_met"] == Range(13, 27, "stop", 5)  # 20 ± a third of 20
    # The centre's last cafés: 20, 90, 22, 18, 21, 19 (the new stop's one among them).
    assert got[new.pk]["people_met"].source == "centre"
    assert got[new.pk]["people_met"].reports == 6


def test_a_centre_with_too_few_reports_gives_no_range_and_no_warning():
    today = timezone.localdate()
    stop = f.make_stop()
    history(stop, [5], today=today)
    assert ranges_for_stops({stop.pk: stop.centre_id}, today=today) == {stop.pk: {}}


def test_only_the_last_twelve_cafes_count():
    today = timezone.localdate()
    stop = f.make_stop()
    history(stop, [10] * 12 + [500] * 10, today=today)
    assert ranges_for_stops({stop.pk: stop.centre_id}, today=today)[stop.pk]["people_met"] == (
        Range(6, 14, "stop", 12)
    )


def test_the_ranges_of_many_stops_are_one_query(django_assert_num_queries):
    today = timezone.localdate()
    stops = [f.make_stop() for _ in range(4)]
    for stop in stops:
        history(stop, [10, 11, 12, 13], today=today)
    with django_assert_num_queries(1):
        got = ranges_for_stops({s.pk: s.centre_id for s in stops}, today=today)
    assert all(got[s.pk]["people_met"].source == "stop" for s in stops)


@pytest.fixture
def steady_stop(centre, volunteer_user):
    today = timezone.localdate()
    stop = f.make_stop(centre)
    history(stop, [9, 9, 9, 9, 9], today=today)
    return stop


def send(visit, user, people, *, confirmed=False, submission=None):
    return report_submit(
        visit=visit,
        user=user,
        submission_id=submission or uuid.uuid4(),
        data=ReportData(people_met=people, meals=people),
        outliers_confirmed=confirmed,
    )


def test_an_outlier_is_stored_unconfirmed_when_the_volunteer_was_not_asked(
    steady_stop, volunteer_user
):
    visit = f.make_visit(steady_stop, date=timezone.localdate())
    report = send(visit, volunteer_user, 120).report
    stored = VisitReport.objects.get(pk=report.pk)
    assert (stored.people_met, stored.outliers, stored.outliers_confirmed) == (
        120,
        "people_met,meals",
        False,
    )


def test_a_confirmed_outlier_is_stored_as_confirmed_and_sending_it_twice_changes_nothing(
    steady_stop, volunteer_user
):
    visit = f.make_visit(steady_stop, date=timezone.localdate())
    submission = uuid.uuid4()
    first = send(visit, volunteer_user, 120, confirmed=True, submission=submission)
    again = send(visit, volunteer_user, 120, confirmed=True, submission=submission)
    assert (first.outcome, again.outcome) == (Outcome.CREATED, Outcome.DUPLICATE)
    stored = VisitReport.objects.get(visit=visit)
    assert (stored.outliers, stored.outliers_confirmed, stored.version) == (
        "people_met,meals",
        True,
        1,
    )


def test_a_confirmation_of_a_value_inside_the_range_stores_no_outlier(steady_stop, volunteer_user):
    visit = f.make_visit(steady_stop, date=timezone.localdate())
    send(visit, volunteer_user, 10, confirmed=True)
    stored = VisitReport.objects.filter(visit=visit)
    assert stored.values_list("outliers", "outliers_confirmed").get() == ("", False)
