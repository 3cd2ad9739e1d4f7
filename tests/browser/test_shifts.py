"""
Issue 13 end to end: Vera declines on her phone, the coordinator's week shows the
open place without a reload (polling), Hans sees the offer and takes it, and the
week shows him. The screenshots go to docs/screenshots/ (docs/shifts.md).
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.conftest import PHONE
from tests.shifts.conftest import licence
from volunteers.choices import VolunteerRole

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def team(centre, stop, volunteer_user):
    day = timezone.localdate() + dt.timedelta(days=3)
    visit = f.make_visit(stop, date=day, start_time=dt.time(10), end_time=dt.time(12))
    vera = volunteer_user.volunteer
    dan = f.make_volunteer(
        centre,
        user=f.make_user("dan"),
        name="Dan Chauffør",
        is_driver=True,
        available_weekdays="1234567",
    )
    licence(dan)
    hans = f.make_volunteer(
        centre, user=f.make_user("hans"), name="Hans Hjælper", available_weekdays="1234567"
    )
    f.make_assignment(visit, vera, role=VolunteerRole.HOST)
    f.make_assignment(visit, dan, role=VolunteerRole.DRIVER)
    return visit, vera, hans


def _phone(browser, live_server, login, user):
    context = browser.new_context(**PHONE, locale="da-DK")
    page = context.new_page()
    login(page, user)
    return context, page


def test_a_decline_is_offered_taken_and_shown_on_the_week_as_it_happens(
    browser, page, live_server, login, team, coordinator, centre
):
    visit, vera, hans = team
    login(page, coordinator)
    page.goto(f"{live_server.url}/centres/{centre.pk}/week/?week={visit.date:%G-W%V}")
    places = page.locator("#week-places")
    expect(places).to_contain_text("Ikke svaret", timeout=10000)

    vera_context, vera_page = _phone(browser, live_server, login, vera.user)
    vera_page.goto(f"{live_server.url}/shifts/")
    vera_page.screenshot(path=str(SHOTS / "shifts-mine-phone.png"), full_page=True)
    vera_page.click("details.decline summary")
    vera_page.check("input[name=reason][value=ill]")
    vera_page.screenshot(path=str(SHOTS / "shifts-decline-phone.png"), full_page=True)
    vera_page.click("text=Send: Jeg kan ikke")
    expect(vera_page.locator(".answer-state").first).to_contain_text("Du kan ikke", timeout=15000)
    vera_context.close()

    # No reload: the panel polls every 10 seconds.
    expect(places).to_contain_text("Sagt nej", timeout=25000)
    expect(places).to_contain_text("tilbudt til 1, venter")
    places.screenshot(path=str(SHOTS / "shifts-week-places.png"))

    hans_context, hans_page = _phone(browser, live_server, login, hans.user)
    hans_page.goto(f"{live_server.url}/shifts/")
    expect(hans_page.locator(".offers")).to_contain_text(visit.stop.community)
    hans_page.screenshot(path=str(SHOTS / "shifts-offer-phone.png"), full_page=True)
    hans_page.click("text=Jeg tager den")
    expect(hans_page.locator(".messages")).to_contain_text("Pladsen er din")
    hans_context.close()

    expect(places.locator(f"tr[data-visit-id='{visit.pk}']")).to_contain_text(
        "Hans Hjælper", timeout=25000
    )
    expect(places).not_to_contain_text("tilbudt til")


def test_the_open_places_say_that_taking_needs_a_connection_offline(
    browser, live_server, login, team, stop
):
    visit, _vera, hans = team
    f.make_visit(stop, date=visit.date + dt.timedelta(days=1))
    context, phone = _phone(browser, live_server, login, hans.user)
    phone.goto(f"{live_server.url}/shifts/open/")
    expect(phone.locator("form.take-form button").first).to_be_enabled()
    phone.screenshot(path=str(SHOTS / "shifts-open-phone.png"), full_page=True)
    context.set_offline(True)
    phone.evaluate("window.dispatchEvent(new Event('offline'))")
    expect(phone.locator("[data-offline-text]")).to_be_visible()
    expect(phone.locator("form.take-form button").first).to_be_disabled()
    context.close()


@pytest.mark.django_db(transaction=True)
def test_an_answer_made_without_signal_waits_on_the_phone_and_is_sent_once(
    browser, live_server, login, team
):
    visit, vera, _hans = team
    context, phone = _phone(browser, live_server, login, vera.user)
    phone.goto(f"{live_server.url}/today/")
    context.set_offline(True)
    phone.click("details.decline summary")
    phone.click("text=Send: Jeg kan ikke")
    expect(phone.locator(".answer .message")).to_contain_text("gemt på telefonen")
    assignment = vera.assignments.get(visit=visit)
    assert assignment.answer == ""
    context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_timeout(3000)
    assignment.refresh_from_db()
    assert assignment.answer == "declined"
    context.close()
