"""
Absences on a 360 px phone, and the coordinator's page of one volunteer, in a real
browser (docs/people.md). With SCREENSHOTS_TO=docs/screenshots the pictures of the
docs are made anew.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from volunteers.choices import Attendance
from volunteers.models import Absence, Qualification, Volunteer

TODAY = timezone.localdate()


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOTS_TO") or tmp_path)
    page.screenshot(path=str(folder / name), full_page=True)


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


def test_a_volunteer_records_an_absence_on_the_phone(
    phone_page, live_server, login, volunteer_user, vera, centre, tmp_path
):
    stop = f.make_stop(centre, community="Redsted")
    f.make_assignment(f.make_visit(stop, date=TODAY + dt.timedelta(days=9)), vera)
    Absence.objects.create(
        volunteer=vera,
        starts_on=TODAY + dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=44),
    )
    page = phone_page
    login(page, volunteer_user)
    page.goto(f"{live_server.url}/profile/")
    page.get_by_role("link", name="Mit fravær").click()
    page.fill("#id_starts_on", (TODAY + dt.timedelta(days=8)).isoformat())
    page.fill("#id_ends_on", (TODAY + dt.timedelta(days=10)).isoformat())
    page.select_option("#id_category", "illness")
    page.get_by_role("button", name="Registrér det").click()
    expect(page.get_by_text("Dit fravær er registreret.")).to_be_visible()
    expect(page.get_by_text("Du er sat på 1 besøg i perioden")).to_be_visible()
    expect(page.locator(".absences li")).to_have_count(2)
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, tmp_path, "absences-phone.png")
    # An overlapping one is refused with the dates it overlaps.
    page.fill("#id_starts_on", (TODAY + dt.timedelta(days=10)).isoformat())
    page.fill("#id_ends_on", (TODAY + dt.timedelta(days=12)).isoformat())
    page.get_by_role("button", name="Registrér det").click()
    expect(page.get_by_text("Det overlapper fraværet")).to_be_visible()
    assert Absence.objects.filter(volunteer=vera).count() == 2


def test_the_coordinators_page_of_a_volunteer(
    page, live_server, login, coordinator, vera, centre, tmp_path
):
    stop = f.make_stop(centre, community="Redsted")
    vera.phone, vera.email, vera.is_driver, vera.consent_date = (
        "20 30 40 50",
        "vera@example.org",
        True,
        TODAY,
    )
    vera.save()
    for n, attendance in enumerate([Attendance.PRESENT, Attendance.NO_SHOW, Attendance.PRESENT]):
        visit = f.make_visit(stop, date=TODAY - dt.timedelta(days=7 * (n + 1)))
        f.make_assignment(visit, vera, role="driver", attendance=attendance)
    f.make_assignment(f.make_visit(stop, date=TODAY + dt.timedelta(days=5)), vera, role="driver")
    Qualification.objects.create(
        volunteer=vera, kind="driving_licence", valid_until=TODAY + dt.timedelta(days=20)
    )
    Qualification.objects.create(
        volunteer=vera, kind="criminal_record", issued_on=TODAY - dt.timedelta(days=200)
    )
    Absence.objects.create(
        volunteer=vera,
        starts_on=TODAY + dt.timedelta(days=14),
        ends_on=TODAY + dt.timedelta(days=20),
    )
    f.make_volunteer(centre, name="Anne Hansen", is_driver=True)
    login(page, coordinator)
    page.goto(f"{live_server.url}/centres/{centre.pk}/volunteers/")
    expect(page.get_by_text("Udløber inden for 30 dage")).to_be_visible()
    _shot(page, tmp_path, "coordinator-volunteers.png")
    page.get_by_role("link", name="Vera Frivillig").first.click()
    expect(page.locator(".no-shows")).to_have_text("1")
    page.get_by_role("button", name="Var der").click()
    expect(page.get_by_text("Fremmødet er rettet.")).to_be_visible()
    expect(page.locator(".no-shows")).to_have_text("0")
    _shot(page, tmp_path, "coordinator-volunteer-page.png")
