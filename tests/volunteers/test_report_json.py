"""
The report contract through the phone's JSON endpoint (POST /visits/<id>/report/
with JSON): 201, 200, 409, 400, 401, 403, 404, and nothing written on a refusal.
It takes and answers what the API takes and answers (PUT /api/v1/visits/<id>/report/).
"""

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests import factories as f
from tests.concurrency import at_once, raised
from visits.choices import VisitStatus
from visits.models import ReportReferral, VisitReport

from .conftest import TODAY, YESTERDAY


def post(client, visit, body, **extra):
    return client.post(
        f"/visits/{visit.pk}/report/",
        data=json.dumps(body) if not isinstance(body, str | bytes) else body,
        content_type="application/json",
        headers={"accept": "application/json"},
        **extra,
    )


def report(**fields):
    return {
        "submission_id": str(uuid.uuid4()),
        "people_met": 12,
        "new_people": 2,
        "meals": 11,
        "food_bags": 5,
        "clothing_items": 3,
        "other_items": 1,
        "volunteer_minutes": 240,
        "note": "Godt vejr, mange kom.",
        "referrals": [],
        **fields,
    }


def api_url(visit) -> str:
    return f"/api/v1/visits/{visit.pk}/report/"


def test_a_new_report_answers_201_with_the_stored_report(volunteer_client, visit, debt):
    body = report(referrals=[{"service_type": debt.pk, "count": 2}])
    response = post(volunteer_client, visit, body)
    assert response.status_code == 201
    data = response.json()
    assert data["people_met"] == 12
    assert data["version"] == 1
    assert data["referrals"] == [{"service_type": debt.pk, "count": 2}]
    assert data["submission_id"] == body["submission_id"]
    assert data["can_replace"] is True
    stored = VisitReport.objects.get(visit=visit)
    assert (stored.people_met, stored.new_people, stored.meals, stored.volunteer_minutes) == (
        12,
        2,
        11,
        240,
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD


def test_the_phone_gets_the_report_exactly_as_the_api_gives_it(volunteer_client, visit, debt):
    """One contract: the phone's answer is the API's representation of the report."""
    body = report(referrals=[{"service_type": debt.pk, "count": 2}])
    phone = post(volunteer_client, visit, body)
    api = volunteer_client.get(api_url(visit))
    assert (phone.status_code, api.status_code) == (201, 200)
    assert phone.json() == api.json()


def test_a_conflict_answers_the_phone_exactly_as_the_api(volunteer_client, visit):
    """409 is {"detail", "report"} on both doors, with the stored report inside."""
    post(volunteer_client, visit, report(people_met=12))
    other = report(people_met=9)
    phone = post(volunteer_client, visit, other)
    api = volunteer_client.put(
        api_url(visit), data=json.dumps(other), content_type="application/json"
    )
    assert (phone.status_code, api.status_code) == (409, 409)
    assert phone.json() == api.json()
    assert set(phone.json()) == {"detail", "report"}


def test_the_same_submission_again_answers_200_and_counts_once(volunteer_client, visit, debt):
    body = report(referrals=[{"service_type": debt.pk, "count": 1}])
    first = post(volunteer_client, visit, body)
    again = post(volunteer_client, visit, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert VisitReport.objects.count() == 1
    assert ReportReferral.objects.get().count == 1


def test_a_replay_with_other_numbers_answers_409_and_changes_nothing(volunteer_client, visit):
    body = report(people_met=12)
    post(volunteer_client, visit, body)
    response = post(volunteer_client, visit, {**body, "people_met": 40})
    assert response.status_code == 409
    assert response.json()["report"]["people_met"] == 12
    assert "andre tal" in response.json()["detail"]
    assert VisitReport.objects.get().people_met == 12


def test_a_second_report_for_the_visit_answers_409_with_the_stored_one(volunteer_client, visit):
    post(volunteer_client, visit, report(people_met=12))
    response = post(volunteer_client, visit, report(people_met=9))
    assert response.status_code == 409
    data = response.json()
    assert (data["report"]["people_met"], data["report"]["version"]) == (12, 1)
    assert data["report"]["can_replace"] is True
    assert "allerede en rapport" in data["detail"]
    assert VisitReport.objects.get().people_met == 12


def test_naming_the_stored_version_replaces_it_with_200(volunteer_client, visit, debt, nurse):
    first = [{"service_type": debt.pk, "count": 1}]
    post(volunteer_client, visit, report(people_met=12, referrals=first))
    then = [{"service_type": nurse.pk, "count": 3}]
    response = post(volunteer_client, visit, report(people_met=9, version=1, referrals=then))
    assert response.status_code == 200
    assert (response.json()["people_met"], response.json()["version"]) == (9, 2)
    # The answer holds the referrals now stored, not the replaced ones.
    assert response.json()["referrals"] == then
    assert VisitReport.objects.get().people_met == 9


def test_a_report_queued_before_the_phone_spoke_the_apis_shape_still_counts(
    volunteer_client, visit, debt
):
    """Items wait on a phone for days: the old shape (referrals by id, replaces_version) works."""
    post(volunteer_client, visit, report(people_met=12))
    old = report(people_met=9, referrals={str(debt.pk): 2}, version=1)
    response = post(volunteer_client, visit, old)
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["referrals"] == [{"service_type": debt.pk, "count": 2}]
    assert VisitReport.objects.get().people_met == 9


def test_a_correction_after_seven_days_answers_403(volunteer_client, visit):
    post(volunteer_client, visit, report(people_met=12))
    VisitReport.objects.update(submitted_at=timezone.now() - dt.timedelta(days=8))
    response = post(volunteer_client, visit, report(people_met=9, version=1))
    assert response.status_code == 403
    assert "7 dage" in response.json()["detail"]
    assert VisitReport.objects.get().people_met == 12


def test_a_volunteer_cannot_replace_a_colleagues_report(client, visit, centre, volunteer_user):
    client.force_login(volunteer_user)
    post(client, visit, report(people_met=12))
    colleague = f.make_user("colleague")
    f.make_volunteer(centre, user=colleague)
    client.force_login(colleague)
    conflict = post(client, visit, report(people_met=3))
    assert conflict.status_code == 409
    assert conflict.json()["report"]["can_replace"] is False
    refused = post(client, visit, report(people_met=3, version=1))
    assert refused.status_code == 403
    assert VisitReport.objects.get().people_met == 12


def test_a_coordinator_of_the_centre_may_replace_any_report(
    client, visit, volunteer_user, coordinator
):
    client.force_login(volunteer_user)
    post(client, visit, report(people_met=12))
    VisitReport.objects.update(submitted_at=timezone.now() - dt.timedelta(days=30))
    client.force_login(coordinator)
    response = post(client, visit, report(people_met=13, version=1))
    assert response.status_code == 200
    assert VisitReport.objects.get().people_met == 13


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("people_met", "abc"),
        ("people_met", -1),
        ("people_met", 100000),
        ("people_met", 1.5),
        ("people_met", True),
        ("people_met", [1]),
        ("new_people", 13),
        ("meals", {"a": 1}),
        ("food_bags", "1e3"),
        ("clothing_items", -5),
        ("other_items", 2001),
        ("volunteer_minutes", 24 * 60 + 1),
        ("note", "x" * 501),
        ("note", "Hans, cpr 010203-1234"),
        ("note", "ring til 12 34 56 78"),
        ("note", {"text": "hi"}),
        ("submission_id", "not-a-uuid"),
        ("submission_id", None),
        ("version", "one"),
        ("version", 0),
        ("referrals", [1, 2]),
        ("referrals", "1"),
        ("referrals", [{"service_type": 999999, "count": 1}]),
        ("referrals", [{"service_type": "abc", "count": 1}]),
        ("referrals", [{"service_type": 1}]),
        ("referrals", {"999999": 1}),
        ("referrals", {"abc": 1}),
    ],
)
def test_garbage_in_any_field_answers_400_in_danish_and_writes_nothing(
    volunteer_client, visit, field, value
):
    response = post(volunteer_client, visit, report(**{field: value}))
    assert response.status_code == 400
    data = response.json()
    assert data["detail"]
    assert field in data["errors"] or "referral" in json.dumps(data["errors"])
    assert not VisitReport.objects.exists()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_referral_counts_outside_the_limits_answer_400(volunteer_client, visit, debt):
    for count in (-1, 101, "x"):
        referrals = [{"service_type": debt.pk, "count": count}]
        response = post(volunteer_client, visit, report(referrals=referrals))
        assert response.status_code == 400
        assert f"referral_{debt.pk}" in response.json()["errors"]
    assert not ReportReferral.objects.exists()


