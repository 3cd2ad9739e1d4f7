"""
A submission id is no key to another centre's records: sent to one's own visit or
centre, another centre's submission id answers 409 at every door (the API, the
phone's JSON, the HTML forms) with nothing from outside the sender's reach, and
writes nothing.
"""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from tests import factories as f
from tests.api.conftest import client_for
from visits.models import HomeVisit, VisitReport

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)
SECRET = "Kun for Skjern"


@pytest.fixture
def foreign_report(other_stop, other_coordinator):
    """Skjern's report, with a note and numbers no one at Nykøbing Mors may read."""
    visit = f.make_visit(other_stop, date=YESTERDAY)
    return f.make_report(
        visit, people_met=37, new_people=29, note=SECRET, submitted_by=other_coordinator
    )


@pytest.fixture
def foreign_home_visit(other_centre, other_coordinator):
    return HomeVisit.objects.create(
        centre=other_centre,
        date=YESTERDAY,
        duration_minutes=47,
        note=SECRET,
        submission_id=uuid.uuid4(),
        submitted_by=other_coordinator,
    )


def report_body(submission_id) -> dict:
    return {"submission_id": str(submission_id), "people_met": 12, "new_people": 2}


def assert_report_unchanged(foreign_report) -> None:
    assert VisitReport.objects.count() == 1
    stored = VisitReport.objects.get()
    assert (stored.pk, stored.people_met, stored.version) == (foreign_report.pk, 37, 1)


def test_the_api_answers_409_without_the_other_centres_report(
    volunteer_user, visit, foreign_report
):
    response = client_for(volunteer_user).put(
        f"/api/v1/visits/{visit.pk}/report/",
        report_body(foreign_report.submission_id),
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["report"] is None
    assert response.json()["detail"].startswith("Dette indsendelses-id hører til et andet besøg")
    assert SECRET not in response.text and "37" not in response.text
    assert_report_unchanged(foreign_report)


def test_the_phones_json_answers_409_without_the_other_centres_report(
    client, volunteer_user, visit, foreign_report
):
    client.force_login(volunteer_user)
    response = client.post(
        f"/visits/{visit.pk}/report/",
        data=json.dumps(report_body(foreign_report.submission_id)),
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 409
    assert response.json()["report"] is None
    assert SECRET not in response.text and "37" not in response.text
    assert_report_unchanged(foreign_report)


def test_the_report_form_answers_409_without_the_other_centres_report(
    client, volunteer_user, visit, foreign_report
):
    client.force_login(volunteer_user)
    data = {
        **dict.fromkeys(("meals", "food_bags", "clothing_items", "other_items"), "0"),
        **report_body(foreign_report.submission_id),
        "volunteer_minutes": "120",
    }
    response = client.post(f"/visits/{visit.pk}/report/", data)
    assert response.status_code == 409
    assert SECRET not in response.text
    assert ">37<" not in response.text and ">29<" not in response.text
    assert "Dette indsendelses-id hører til et andet besøg" in response.text
    # The form is ready to send again as a new submission, which then counts.
    assert str(foreign_report.submission_id) not in response.text
    fresh = response.context["form"]["submission_id"].value()
    response = client.post(f"/visits/{visit.pk}/report/", {**data, "submission_id": fresh})
    assert response.status_code == 302
    assert VisitReport.objects.filter(visit=visit, people_met=12).exists()


def home_visit_body(centre, submission_id) -> dict:
    return {
        "submission_id": str(submission_id),
        "centre": centre.pk,
        "date": YESTERDAY.isoformat(),
        "duration_minutes": 60,
        "note": "",
        "referrals": {},
    }


def test_the_phones_home_visit_door_answers_409_without_the_other_centres_visit(
    client, volunteer_user, centre, foreign_home_visit
):
    client.force_login(volunteer_user)
    response = client.post(
        "/home-visits/new/",
        data=json.dumps(home_visit_body(centre, foreign_home_visit.submission_id)),
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 409
    assert response.json()["home_visit"] is None
    assert SECRET not in response.text and "47" not in response.text
    assert list(HomeVisit.objects.all()) == [foreign_home_visit]


def test_the_apis_home_visit_door_answers_409_without_the_other_centres_visit(
    volunteer_user, centre, foreign_home_visit
):
    body = home_visit_body(centre, foreign_home_visit.submission_id)
    del body["referrals"]
    response = client_for(volunteer_user).post("/api/v1/home-visits/", body, format="json")
    assert response.status_code == 409
    assert response.json()["home_visit"] is None
    assert SECRET not in response.text and "47" not in response.text
    assert list(HomeVisit.objects.all()) == [foreign_home_visit]


def test_the_home_visit_form_answers_409_without_the_other_centres_visit(
    client, volunteer_user, centre, foreign_home_visit
):
    client.force_login(volunteer_user)
    response = client.post(
        "/home-visits/new/", home_visit_body(centre, foreign_home_visit.submission_id)
    )
    assert response.status_code == 409
    assert SECRET not in response.text
    assert "Dette indsendelses-id hører til et andet hjemmebesøg" in response.text
    assert list(HomeVisit.objects.all()) == [foreign_home_visit]


def test_a_conflict_never_carries_another_visits_report(visit, foreign_report):
    """The rule itself: a conflict shows only the named visit's own report."""
    from visits.services import ReportConflict

    with pytest.raises(ValueError):
        ReportConflict(foreign_report, "x", visit=visit)
