"""A coordinator plans the week in a real browser (Debian's Chromium)."""

import datetime as dt
import urllib.request

import icalendar
import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.planning.helpers import next_week, on
from visits.models import Visit
from volunteers.models import Qualification

T = dt.time


@pytest.fixture
def week(centre, stop):
    """Two visits on different days; Anna is on both."""
    tuesday = f.make_visit(stop, date=on(2), start_time=T(10), end_time=T(12))
    thursday = f.make_visit(
        f.make_stop(centre, community="Karby"), date=on(4), start_time=T(10), end_time=T(12)
    )
    anna = f.make_volunteer(centre, name="Anna Berg", available_weekdays="12345")
    bo = f.make_volunteer(centre, name="Bo Holm", available_weekdays="24")
    # A driver with a licence: without one the week warns (docs/people.md).
    Qualification.objects.create(volunteer=anna, kind="driving_licence")
    for visit in (tuesday, thursday):
        f.make_assignment(visit, anna, role="driver")
        f.make_assignment(visit, bo)
    return tuesday, thursday


def open_week(page, live_server, centre):
    page.goto(f"{live_server.url}/centres/{centre.pk}/week/?week={next_week()}")
    expect(page.locator("h1")).to_contain_text(f"Uge {next_week().week}")


def test_moving_a_visit_onto_a_volunteers_other_shift_shows_the_warning(
    page, login, live_server, coordinator, centre, week
):
    tuesday, thursday = week
    login(page, coordinator)
    open_week(page, live_server, centre)
    expect(page.locator("#week-grid")).to_contain_text("Ingen advarsler")
    page.click(f"#visit-{tuesday.pk} .visit-link")
    dialog = page.locator("#editor")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_contain_text("Redsted")
    dialog.locator("#id_date").fill(on(4).isoformat())
    dialog.get_by_role("button", name="Gem tidspunkt").click()
    expect(dialog.locator(".message")).to_have_text("Besøget er flyttet.")
    expect(dialog.locator(".editor-warnings")).to_contain_text(
        "Anna Berg er også i Karby 10:00–12:00."
    )
    # The grid behind the dialog followed: the visit sits on Thursday with its warning.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    moved = page.locator(f"#visit-{tuesday.pk}")
    expect(moved).to_have_class("visit-card status-planned has-bad")
    expect(page.locator(f"section[aria-labelledby='day-{on(4):%Y%m%d}']")).to_contain_text(
        "Redsted"
    )
    expect(page.locator(f"#visit-{thursday.pk} .warnings")).to_contain_text(
        "Anna Berg er også i Redsted"
    )
    assert page.url.endswith(f"?week={next_week()}")


def test_a_cancelled_visit_shows_as_cancelled_in_the_calendar_feed(
    page, login, live_server, coordinator, centre, week
):
    tuesday, _thursday = week
    login(page, coordinator)
    open_week(page, live_server, centre)
    page.click(f"#visit-{tuesday.pk} .visit-link")
    page.fill("#id_reason", "Forsamlingshuset er lukket")
    page.get_by_role("button", name="Aflys besøget").click()
    expect(page.locator("#editor .message")).to_have_text("Besøget er aflyst.")
    expect(page.locator(f"#visit-{tuesday.pk}")).to_contain_text("Aflyst")
    with urllib.request.urlopen(f"{live_server.url}/calendar/centre/{centre.pk}.ics") as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    event = next(
        e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"visit-{tuesday.pk}@")
    )
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_second_coordinator_gets_the_conflict_not_an_overwrite(
    browser, page, login, live_server, coordinator, centre, week
):
    tuesday, _thursday = week
    login(page, coordinator)
    open_week(page, live_server, centre)
    page.click(f"#visit-{tuesday.pk} .visit-link")
    expect(page.locator("#editor h2")).to_contain_text("Redsted")
    # Meanwhile someone else cancels the visit.
    visit = Visit.objects.get(pk=tuesday.pk)
    from planning.services import visit_edit

    visit_edit.visit_cancel(visit=visit, version=visit.version, reason="Sne", user=coordinator)
    page.fill("#id_start_time", "09:00")
    page.get_by_role("button", name="Gem tidspunkt").click()
    expect(page.locator("#editor .message")).to_contain_text("En anden har ændret besøget")
    expect(page.locator("#editor")).to_contain_text("Sne")
    assert Visit.objects.get(pk=tuesday.pk).start_time == T(10)


def test_assigning_a_volunteer_from_the_picker(page, login, live_server, coordinator, centre, week):
    tuesday, _thursday = week
    f.make_volunteer(centre, name="Carl Dam", available_weekdays="2")
    login(page, coordinator)
    open_week(page, live_server, centre)
    page.click(f"#visit-{tuesday.pk} .visit-link")
    page.select_option("#id_volunteer", label="Carl Dam")
    page.select_option("#id_role", "host")
    page.get_by_role("button", name="Sæt på").click()
    expect(page.locator("#editor .message")).to_have_text("Carl Dam er sat på.")
    expect(page.locator(f"#visit-{tuesday.pk} .people")).to_contain_text("Carl Dam")


