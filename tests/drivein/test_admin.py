"""The admin as an administrator uses it: every list page, filters, and validation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from visits.choices import VisitStatus
from visits.models import Visit

CHANGELISTS = [
    "stops/region",
    "stops/centresite",
    "stops/stop",
    "stops/funder",
    "visits/servicetype",
    "visits/visitpattern",
    "visits/visit",
    "visits/visitreport",
    "visits/homevisit",
    "volunteers/volunteer",
    "volunteers/assignment",
]


def populate(rows: int) -> None:
    """`rows` of everything the list pages show, with all their relations."""
    from visits.models import HomeVisit

    for _ in range(rows):
        stop = f.make_stop()
        f.make_pattern(stop)
        visit = f.make_visit(stop, status=VisitStatus.HELD)
        f.make_report(visit)
        volunteer = f.make_volunteer(stop.centre)
        f.make_assignment(visit, volunteer)
        HomeVisit.objects.create(
            centre=stop.centre, date=visit.date, duration_minutes=60, volunteer=volunteer
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", CHANGELISTS)
def test_list_pages_do_not_grow_a_query_per_row(admin_client, page):
    """Guards against N+1: a list page costs the same with 3 rows as with 9."""
    populate(3)
    url = f"/admin/{page}/"
    few = count_queries(admin_client, url)
    populate(6)
    assert count_queries(admin_client, url) == few


def one_of_everything_else() -> None:
    """A row for each registered model that populate() does not make."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from planning.tasks import fill_legs
    from stops.models import Funder

    f.make_service_type()
    Funder.objects.create(name="Velux Fonden", start_date=dt.date(2026, 1, 1))
    Group.objects.create(name="Ledelse")
    Token.objects.create(user=f.make_user("tokenholder"))
    attempt = {"username": "12345678", "ip_address": "192.0.2.1", "user_agent": "phone"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    fill_legs.enqueue(None)  # a row of the background queue (django-tasks-db)


def registered_models() -> list[str]:
    from django.contrib import admin

    return sorted(model._meta.label for model in admin.site._registry)


@pytest.mark.parametrize("label", registered_models())
def test_every_admin_page_opens_for_a_superuser(admin_client, admin_user, label):
    """The list, the add page and the change page of every model in the admin."""
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.admin.utils import quote
    from django.test import RequestFactory
    from django.urls import reverse

    populate(1)
    one_of_everything_else()
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    obj = model._default_manager.first()
    assert obj is not None, label

    assert admin_client.get(reverse(f"{name}_changelist")).status_code == 200
    change = admin_client.get(reverse(f"{name}_change", args=[quote(obj.pk)]))
    assert change.status_code == 200, label
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    # Some logs (django-axes) are written only by the login, never by hand.
    adding = 200 if model_admin.has_add_permission(request) else 403
    assert admin_client.get(reverse(f"{name}_add")).status_code == adding, label


def test_visits_filter_by_iso_week_status_and_region(admin_client, stop):
    f.make_visit(stop, date=dt.date(2026, 11, 24))
    f.make_visit(stop, date=dt.date(2026, 12, 1), status=VisitStatus.CANCELLED)
    response = admin_client.get("/admin/visits/visit/?week=2026-W48")
    assert response.context["cl"].result_count == 1
    response = admin_client.get("/admin/visits/visit/?status=cancelled")
    assert response.context["cl"].result_count == 1
    response = admin_client.get(
        f"/admin/visits/visit/?stop__centre__region__id__exact={stop.centre.region_id}"
    )
    assert response.context["cl"].result_count == 2


def test_the_admin_is_in_danish(admin_client, stop):
    response = admin_client.get("/admin/stops/stop/")
    assert "Vælg stop, der skal ændres" in response.text


def test_an_invalid_pattern_gets_a_clear_message(admin_client, stop):
    response = admin_client.post(
        "/admin/visits/visitpattern/add/",
        {
            "stop": stop.pk,
            "weekday": 2,
            "start_time": "10:00",
            "duration_minutes": 120,
            "every_n_weeks": 0,
            "valid_from": "2026-12-01",
            "valid_until": "2026-11-01",
        },
    )
    assert response.status_code == 200
    assert "Denne værdi skal være større end eller lig 1." in response.text
    assert "“Gyldig til” kan ikke ligge før “gyldig fra”." in response.text
    from visits.models import VisitPattern

    assert not VisitPattern.objects.exists()


def test_an_overlapping_pattern_is_refused_in_the_admin(admin_client, stop):
    f.make_pattern(stop, weekday=2)
    response = admin_client.post(
        "/admin/visits/visitpattern/add/",
        {
            "stop": stop.pk,
            "weekday": 2,
            "start_time": "14:00",
            "duration_minutes": 60,
            "every_n_weeks": 1,
            "valid_from": "2026-12-01",
        },
    )
    assert "har allerede et mønster på den ugedag" in response.text


def _visit_change_form(stop, *, date: str, seen_version: int = 1) -> dict:
    """The admin's visit change form, planned 10–12 on ``date``, without inlines."""
    return {
        "seen_version": seen_version,
        "stop": stop.pk,
        "date": date,
        "start_time": "10:00",
        "end_time": "12:00",
        "status": "planned",
        "cancel_reason": "",
        "note": "",
        "assignments-TOTAL_FORMS": 0,
        "assignments-INITIAL_FORMS": 0,
        "report-TOTAL_FORMS": 0,
        "report-INITIAL_FORMS": 0,
    }


def test_editing_a_visit_in_the_admin_marks_it_edited_and_raises_its_version(admin_client, stop):
    visit = f.make_visit(stop)
    data = _visit_change_form(stop, date="2026-11-25")
    response = admin_client.post(f"/admin/visits/visit/{visit.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    visit.refresh_from_db()
    assert visit.is_edited
    assert visit.version == 2


def test_a_stale_admin_form_is_told_so_and_saves_nothing(admin_client, stop):
    """The admin goes through planning's edit service, with its version check."""
    visit = f.make_visit(stop, date=dt.date(2026, 11, 24))
    opened = admin_client.get(f"/admin/visits/visit/{visit.pk}/change/")
    assert 'name="seen_version" value="1"' in opened.text
    # A coordinator moves the visit meanwhile (version 1 → 2).
    Visit.objects.filter(pk=visit.pk).update(version=2, start_time=dt.time(9))
    data = _visit_change_form(stop, date="2026-11-25", seen_version=1)
    response = admin_client.post(f"/admin/visits/visit/{visit.pk}/change/", data)
    assert response.status_code == 200
    assert "En anden har ændret besøget" in response.text
    visit.refresh_from_db()
    assert (visit.date, visit.start_time, visit.version) == (
        dt.date(2026, 11, 24),
        dt.time(9),
        2,
    )


def test_an_admin_edit_writes_one_history_row_by_the_administrator(admin_client, admin_user, stop):
    visit = f.make_visit(stop, date=dt.date(2026, 11, 24))
    before = visit.history.count()
    data = _visit_change_form(stop, date="2026-11-25")
    assert admin_client.post(f"/admin/visits/visit/{visit.pk}/change/", data).status_code == 302
    latest = visit.history.latest()
    assert visit.history.count() == before + 1
    assert (latest.date, latest.history_user) == (dt.date(2026, 11, 25), admin_user)


def test_restoring_a_visit_cancelled_with_its_stop_in_the_admin_makes_it_a_persons_choice(
    admin_client, stop
):
    visit = f.make_visit(
        stop,
        status="cancelled",
        cancel_reason="Stoppet er taget af stoplisten.",
        cancelled_with_stop=True,
    )
    data = _visit_change_form(stop, date="2026-11-24")
    response = admin_client.post(f"/admin/visits/visit/{visit.pk}/change/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.cancelled_with_stop) == ("planned", False)


def test_leadership_reads_the_admin_but_cannot_change(client, db):
    from django.contrib.auth.models import Permission

    leader = f.make_leader("lone")
    leader.is_staff = True
    leader.save()
    leader.groups.first().permissions.set(Permission.objects.filter(codename__startswith="view_"))
    stop = f.make_stop()
    client.force_login(leader)
    assert client.get("/admin/stops/stop/").status_code == 200
    assert client.get(f"/admin/stops/stop/{stop.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/stops/stop/{stop.pk}/change/", {"community": "X"}).status_code == 403
    )


@pytest.fixture
def staff_client(client, db):
    """A staff member (not a superuser) who may view and change volunteers."""
    from django.contrib.auth.models import Permission

    staff = f.make_user("sten", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="volunteers",
            codename__in=["view_volunteer", "change_volunteer"],
        )
    )
    client.force_login(staff)
    return client


def test_the_calendar_secret_is_hidden_from_staff_who_are_not_superusers(staff_client, centre):
    from volunteers.services import volunteer_reset_calendar_token

    volunteer = f.make_volunteer(centre, name="Vera Frivillig")
    old_token = volunteer.calendar_token
    volunteer_reset_calendar_token(volunteer=volunteer)
    pages = [
        "/admin/volunteers/volunteer/",
        f"/admin/volunteers/volunteer/{volunteer.pk}/change/",
        f"/admin/volunteers/volunteer/{volunteer.pk}/history/",
        f"/admin/volunteers/volunteer/{volunteer.pk}/history/{volunteer.history.first().pk}/",
    ]
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "Vera Frivillig" in response.text, url
        assert volunteer.calendar_token not in response.text, url
        assert old_token not in response.text, url
        assert "Kalendernøgle" not in response.text, url
    # Searching for the secret finds nothing either.
    found = staff_client.get("/admin/volunteers/volunteer/", {"q": volunteer.calendar_token})
    assert found.context["cl"].result_count == 0


def test_a_superuser_sees_the_calendar_secret_but_cannot_edit_it(admin_client, centre):
    volunteer = f.make_volunteer(centre)
    response = admin_client.get(f"/admin/volunteers/volunteer/{volunteer.pk}/change/")
    assert volunteer.calendar_token in response.text
    assert 'name="calendar_token"' not in response.text
    listing = admin_client.get("/admin/volunteers/volunteer/")
    assert volunteer.calendar_token not in listing.text


def test_moving_a_visit_in_the_admin_onto_a_holiday_flags_it(admin_client, stop):
    visit = f.make_visit(stop, date=dt.date(2026, 12, 21))
    data = _visit_change_form(stop, date="2026-12-25")
    response = admin_client.post(f"/admin/visits/visit/{visit.pk}/change/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.is_holiday
    assert visit.holiday_name == "Juledag"
    response = admin_client.post(
        f"/admin/visits/visit/{visit.pk}/change/",
        _visit_change_form(stop, date="2026-12-28", seen_version=2),
    )
    visit.refresh_from_db()
    assert (visit.is_holiday, visit.holiday_name) == (False, "")
