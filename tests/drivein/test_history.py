"""Every change keeps who, when and the previous values, and the admin shows it."""

import uuid
from html.parser import HTMLParser

import pytest

from tests import factories as f
from tests.api.conftest import YESTERDAY, client_for
from visits.choices import VisitStatus
from visits.models import ReportReferral, Visit
from volunteers.models import Volunteer


def test_a_change_in_the_admin_keeps_who_when_and_the_old_value(admin_client, admin_user, stop):
    visit = f.make_visit(stop)
    response = admin_client.post(
        f"/admin/visits/visit/{visit.pk}/change/",
        {
            "seen_version": 1,
            "stop": stop.pk,
            "date": "2026-11-25",
            "start_time": "10:00",
            "end_time": "12:00",
            "status": "planned",
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
            "report-TOTAL_FORMS": 0,
            "report-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["errors"]
    latest, previous = visit.history.order_by("-history_date")[:2]
    assert latest.history_user == admin_user
    assert latest.history_date is not None
    assert str(latest.date) == "2026-11-25"
    assert str(previous.date) == "2026-11-24"
    assert [c.field for c in latest.diff_against(previous).changes] == [
        "date",
        "is_edited",
        "version",
    ]


def test_a_report_through_the_api_records_the_token_user(volunteer_user, stop):
    visit = f.make_visit(stop, date=YESTERDAY)
    service_type = f.make_service_type()
    client = client_for(volunteer_user)
    url = f"/api/v1/visits/{visit.pk}/report/"
    sent = {
        "submission_id": str(uuid.uuid4()),
        "people_met": 12,
        "referrals": [{"service_type": service_type.pk, "count": 2}],
    }
    assert client.put(url, sent, format="json").status_code == 201
    report = visit.report
    assert report.history.get().history_user == volunteer_user
    # The report made the visit held, and the visit's history says so and by whom.
    held = visit.history.order_by("-history_date").first()
    assert (held.status, held.history_user) == (VisitStatus.HELD, volunteer_user)
    assert ReportReferral.history.get().history_user == volunteer_user


def test_a_correction_keeps_the_old_numbers_and_referrals(coordinator, stop):
    visit = f.make_visit(stop, date=YESTERDAY)
    service_type = f.make_service_type()
    client = client_for(coordinator)
    url = f"/api/v1/visits/{visit.pk}/report/"
    first = {
        "submission_id": str(uuid.uuid4()),
        "people_met": 12,
        "referrals": [{"service_type": service_type.pk, "count": 2}],
    }
    client.put(url, first, format="json")
    fix = {"submission_id": str(uuid.uuid4()), "people_met": 9, "version": 1}
    assert client.put(url, fix, format="json").status_code == 200
    versions = list(
        visit.report.history.order_by("history_date").values_list("people_met", "version")
    )
    assert versions == [(12, 1), (9, 2)]
    deleted = ReportReferral.history.filter(history_type="-").get()
    assert (deleted.count, deleted.history_user) == (2, coordinator)


@pytest.mark.parametrize(
    ("page", "make"),
    [
        ("visits/visit", lambda: f.make_visit()),
        ("visits/visitreport", lambda: f.make_report()),
        ("visits/visitpattern", lambda: f.make_pattern()),
        ("stops/stop", lambda: f.make_stop()),
        ("stops/centresite", lambda: f.make_centre()),
        ("volunteers/volunteer", lambda: f.make_volunteer()),
    ],
)
def test_the_admin_shows_each_objects_history(admin_client, page, make):
    obj = make()
    response = admin_client.get(f"/admin/{page}/{obj.pk}/history/")
    assert response.status_code == 200
    assert "Oprettet" in response.text or "Created" in response.text


def test_the_history_page_names_who_changed_what(admin_client, admin_user, centre):
    volunteer = f.make_volunteer(centre, name="Kirsten")
    volunteer.phone = "12345678"
    volunteer._history_user = admin_user
    volunteer.save()
    response = admin_client.get(f"/admin/volunteers/volunteer/{volunteer.pk}/history/")
    assert "ada" in response.text
    previous = Volunteer.history.filter(id=volunteer.pk).earliest("history_date")
    assert previous.phone == ""


def test_generated_visits_start_their_history_so_a_change_keeps_the_old_time(stop):
    import datetime as dt

    from visits.services import visits_generate

    f.make_pattern(stop, weekday=3, valid_from=dt.date(2020, 1, 1))
    visits_generate(weeks=2)
    visits_generate(weeks=2)  # a second run makes neither visits nor history
    made = Visit.objects.count()
    assert made >= 2
    assert Visit.history.filter(history_type="+").count() == made
    visit = Visit.objects.first()
    visit.start_time = dt.time(11, 0)
    visit.save()
    _latest, created = visit.history.order_by("-history_date")[:2]
    assert str(created.start_time) == "10:00:00"
    assert created.history_change_reason == "generated from pattern"


class _InlineStyles(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' styles blocks: style= and <style>."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.found.append("<style>")
        self.found.extend(f"<{tag} style={value!r}>" for name, value in attrs if name == "style")


@pytest.mark.parametrize("page", ["history", "revert form"])
def test_the_history_pages_have_no_inline_styles_the_csp_would_block(admin_client, stop, page):
    for number in range(3):
        stop.venue_name = f"Forsamlingshus {number}"
        stop.save()
    url = f"/admin/stops/stop/{stop.pk}/history/"
    if page == "revert form":
        url += f"{stop.history.earliest('history_date').pk}/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("style-src")[1]
    parser = _InlineStyles()
    parser.feed(response.text)
    assert parser.found == []
    if page == "history":
        assert "/static/css/admin_history.css" in response.text
        assert "Ændret af" in response.text  # the list is in Danish too