def test_a_service_type_named_twice_answers_400(volunteer_client, visit, debt):
    twice = [{"service_type": debt.pk, "count": 1}, {"service_type": debt.pk, "count": 2}]
    response = post(volunteer_client, visit, report(referrals=twice))
    assert response.status_code == 400
    assert response.json()["errors"]["referrals"] == ["Hver type hjælp må kun nævnes én gang."]
    assert not VisitReport.objects.exists()


def test_the_messages_are_danish(volunteer_client, visit):
    response = post(volunteer_client, visit, report(people_met=3, new_people=4))
    assert response.json()["errors"]["new_people"] == [
        "“Heraf nye” kan ikke være flere end “mødte mennesker”."
    ]
    response = post(volunteer_client, visit, report(people_met=-3))
    assert response.json()["errors"]["people_met"] == ["Tallet kan ikke være negativt."]


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_body_that_is_no_json_object_answers_400(volunteer_client, visit, body):
    response = post(volunteer_client, visit, body)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not VisitReport.objects.exists()


def test_a_cancelled_visit_answers_400(volunteer_client, visit):
    visit.status = VisitStatus.CANCELLED
    visit.save()
    response = post(volunteer_client, visit, report())
    assert response.status_code == 400
    assert "aflyst" in response.json()["detail"]
    assert not VisitReport.objects.exists()


