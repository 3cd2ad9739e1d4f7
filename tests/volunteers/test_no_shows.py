"""No-shows (issue 13, item 7): marked after the visit, corrected by the coordinator,
counted on the coordinator's list only (docs/people.md)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories as f
from visits.choices import VisitStatus
from volunteers.choices import Attendance
from volunteers.models import Assignment
from volunteers.people_services import attendance_mark

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def vera(volunteer_user):
    return volunteer_user.volunteer


@pytest.fixture
def team(stop, centre, vera):
    """Yesterday's café: Vera checked in, Bo did not, Carl reported it."""
    visit = f.make_visit(stop, date=YESTERDAY)
    carl_user = f.make_user("carl")
    carl = f.make_volunteer(centre, user=carl_user, name="Carl")
    bo = f.make_volunteer(centre, name="Bo")
    f.make_assignment(visit, vera, checked_in_at=timezone.now() - dt.timedelta(days=1))
    f.make_assignment(visit, bo)
    f.make_assignment(visit, carl)
    f.make_report(visit, submitted_by=carl_user)
    return visit, {"vera": vera, "bo": bo, "carl": carl}


def attendance(visit) -> dict[str, str]:
    return {a.volunteer.name: a.attendance for a in visit.assignments.select_related("volunteer")}


def test_who_neither_checked_in_nor_reported_is_a_no_show(team):
    visit, _people = team
    assert attendance_mark() == (2, 1)
    assert attendance(visit) == {
        "Vera Frivillig": Attendance.PRESENT,
        "Bo": Attendance.NO_SHOW,
        "Carl": Attendance.PRESENT,
    }


def test_the_command_is_idempotent(team, capsys):
    call_command("mark_no_shows")
    assert "marked present: 2, marked no-show: 1" in capsys.readouterr().out
    call_command("mark_no_shows")
    assert "marked present: 0, marked no-show: 0" in capsys.readouterr().out


def test_today_cancelled_and_old_visits_are_left_alone(stop, vera):
    today = f.make_assignment(f.make_visit(stop, date=TODAY), vera)
    cancelled = f.make_assignment(
        f.make_visit(stop, date=YESTERDAY, status=VisitStatus.CANCELLED, cancel_reason="Sne"),
        vera,
    )
    old = f.make_assignment(f.make_visit(stop, date=TODAY - dt.timedelta(days=30)), vera)
    attendance_mark(days=14)
    for assignment in (today, cancelled, old):
        assignment.refresh_from_db()
        assert assignment.attendance == Attendance.UNKNOWN


def test_a_late_check_in_turns_the_marked_no_show_into_present(team):
    visit, people = team
    attendance_mark()
    Assignment.objects.filter(volunteer=people["bo"]).update(checked_in_at=timezone.now())
    attendance_mark()
    assert attendance(visit)["Bo"] == Attendance.PRESENT


def test_a_coordinators_correction_stands_against_later_runs(client, coordinator, centre, team):
    visit, people = team
    attendance_mark()
    bo = Assignment.objects.get(visit=visit, volunteer=people["bo"])
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/volunteers/{people['bo'].pk}/attendance/{bo.pk}/"
    assert client.post(url, {"attendance": "present"}).status_code == 302
    attendance_mark()
    bo.refresh_from_db()
    assert (bo.attendance, bo.attendance_set_by) == (Attendance.PRESENT, coordinator)


def test_attendance_of_a_coming_visit_cannot_be_set(client, coordinator, centre, stop, vera):
    coming = f.make_assignment(f.make_visit(stop, date=TODAY + dt.timedelta(days=2)), vera)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/volunteers/{vera.pk}/attendance/{coming.pk}/",
        {"attendance": "no_show"},
        follow=True,
    )
    assert "Fremmøde markeres efter besøgets dag." in response.text
    coming.refresh_from_db()
    assert coming.attendance == Attendance.UNKNOWN


def test_a_report_for_a_past_visit_marks_its_team_at_once(
    client, volunteer_user, stop, vera, centre
):
    visit = f.make_visit(stop, date=YESTERDAY)
    f.make_assignment(visit, vera)
    f.make_assignment(visit, f.make_volunteer(centre, name="Bo"))
    client.force_login(volunteer_user)
    response = client.post(
        f"/visits/{visit.pk}/report/",
        {"submission_id": str(uuid.uuid4()), "people_met": 6},
    )
    assert response.status_code == 302
    assert attendance(visit) == {"Vera Frivillig": Attendance.PRESENT, "Bo": Attendance.NO_SHOW}


def test_a_report_through_the_api_marks_the_team_too(client, coordinator, stop, vera):
    visit = f.make_visit(stop, date=YESTERDAY)
    f.make_assignment(visit, vera)
    client.force_login(coordinator)
    response = client.put(
        f"/api/v1/visits/{visit.pk}/report/",
        {"submission_id": str(uuid.uuid4()), "people_met": 6},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert attendance(visit) == {"Vera Frivillig": Attendance.NO_SHOW}


def test_the_coordinators_list_counts_no_shows_of_90_days(client, coordinator, centre, team, stop):
    _visit, people = team
    long_ago = f.make_visit(stop, date=TODAY - dt.timedelta(days=120))
    f.make_assignment(long_ago, people["bo"], attendance=Attendance.NO_SHOW)
    attendance_mark()
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/volunteers/").text
    assert "Udeblivelser, 90 dage" in text
    row = text[text.index(">Bo<") :]
    assert '<td class="no-shows">1</td>' in row[: row.index("</tr>")]


def test_a_volunteer_never_sees_no_shows(client, volunteer_user, team):
    attendance_mark()
    client.force_login(volunteer_user)
    for url in (
        "/today/",
        "/profile/",
        "/profile/absences/",
        "/today/bundle.json",
        "/api/v1/visits/",
        "/api/v1/absences/",
        "/api/v1/qualifications/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for word in ("no_show", "Udeblev", "attendance", "Fremmøde", "Udeblivelser"):
            assert word not in text, (url, word)
    centre_id = volunteer_user.volunteer.home_centre_id
    assert client.get(f"/centres/{centre_id}/volunteers/").status_code == 404
