"""
The private calendar feed's reminders (VALARM) follow the volunteer's choice for
messages: the day before at a time of day, hours before the start, or none.
Read back with icalendar, as a calendar app would.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from notifications.alarms import reminder_alarms
from notifications.models import Preference
from planning.services import visit_edit
from tests import factories as f
from tests.planning.helpers import on
from visits.models import Visit

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
T = dt.time


@pytest.fixture
def ole(centre):
    return f.make_volunteer(centre, name="Ole Hansen", email="ole@example.org")


@pytest.fixture
def shift(stop, ole):
    visit = f.make_visit(stop, date=on(3), start_time=T(10), end_time=T(12))
    f.make_assignment(visit, ole, role="driver")
    return visit


def alarms_in_feed(client, volunteer) -> dict[str, list[icalendar.Alarm]]:
    response = client.get(f"/calendar/volunteer/{volunteer.calendar_token}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): list(event.walk("VALARM")) for event in calendar.walk("VEVENT")}


def triggers(alarms) -> list:
    return [alarm["TRIGGER"].dt for alarm in alarms]


def test_without_a_choice_the_defaults_ring_the_day_before_at_17_and_two_hours_before(
    client, ole, shift
):
    [alarms] = alarms_in_feed(client, ole).values()
    day_before = dt.datetime.combine(shift.date - dt.timedelta(days=1), T(17), tzinfo=CPH)
    assert triggers(alarms) == [day_before.astimezone(dt.UTC), -dt.timedelta(hours=2)]
    assert all(str(alarm["ACTION"]) == "DISPLAY" for alarm in alarms)
    assert [str(a["DESCRIPTION"]) for a in alarms] == [
        f"I morgen kl. 10.00: Chauffør: {shift.stop.community}",
        f"Om 2 timer, kl. 10.00: Chauffør: {shift.stop.community}",
    ]
    # A DATE-TIME trigger is in UTC; the relative one counts from the start.
    assert alarms[0]["TRIGGER"].to_ical().endswith(b"Z")
    assert alarms[1]["TRIGGER"].params.get("RELATED") == "START"


def test_the_volunteers_own_times_are_used(client, ole, shift):
    Preference.objects.create(volunteer=ole, remind_day_before_at=T(19, 30), remind_hours_before=1)
    [alarms] = alarms_in_feed(client, ole).values()
    day_before = dt.datetime.combine(shift.date - dt.timedelta(days=1), T(19, 30), tzinfo=CPH)
    assert triggers(alarms) == [day_before.astimezone(dt.UTC), -dt.timedelta(hours=1)]
    assert str(alarms[1]["DESCRIPTION"]).startswith("Om 1 time, kl. 10.00")


@pytest.mark.parametrize(
    ("day_before_at", "hours_before", "expected"),
    [
        (None, None, 0),
        (T(17), None, 1),
        (None, 3, 1),
    ],
)
def test_reminders_turned_off_are_not_in_the_calendar(
    client, ole, shift, day_before_at, hours_before, expected
):
    Preference.objects.create(
        volunteer=ole, remind_day_before_at=day_before_at, remind_hours_before=hours_before
    )
    [alarms] = alarms_in_feed(client, ole).values()
    assert len(alarms) == expected


def test_a_cancelled_cafe_rings_no_reminder(client, ole, shift, coordinator):
    visit_edit.visit_cancel(visit=shift, version=1, reason="Sne", user=coordinator)
    [alarms] = alarms_in_feed(client, ole).values()
    assert alarms == []


def test_the_public_centre_feed_has_no_reminders(client, centre, shift):
    response = client.get(f"/calendar/centre/{centre.pk}.ics")
    assert b"VALARM" not in response.content


def test_the_day_before_rings_at_17_danish_time_also_across_summer_time(stop):
    """Summer time starts on Sunday 28 March 2027: the day before is in winter time."""
    monday = Visit(stop=stop, date=dt.date(2027, 3, 29), start_time=T(10), end_time=T(12))
    day_before, _hours = reminder_alarms(
        Preference(), monday, uid="x", summary="Vært: Redsted", zone=CPH
    )
    assert day_before["TRIGGER"].dt == dt.datetime(2027, 3, 28, 15, 0, tzinfo=dt.UTC)
    winter = Visit(stop=stop, date=dt.date(2027, 1, 12), start_time=T(10), end_time=T(12))
    day_before, _hours = reminder_alarms(Preference(), winter, uid="x", summary="", zone=CPH)
    assert day_before["TRIGGER"].dt == dt.datetime(2027, 1, 11, 16, 0, tzinfo=dt.UTC)


def test_the_feed_costs_three_queries_however_many_shifts(
    client, ole, stop, django_assert_num_queries
):
    for weekday in range(1, 6):
        f.make_assignment(f.make_visit(stop, date=on(weekday)), ole)
    # The volunteer by token, their reminder choice, the shifts with visit and stop.
    with django_assert_num_queries(3):
        alarms = alarms_in_feed(client, ole)
    assert len(alarms) == 5 and all(len(a) == 2 for a in alarms.values())