def test_a_future_visit_answers_400(volunteer_client, stop):
    future = f.make_visit(stop, date=TODAY + dt.timedelta(days=2))
    response = post(volunteer_client, future, report())
    assert response.status_code == 400
    assert "ikke fundet sted" in response.json()["detail"]
    assert not VisitReport.objects.exists()


def test_todays_visit_can_be_reported(volunteer_client, stop):
    today = f.make_visit(stop, date=TODAY)
    assert post(volunteer_client, today, report()).status_code == 201


def test_another_centres_visit_answers_404(volunteer_client, other_visit):
    response = post(volunteer_client, other_visit, report())
    assert response.status_code == 404
    assert response.json()["detail"]
    assert not VisitReport.objects.exists()


def test_an_unknown_visit_answers_404(volunteer_client, db):
    response = volunteer_client.post(
        "/visits/987654/report/",
        data=json.dumps(report()),
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 404


def test_a_coordinator_of_another_centre_gets_404(client, visit, other_coordinator):
    client.force_login(other_coordinator)
    assert post(client, visit, report()).status_code == 404


def test_leadership_gets_403_and_nothing_is_written(client, visit, leader):
    client.force_login(leader)
    response = post(client, visit, report())
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not VisitReport.objects.exists()


def test_an_administrator_may_report(client, visit, admin_user):
    client.force_login(admin_user)
    assert post(client, visit, report()).status_code == 201


def test_a_logged_out_phone_gets_401_not_a_login_page(client, visit):
    response = post(client, visit, report())
    assert response.status_code == 401
    assert "Log ind" in response.json()["detail"]
    assert not VisitReport.objects.exists()


def test_without_the_csrf_token_nothing_is_written(visit, volunteer_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer_user)
    response = post(client, visit, report())
    assert response.status_code == 403
    assert not VisitReport.objects.exists()


def test_with_the_csrf_header_the_phone_gets_through(visit, volunteer_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer_user)
    client.get("/today/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/visits/{visit.pk}/report/",
        data=json.dumps(report()),
        content_type="application/json",
        headers={"accept": "application/json", "x-csrftoken": token},
    )
    assert response.status_code == 201


def test_other_methods_are_refused(volunteer_client, visit):
    assert volunteer_client.put(f"/visits/{visit.pk}/report/").status_code == 405
    assert not VisitReport.objects.exists()


def test_history_keeps_who_changed_what_and_when(client, visit, volunteer_user, coordinator, debt):
    """Totals can be traced: every version of a report stays, with who and when."""
    client.force_login(volunteer_user)
    post(client, visit, report(people_met=12, referrals=[{"service_type": debt.pk, "count": 2}]))
    client.force_login(coordinator)
    corrected = report(people_met=14, referrals=[{"service_type": debt.pk, "count": 1}], version=1)
    post(client, visit, corrected)
    stored = VisitReport.objects.get()
    history = list(stored.history.order_by("history_date"))
    assert [h.people_met for h in history] == [12, 14]
    assert [h.history_user for h in history] == [volunteer_user, coordinator]
    assert history[0].history_date < history[1].history_date
    assert [h.version for h in history] == [1, 2]
    referral_history = ReportReferral.history.filter(service_type=debt).order_by("history_date")
    assert [(h.count, h.history_type) for h in referral_history] == [(2, "+"), (2, "-"), (1, "+")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_through_http_at_once_store_one_report(stop, volunteer_user):
    from volunteers.models import Volunteer

    visit = f.make_visit(stop, date=YESTERDAY)
    f.make_assignment(visit, Volunteer.objects.get(user=volunteer_user))
    body = report()
    clients = [Client() for _ in range(4)]
    for client in clients:
        client.force_login(volunteer_user)
    statuses = at_once(*[lambda c=c: post(c, visit, body).status_code for c in clients])
    assert raised(statuses) == []
    assert sorted(statuses) == [200, 200, 200, 201]
    assert VisitReport.objects.filter(visit=visit).count() == 1
