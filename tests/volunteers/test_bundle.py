"""
The phone's kept data (/today/bundle.json): what Today and the report forms are
drawn from without signal, fetched again only when it changed (ETag).
"""

import datetime as dt

import pytest

from tests import factories as f
from visits.choices import VisitStatus

from .conftest import TODAY


@pytest.fixture
def week(stop, vera, centre):
    """Vera's shifts: one unreported last week, one reported, today, tomorrow, in 9 days."""
    stop.access_notes = "Nøglen hænger i skuret"
    stop.address = "Skolevej 3"
    stop.save()
    unreported = f.make_visit(stop, date=TODAY - dt.timedelta(days=3))
    reported = f.make_visit(stop, date=TODAY - dt.timedelta(days=2))
    today = f.make_visit(stop, date=TODAY)
    tomorrow = f.make_visit(stop, date=TODAY + dt.timedelta(days=1))
    far = f.make_visit(stop, date=TODAY + dt.timedelta(days=9))
    for visit in (unreported, reported, today, tomorrow, far):
        f.make_assignment(visit, vera)
    f.make_assignment(tomorrow, f.make_volunteer(centre, name="Anne Hansen"), role="driver")
    f.make_report(reported, people_met=4, submitted_by=vera.user)
    return unreported, reported, today, tomorrow, far


def test_it_holds_the_coming_week_and_last_weeks_unreported_shifts(
    client, volunteer_user, week, debt
):
    unreported, _reported, today, tomorrow, _far = week
    client.force_login(volunteer_user)
    bundle = client.get("/today/bundle.json").json()
    by_id = {shift["id"]: shift for shift in bundle["shifts"]}
    assert set(by_id) == {unreported.pk, today.pk, tomorrow.pk}
    shift = by_id[tomorrow.pk]
    assert shift["date"] == tomorrow.date.isoformat()
    assert shift["community"] == tomorrow.stop.community
    assert shift["accessNotes"] == "Nøglen hænger i skuret"
    assert shift["maps"]["geo"].startswith("geo:56.1")
    assert {"name": "Anne Hansen", "role": "chauffør", "me": False} in shift["team"]
    assert shift["reportUrl"] == f"/visits/{tomorrow.pk}/report/"
    assert shift["suggestedMinutes"] == tomorrow.duration_minutes * 2
    # The report form's limits and kinds of help, as the kept form checks them.
    counts = {field["name"]: field["max"] for field in bundle["form"]["counts"]}
    assert counts["people_met"] > 0
    assert [r["id"] for r in bundle["form"]["referrals"]] == [debt.pk]
    assert bundle["texts"]["writeReport"] == "Skriv rapport"


def test_a_phone_with_the_same_version_gets_304(client, volunteer_user, week):
    client.force_login(volunteer_user)
    first = client.get("/today/bundle.json")
    etag = first["ETag"]
    assert etag == f'"{first.json()["version"]}"'
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get("/today/bundle.json", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_a_change_gives_a_new_version(client, volunteer_user, week):
    _unreported, _reported, today, _tomorrow, _far = week
    client.force_login(volunteer_user)
    etag = client.get("/today/bundle.json")["ETag"]
    today.status = VisitStatus.CANCELLED
    today.save()
    response = client.get("/today/bundle.json", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    cancelled = next(s for s in response.json()["shifts"] if s["id"] == today.pk)
    assert cancelled["cancelled"] is True


def test_a_correctable_report_is_kept_with_its_figures(client, volunteer_user, stop, vera, debt):
    visit = f.make_visit(stop, date=TODAY)
    f.make_assignment(visit, vera)
    report = f.make_report(visit, people_met=7, meals=5, submitted_by=vera.user)
    report.referrals.create(service_type=debt, count=2)
    client.force_login(volunteer_user)
    shift = client.get("/today/bundle.json").json()["shifts"][0]
    assert shift["report"]["canEdit"] is True
    assert (shift["report"]["people_met"], shift["report"]["version"]) == (7, 1)
    assert shift["report"]["referrals"] == [{"service_type": debt.pk, "count": 2}]


def test_it_is_for_logged_in_volunteers_only(client, coordinator, db):
    response = client.get("/today/bundle.json", headers={"accept": "application/json"})
    assert response.status_code == 401
    client.force_login(coordinator)
    assert client.get("/today/bundle.json").status_code == 404


def test_another_centres_visit_is_never_in_it(client, volunteer_user, other_stop, vera):
    foreign = f.make_visit(other_stop, date=TODAY)
    f.make_assignment(foreign, vera)
    client.force_login(volunteer_user)
    assert client.get("/today/bundle.json").json()["shifts"] == []


def test_its_queries_do_not_grow_with_the_shifts(
    client, volunteer_user, week, django_assert_num_queries
):
    client.force_login(volunteer_user)
    # 1 session, 2 user, 3 volunteer with centre, 4 my visits with stop and report,
    # 5 their teams, 6 the reports' referrals, 7 the centre's other cafés today,
    # 8 their teams, 9 the usual ranges of their stops (the last held cafés' reports
    # per stop and per centre, one window query), 10 the active service types
    with django_assert_num_queries(10):
        assert client.get("/today/bundle.json").status_code == 200


def test_the_report_form_shell_is_kept_for_any_shift(client, volunteer_user, debt):
    client.force_login(volunteer_user)
    html = client.get("/visits/report-form/").text
    assert "data-shell" in html
    assert f'name="referral_{debt.pk}"' in html
    assert 'id="shell-missing"' in html
