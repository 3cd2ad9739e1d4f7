"""The week's warnings about people and the picker's "away" group (docs/people.md)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.planning.helpers import next_week, on
from volunteers.models import Absence, Qualification

T = dt.time
HTMX = {"HX-Request": "true", "HX-Target": "editor-body"}


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))


@pytest.fixture
def ole(centre):
    return f.make_volunteer(centre, name="Ole Hansen", is_driver=True)


def week(client, coordinator, centre) -> str:
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/week/?week={next_week()}")
    assert response.status_code == 200
    return response.text


def test_a_volunteer_away_but_assigned_is_a_warning_on_the_week(
    client, coordinator, centre, visit, ole
):
    f.make_assignment(visit, ole, role="host")
    Absence.objects.create(volunteer=ole, starts_on=on(1), ends_on=on(3), category="holiday")
    assert "Ole Hansen er væk (ferie) men sat på Redsted" in week(client, coordinator, centre)


def test_a_volunteer_away_who_declined_the_shift_gives_no_warning(
    client, coordinator, centre, visit, ole
):
    f.make_assignment(visit, ole, role="driver", answer="declined")
    Absence.objects.create(volunteer=ole, starts_on=on(1), ends_on=on(3), category="holiday")
    page = week(client, coordinator, centre)
    assert "er væk" not in page
    assert "has no valid driving licence" not in page and "gyldigt kørekort" not in page


def test_an_absence_on_another_day_gives_no_warning(client, coordinator, centre, visit, ole):
    f.make_assignment(visit, ole, role="host")
    Absence.objects.create(volunteer=ole, starts_on=on(3), ends_on=on(5))
    assert "er væk" not in week(client, coordinator, centre)


def test_a_driver_with_an_expired_licence_is_a_warning(client, coordinator, centre, visit, ole):
    f.make_assignment(visit, ole, role="driver")
    Qualification.objects.create(
        volunteer=ole, kind="driving_licence", valid_until=on(2) - dt.timedelta(days=1)
    )
    text = week(client, coordinator, centre)
    assert "Ole Hansen kører, men har ikke gyldigt kørekort" in text


def test_a_driver_without_any_licence_is_a_warning_and_a_host_is_not(
    client, coordinator, centre, visit, ole
):
    f.make_assignment(visit, ole, role="driver")
    f.make_assignment(visit, f.make_volunteer(centre, name="Hanne Vært"), role="host")
    text = week(client, coordinator, centre)
    assert "Ole Hansen kører, men har ikke gyldigt kørekort" in text
    assert "Hanne Vært kører" not in text


def test_a_licence_valid_on_the_day_gives_no_warning(client, coordinator, centre, visit, ole):
    f.make_assignment(visit, ole, role="driver")
    Qualification.objects.create(volunteer=ole, kind="driving_licence", valid_until=on(2))
    assert "gyldigt kørekort" not in week(client, coordinator, centre)


def test_the_warnings_cost_no_extra_query(client, coordinator, centre, visit, ole):
    """Guards against N+1: absences and licences come in the assignments' own query."""
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/week/?week={next_week()}"
    f.make_assignment(visit, ole, role="driver")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        other = f.make_visit(f.make_stop(centre), date=on(2), start_time=T(14), end_time=T(15))
        person = f.make_volunteer(centre, name=f"P{n}")
        f.make_assignment(other, person, role="driver")
        Absence.objects.create(volunteer=person, starts_on=on(1), ends_on=on(4))
    with CaptureQueriesContext(connection) as many:
        text = client.get(url).text
    assert len(many) == len(few)
    assert text.count("er væk (ferie)") == 6


def test_the_picker_puts_people_away_last_with_the_reason(client, coordinator, centre, visit, ole):
    f.make_volunteer(centre, name="Anna Fri", available_weekdays="1234567")
    Absence.objects.create(volunteer=ole, starts_on=on(2), ends_on=on(2), category="illness")
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/visits/{visit.pk}/", headers=HTMX).text
    assert "Ole Hansen – væk: sygdom" in text
    assert text.index("Anna Fri") < text.index("Ole Hansen")
