"""
Numbers, ids and dates as people mean them, at every door: counts and durations
in the digits 0–9 only (not "١٢" or "１２", which int() reads as 12), submission ids
written out as UUIDs (not the JSON 12 or true), home visits dated within a year.
Each is a 400 (200 with the form's error in the admin) with a Danish message, and
nothing is written.
"""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from tests import factories as f
from tests.api.conftest import client_for
from tests.visits.test_notes_without_personal_data import home_visit, post_json, report
from visits.models import HomeVisit, VisitPattern, VisitReport
from volunteers.models import Volunteer

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)
OTHER_DIGITS = ["١٢", "１２", "۱۲", "1٢"]  # Arabic-Indic, full-width, Persian, mixed
DIGITS_MESSAGE = "Skriv tallet med cifrene 0–9."
NOT_UUIDS = [True, False, 12, "12", f"{{{uuid.uuid4()}}}", uuid.uuid4().hex]


@pytest.fixture
def visit(stop, volunteer_user):
    visit = f.make_visit(stop, date=YESTERDAY)
    f.make_assignment(visit, Volunteer.objects.get(user=volunteer_user))
    return visit


def api_home_visit(user, centre, **fields):
    return client_for(user).post(
        "/api/v1/home-visits/", home_visit(centre, **fields), format="json"
    )