def test_applying_the_suggested_route_order(page, login, live_server, coordinator, centre):
    day = on(3)
    far = f.make_visit(
        f.make_stop(centre, community="Fjernby", latitude=56.3, longitude=9.0),
        date=day,
        start_time=T(9),
        end_time=T(10),
    )
    near = f.make_visit(
        f.make_stop(centre, community="Nærby", latitude=56.05, longitude=9.0),
        date=day,
        start_time=T(11),
        end_time=T(12),
    )
    f.make_visit(
        f.make_stop(centre, community="Midtby", latitude=56.15, longitude=9.0),
        date=day,
        start_time=T(14),
        end_time=T(15),
    )
    login(page, coordinator)
    page.goto(f"{live_server.url}/centres/{centre.pk}/route/{day.isoformat()}/")
    expect(page.locator(".suggestion")).to_contain_text("spares")
    page.get_by_role("button", name="Brug den foreslåede rækkefølge").click()
    expect(page.locator("#route .message")).to_contain_text("3 besøg fik nye tider")
    expect(page.locator(".suggestion")).to_contain_text("allerede den korteste")
    assert page.url.endswith(f"/route/{day.isoformat()}/")
    near.refresh_from_db()
    far.refresh_from_db()
    assert (near.start_time, far.start_time) == (T(9), T(14))


def test_adding_an_ad_hoc_visit_from_the_grid(page, login, live_server, coordinator, centre, stop):
    login(page, coordinator)
    open_week(page, live_server, centre)
    friday = page.locator(f"section[aria-labelledby='day-{on(5):%Y%m%d}']")
    friday.get_by_role("link", name="+ Besøg").click()
    page.select_option("#id_stop", label=str(stop))
    page.get_by_role("button", name="Tilføj besøget").click()
    expect(page.locator("#editor .message")).to_have_text("Besøget er tilføjet.")
    expect(friday).to_contain_text("Redsted")


def test_the_week_works_without_javascript(browser, live_server, login, coordinator, centre, week):
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    tuesday, _thursday = week
    login(page, coordinator)
    open_week(page, live_server, centre)
    page.click(f"#visit-{tuesday.pk} .visit-link")
    page.fill("#id_reason", "Storm")
    page.get_by_role("button", name="Aflys besøget").click()
    expect(page.locator(".messages")).to_contain_text("Besøget er aflyst.")
    expect(page.locator(f"#visit-{tuesday.pk}")).to_contain_text("Storm")
    context.close()


def test_the_stop_page_fits_a_phone(phone_page, live_server, stop, week):
    phone_page.goto(f"{live_server.url}/s/{stop.slug}/")
    expect(phone_page.locator("h1")).to_contain_text("Redsted")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_stop_taken_off_the_roster_and_put_back_gets_its_visits_back(
    page, phone_page, login, live_server, coordinator, centre, stop, week
):
    tuesday, _thursday = week
    login(page, coordinator)
    page.goto(f"{live_server.url}/centres/{centre.pk}/stops/{stop.pk}/")
    page.get_by_role("button", name="Gør stoppet inaktivt").click()
    expect(page.locator(".messages")).to_contain_text("1 kommende besøg blev aflyst")
    open_week(page, live_server, centre)
    expect(page.locator(f"#visit-{tuesday.pk}")).to_contain_text("Aflyst")

    page.goto(f"{live_server.url}/centres/{centre.pk}/stops/{stop.pk}/")
    page.get_by_role("button", name="Gør stoppet aktivt igen").click()
    expect(page.locator(".messages")).to_contain_text(
        "Redsted er på stoplisten igen: 1 kommende besøg"
    )
    open_week(page, live_server, centre)
    card = page.locator(f"#visit-{tuesday.pk}")
    expect(card).to_have_class("visit-card status-planned")
    expect(card).to_contain_text("Anna Berg")  # the people stayed on it
    phone_page.goto(f"{live_server.url}/s/{stop.slug}/")
    expect(phone_page.locator("main")).to_contain_text(f"{on(2).day}.")
    expect(phone_page.locator("main")).not_to_contain_text("Aflyst")


def test_a_past_cafe_nobody_marked_held_is_marked_held_from_the_week(
    page, login, live_server, coordinator, centre, stop
):
    last_week = next_week().shift(-2)
    visit = f.make_visit(stop, date=last_week.monday, start_time=T(10), end_time=T(12))
    login(page, coordinator)
    page.goto(f"{live_server.url}/centres/{centre.pk}/week/?week={last_week}")
    card = page.locator(f"#visit-{visit.pk}")
    expect(card).to_contain_text("Rapport mangler")
    expect(card.locator("a.write-report")).to_have_attribute("href", f"/visits/{visit.pk}/report/")
    page.click(f"#visit-{visit.pk} .visit-link")
    dialog = page.locator("#editor")
    dialog.get_by_role("button", name="Marker som afholdt").click()
    expect(dialog.locator(".message")).to_have_text("Besøget er markeret som afholdt.")
    expect(dialog.locator("a.write-report")).to_be_visible()
    expect(card).to_have_class("visit-card status-held")
    assert Visit.objects.get(pk=visit.pk).status == "held"
