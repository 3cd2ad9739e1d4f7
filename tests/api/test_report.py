"""PUT/GET /api/v1/visits/{id}/report/: the report contract of DESIGN.md over HTTP."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories as f
from tests.api.conftest import YESTERDAY, client_for
from visits.choices import VisitStatus
from visits.models import ReportReferral, VisitReport

TAKEN_BY_ANOTHER_VISIT = (
    "Dette indsendelses-id hører til et andet besøg; send rapporten igen som ny."
)


def url(visit) -> str:
    return f"/api/v1/visits/{visit.pk}/report/"


def body(**fields) -> dict:
    return {"submission_id": str(uuid.uuid4()), "people_met": 12, "new_people": 2, **fields}


def test_a_volunteer_reports_a_visit_and_gets_201(api, volunteer_user, visit, debt):
    sent = body(meals=11, referrals=[{"service_type": debt.pk, "count": 2}])
    response = api(volunteer_user).put(url(visit), sent, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["people_met"] == 12
    assert data["meals"] == 11
    assert data["version"] == 1
    assert data["referrals"] == [{"service_type": debt.pk, "count": 2}]
    assert data["submission_id"] == sent["submission_id"]
    assert data["can_replace"] is True
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD


def test_the_same_submission_again_answers_200_with_the_stored_report(api, volunteer_user, visit):
    client = api(volunteer_user)
    sent = body()
    first = client.put(url(visit), sent, format="json")
    again = client.put(url(visit), sent, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert VisitReport.objects.count() == 1


def test_a_different_submission_is_a_409_with_the_stored_report(api, volunteer_user, visit):
    client = api(volunteer_user)
    client.put(url(visit), body(people_met=12), format="json")
    response = client.put(url(visit), body(people_met=30), format="json")
    assert response.status_code == 409
    data = response.json()
    assert "allerede en rapport" in data["detail"]
    assert data["report"]["people_met"] == 12
    assert data["report"]["version"] == 1
    assert VisitReport.objects.get().people_met == 12


def test_naming_the_version_replaces_the_report_with_200(api, coordinator, visit, debt):
    client = api(coordinator)
    client.put(url(visit), body(referrals=[{"service_type": debt.pk, "count": 1}]), format="json")
    response = client.put(url(visit), body(people_met=9, new_people=0, version=1), format="json")
    assert response.status_code == 200
    assert (response.json()["people_met"], response.json()["version"]) == (9, 2)
    assert response.json()["referrals"] == []
    assert not ReportReferral.objects.exists()


def test_naming_an_old_version_is_a_409(api, coordinator, visit):
    client = api(coordinator)
    client.put(url(visit), body(), format="json")
    client.put(url(visit), body(people_met=5, new_people=0, version=1), format="json")
    response = client.put(url(visit), body(people_met=6, new_people=0, version=1), format="json")
    assert response.status_code == 409
    assert response.json()["report"]["version"] == 2
    assert VisitReport.objects.get().people_met == 5


def test_a_volunteer_may_not_correct_a_report_after_seven_days(api, volunteer_user, visit):
    f.make_report(
        visit,
        submitted_by=volunteer_user,
        submitted_at=timezone.now() - dt.timedelta(days=8),
    )
    response = api(volunteer_user).put(url(visit), body(version=1), format="json")
    assert response.status_code == 403
    assert "7 dage" in response.json()["detail"]
    assert VisitReport.objects.get().people_met == 10


def test_leadership_reads_the_report_but_may_not_report(api, leader, visit):
    f.make_report(visit, people_met=7, new_people=0)
    client = api(leader)
    assert client.get(url(visit)).json()["people_met"] == 7
    response = client.put(url(visit), body(), format="json")
    assert response.status_code == 403
    assert VisitReport.objects.get().people_met == 7


def test_a_coordinator_of_another_centre_gets_404_and_nothing_is_written(
    api, other_coordinator, visit
):
    response = api(other_coordinator).put(url(visit), body(), format="json")
    assert response.status_code == 404
    assert api(other_coordinator).get(url(visit)).status_code == 404
    assert not VisitReport.objects.exists()


def test_a_visit_without_a_report_answers_404_that_says_so(api, volunteer_user, visit):
    response = api(volunteer_user).get(url(visit))
    assert response.status_code == 404
    assert response.json()["detail"] == "Besøget har ingen rapport endnu."


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"people_met": -1}, "people_met"),
        ({"people_met": 10**30}, "people_met"),
        ({"people_met": "many"}, "people_met"),
        ({"meals": 2001}, "meals"),
        ({"submission_id": "not-a-uuid"}, "submission_id"),
        ({"note": "x" * 501}, "note"),
        ({"referrals": [{"service_type": 10**30, "count": 1}]}, "referrals"),
        ({"referrals": [{"service_type": 1, "count": 101}]}, "referrals"),
        ({"referrals": "lots"}, "referrals"),
        ({"version": 0}, "version"),
    ],
)
def test_bad_numbers_are_a_400_naming_the_field(api, volunteer_user, visit, fields, field):
    response = api(volunteer_user).put(url(visit), body(**fields), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not VisitReport.objects.exists()


def test_more_new_people_than_people_met_is_a_400(api, volunteer_user, visit):
    response = api(volunteer_user).put(url(visit), body(people_met=2, new_people=3), format="json")
    assert response.status_code == 400
    assert "Heraf nye" in str(response.json()) or "overstige" in str(response.json())
    assert not VisitReport.objects.exists()


def test_an_unknown_service_type_is_a_400(api, volunteer_user, visit):
    sent = body(referrals=[{"service_type": 999999, "count": 1}])
    response = api(volunteer_user).put(url(visit), sent, format="json")
    assert response.status_code == 400
    assert "referrals" in response.json()


def test_a_service_type_named_twice_is_a_400(api, volunteer_user, visit, debt):
    twice = [{"service_type": debt.pk, "count": 1}, {"service_type": debt.pk, "count": 2}]
    response = api(volunteer_user).put(url(visit), body(referrals=twice), format="json")
    assert response.status_code == 400
    assert not VisitReport.objects.exists()


def test_a_future_visit_cannot_be_reported(api, volunteer_user, stop):
    tomorrow = f.make_visit(stop, date=timezone.localdate() + dt.timedelta(days=1))
    response = api(volunteer_user).put(url(tomorrow), body(), format="json")
    assert response.status_code == 400
    assert not VisitReport.objects.exists()


def test_the_report_call_costs_the_same_with_many_referrals(api, coordinator, visit):
    """Guards against a query per referral when a report is read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    types = [f.make_service_type() for _ in range(6)]
    report = f.make_report(visit)
    for service_type in types:
        ReportReferral.objects.create(report=report, service_type=service_type, count=1)
    client = api(coordinator)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(visit)).status_code == 200
    ReportReferral.objects.filter(service_type__in=types[1:]).delete()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(visit)).status_code == 200
    assert len(many) == len(one)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_one_submission_id_put_to_two_visits_at_once_is_a_danish_409(stop, volunteer_user):
    from tests.concurrency import at_once

    clients = [client_for(volunteer_user), client_for(volunteer_user)]
    for _round in range(10):
        visits = [f.make_visit(stop, date=YESTERDAY), f.make_visit(stop, date=YESTERDAY)]
        sent = {"submission_id": str(uuid.uuid4()), "people_met": 12}
        responses = at_once(
            *[
                lambda c=c, v=v, s=sent: c.put(f"/api/v1/visits/{v.pk}/report/", s, format="json")
                for c, v in zip(clients, visits, strict=True)
            ]
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        refused = next(r for r in responses if r.status_code == 409)
        assert refused.json() == {"detail": TAKEN_BY_ANOTHER_VISIT, "report": None}
        assert VisitReport.objects.filter(submission_id=sent["submission_id"]).count() == 1