def new_pattern(client, centre, stop, **fields):
    data = {
        "weekday": 3,
        "start_time": "13:30",
        "duration_minutes": 90,
        "every_n_weeks": 1,
        "valid_from": timezone.localdate().isoformat(),
        **fields,
    }
    return client.post(f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/", data)


# Counts and durations ---------------------------------------------------------


@pytest.mark.parametrize("typed", OTHER_DIGITS)
def test_the_api_refuses_counts_in_other_digits(volunteer_user, visit, typed):
    api = client_for(volunteer_user)
    url = f"/api/v1/visits/{visit.pk}/report/"
    response = api.put(url, report(people_met=typed), format="json")
    assert response.status_code == 400
    assert response.json()["people_met"] == [DIGITS_MESSAGE]
    referral = report(referrals=[{"service_type": f.make_service_type().pk, "count": typed}])
    assert api.put(url, referral, format="json").status_code == 400
    assert not VisitReport.objects.exists()


@pytest.mark.parametrize("typed", OTHER_DIGITS)
def test_the_api_refuses_home_visit_durations_in_other_digits(volunteer_user, centre, typed):
    response = api_home_visit(volunteer_user, centre, duration_minutes=typed)
    assert response.status_code == 400
    assert response.json()["duration_minutes"] == [DIGITS_MESSAGE]
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize("typed", OTHER_DIGITS)
def test_the_phone_refuses_counts_and_durations_in_other_digits(
    client, volunteer_user, visit, centre, typed
):
    client.force_login(volunteer_user)
    response = post_json(client, f"/visits/{visit.pk}/report/", report(meals=typed))
    assert response.status_code == 400
    assert DIGITS_MESSAGE in json.dumps(response.json(), ensure_ascii=False)
    response = post_json(client, "/home-visits/new/", home_visit(centre, duration_minutes=typed))
    assert response.status_code == 400
    assert not VisitReport.objects.exists() and not HomeVisit.objects.exists()


def test_the_report_form_refuses_counts_in_other_digits(client, volunteer_user, visit):
    client.force_login(volunteer_user)
    data = {**report(people_met="１２"), "volunteer_minutes": "٦٠"}
    response = client.post(f"/visits/{visit.pk}/report/", data)
    assert response.status_code == 400
    assert response.text.count(DIGITS_MESSAGE) == 2
    assert not VisitReport.objects.exists()


def test_the_pattern_form_refuses_a_duration_in_other_digits(client, coordinator, centre, stop):
    client.force_login(coordinator)
    response = new_pattern(client, centre, stop, duration_minutes="٩٠", every_n_weeks="١")
    assert response.status_code == 400
    assert response.text.count(DIGITS_MESSAGE) == 2
    assert not VisitPattern.objects.exists()


def test_the_admin_refuses_numbers_and_ids_in_other_digits(admin_client, stop):
    response = admin_client.post(
        "/admin/visits/visitpattern/add/",
        {
            "stop": "".join(chr(0x660 + int(digit)) for digit in str(stop.pk)),
            "weekday": 2,
            "start_time": "10:00",
            "duration_minutes": "１２０",
            "every_n_weeks": 1,
            "valid_from": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert response.text.count(DIGITS_MESSAGE) == 2
    assert not VisitPattern.objects.exists()


def test_the_admins_inlines_refuse_numbers_in_other_digits(admin_client, stop):
    """A referral count typed on a report's page (an inline) is checked too."""
    report = f.make_report(f.make_visit(stop, date=YESTERDAY))
    service_type = f.make_service_type()
    page = admin_client.get(f"/admin/visits/visitreport/{report.pk}/change/")
    inline = page.context["inline_admin_formsets"][0].formset
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None} | {
        f"{inline.prefix}-TOTAL_FORMS": 1,
        f"{inline.prefix}-INITIAL_FORMS": 0,
        f"{inline.prefix}-0-service_type": service_type.pk,
        f"{inline.prefix}-0-count": "٣",
    }
    response = admin_client.post(f"/admin/visits/visitreport/{report.pk}/change/", data)
    assert response.status_code == 200
    assert DIGITS_MESSAGE in response.text
    assert not report.referrals.exists()


# Submission ids -------------------------------------------------------------


@pytest.mark.parametrize("given", NOT_UUIDS, ids=repr)
def test_a_submission_id_must_be_a_uuid_at_the_api(volunteer_user, visit, centre, given):
    api = client_for(volunteer_user)
    response = api.put(
        f"/api/v1/visits/{visit.pk}/report/", report(submission_id=given), format="json"
    )
    assert response.status_code == 400
    assert response.json()["submission_id"][0].startswith("Skal være et UUID")
    response = api.post(
        "/api/v1/home-visits/", home_visit(centre, submission_id=given), format="json"
    )
    assert response.status_code == 400
    assert not VisitReport.objects.exists() and not HomeVisit.objects.exists()


@pytest.mark.parametrize("given", NOT_UUIDS, ids=repr)
def test_a_submission_id_must_be_a_uuid_on_the_phone(client, volunteer_user, visit, centre, given):
    client.force_login(volunteer_user)
    response = post_json(client, f"/visits/{visit.pk}/report/", report(submission_id=given))
    assert response.status_code == 400
    response = post_json(client, "/home-visits/new/", home_visit(centre, submission_id=given))
    assert response.status_code == 400
    assert not VisitReport.objects.exists() and not HomeVisit.objects.exists()


# Home visit dates -----------------------------------------------------------


TOO_OLD = ["0001-01-01", (timezone.localdate() - dt.timedelta(days=400)).isoformat()]


@pytest.mark.parametrize("date", TOO_OLD)
def test_a_home_visit_is_dated_within_a_year_at_every_door(client, volunteer_user, centre, date):
    message = "Et hjemmebesøg logges inden for et år; datoen ligger for langt tilbage."
    response = api_home_visit(volunteer_user, centre, date=date)
    assert (response.status_code, response.json()["date"]) == (400, [message])
    client.force_login(volunteer_user)
    response = post_json(client, "/home-visits/new/", home_visit(centre, date=date))
    assert response.status_code == 400
    assert response.json()["detail"] == message
    response = client.post("/home-visits/new/", home_visit(centre, date=date))
    assert response.status_code == 400
    assert message in response.text
    assert not HomeVisit.objects.exists()


def test_a_home_visit_a_few_months_back_is_still_logged(client, volunteer_user, centre):
    date = (timezone.localdate() - dt.timedelta(days=100)).isoformat()
    response = api_home_visit(volunteer_user, centre, date=date)
    assert response.status_code == 201


# Dates and times --------------------------------------------------------------


ARABIC_YESTERDAY = YESTERDAY.isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def test_dates_and_times_in_other_digits_are_refused_at_every_door(
    client, volunteer_user, coordinator, centre, stop
):
    response = api_home_visit(volunteer_user, centre, date=ARABIC_YESTERDAY)
    assert (response.status_code, response.json()["date"]) == (400, [DIGITS_MESSAGE])
    client.force_login(volunteer_user)
    response = post_json(client, "/home-visits/new/", home_visit(centre, date=ARABIC_YESTERDAY))
    assert response.status_code == 400
    assert not HomeVisit.objects.exists()
    client.force_login(coordinator)
    response = new_pattern(client, centre, stop, start_time="١٣:٣٠", valid_from=ARABIC_YESTERDAY)
    assert response.status_code == 400
    assert response.text.count(DIGITS_MESSAGE) == 2
    assert not VisitPattern.objects.exists()


def test_a_check_in_time_in_other_digits_is_refused(client, volunteer_user, visit):
    client.force_login(volunteer_user)
    at = timezone.localtime().replace(microsecond=0).isoformat()
    response = post_json(
        client,
        f"/visits/{visit.pk}/check-in/",
        {"at": at.translate(str.maketrans("0123456789", "０１２３４５６７８９"))},
    )
    assert response.status_code == 400
    assert not visit.assignments.filter(checked_in_at__isnull=False).exists()
