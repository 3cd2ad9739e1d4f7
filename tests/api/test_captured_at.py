"""
When the volunteer pressed send on the phone (captured_at), beside when the report
arrived (submitted_at): a report sent late from a stop without signal is not late,
and a phone clock far off neither refuses a report nor makes a late one timely.
"""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from visits.models import VisitReport


def put(api, user, visit, **fields):
    body = {"submission_id": str(uuid.uuid4()), "people_met": 9, **fields}
    return api(user).put(f"/api/v1/visits/{visit.pk}/report/", body, format="json")


def at_the_cafe(visit) -> dt.datetime:
    """Yesterday at 11.30, Danish time: pressed at the stop, sent the day after."""
    return timezone.make_aware(
        dt.datetime.combine(visit.date, dt.time(11, 30)), timezone.get_default_timezone()
    )


def test_a_report_sent_late_keeps_when_it_was_pressed(api, volunteer_user, visit):
    pressed = at_the_cafe(visit)
    response = put(api, volunteer_user, visit, captured_at=pressed.isoformat())
    assert response.status_code == 201, response.json()
    report = VisitReport.objects.get()
    assert report.captured_at == pressed
    assert report.submitted_at > pressed + dt.timedelta(hours=1)
    assert response.json()["captured_at"] == pressed.isoformat()


@pytest.mark.parametrize(
    "phone_clock",
    [
        dt.timedelta(days=3),  # days ahead
        dt.timedelta(days=-400),  # a year behind: before the visit's day
        dt.timedelta(minutes=30),  # half an hour ahead of the arrival
    ],
)
def test_a_phone_clock_that_cannot_be_right_counts_as_the_arrival(
    api, volunteer_user, visit, phone_clock
):
    captured = timezone.now() + phone_clock
    response = put(api, volunteer_user, visit, captured_at=captured.isoformat())
    assert response.status_code == 201, response.json()
    report = VisitReport.objects.get()
    assert report.captured_at == report.submitted_at


def test_a_few_minutes_fast_is_taken_as_now(api, volunteer_user, visit):
    fast = timezone.now() + dt.timedelta(minutes=3)
    put(api, volunteer_user, visit, captured_at=fast.isoformat())
    report = VisitReport.objects.get()
    assert report.captured_at == report.submitted_at


def test_without_it_the_report_was_captured_when_it_arrived(api, volunteer_user, visit):
    put(api, volunteer_user, visit)
    report = VisitReport.objects.get()
    assert report.captured_at == report.submitted_at


def test_a_time_that_is_not_one_is_a_clear_400(api, volunteer_user, visit):
    response = put(api, volunteer_user, visit, captured_at="i går ved elleve")
    assert response.status_code == 400
    assert "captured_at" in str(response.json())
    assert not VisitReport.objects.exists()


def test_a_correction_keeps_its_own_press(api, volunteer_user, visit):
    first = put(api, volunteer_user, visit, captured_at=at_the_cafe(visit).isoformat())
    later = at_the_cafe(visit) + dt.timedelta(hours=2)
    put(api, volunteer_user, visit, version=first.json()["version"], captured_at=later.isoformat())
    report = VisitReport.objects.get()
    assert (report.version, report.captured_at) == (2, later)
