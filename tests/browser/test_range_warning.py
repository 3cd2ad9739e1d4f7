"""
The usual range at entry (visits/ranges.py) on the phone: the warning shows with no
signal, from the kept bundle, and a number the volunteer confirms arrives as confirmed.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.conftest import PHONE
from visits.models import VisitReport
from volunteers.models import Volunteer

TODAY = timezone.localdate()
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def field_page(browser, live_server):
    context = browser.new_context(**PHONE, locale="da-DK", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def redsted(centre, vera):
    """A stop whose last five cafés had 9 people (usual range 6–12), and today's café."""
    stop = f.make_stop(centre, community="Redsted")
    for weeks in range(1, 6):
        held = f.make_visit(stop, date=TODAY - dt.timedelta(weeks=weeks), status="held")
        f.make_report(held, people_met=9, new_people=1, meals=9, food_bags=2)
    visit = f.make_visit(stop, date=TODAY)
    f.make_assignment(visit, vera)
    return visit


def test_the_warning_shows_offline_and_a_confirmed_outlier_is_stored_as_confirmed(
    field_page, login, live_server, vera, redsted
):
    page = field_page
    login(page, vera.user)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=15000)

    page.context.set_offline(True)
    page.locator("article.visit", has_text="Redsted").get_by_role(
        "link", name="Skriv rapport"
    ).tap()
    expect(page.locator("#shell-visit-line")).to_contain_text("Redsted")
    page.fill("#id_people_met", "120")
    page.fill("#id_meals", "9")
    page.fill("#id_food_bags", "2")
    warning = page.locator("#id_people_met-warning")
    expect(warning).to_have_text("Her plejer at komme 6–12. Du har skrevet 120. Er det rigtigt?")
    confirm = page.get_by_label("Ja, tallene er rigtige")
    expect(confirm).to_be_visible()

    # Sending without an answer asks again; nothing is queued.
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator("#range-confirm-hint")).to_contain_text("Ret tallet")
    expect(page.locator("#saved-status")).to_be_hidden()
    if SCREENSHOTS.is_dir():
        page.locator("#shell-visit-line").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        page.screenshot(path=SCREENSHOTS / "range-warning-phone.png")

    # A corrected number takes the warning away; the volunteer says 120 was right.
    page.fill("#id_people_met", "10")
    expect(warning).to_be_hidden()
    expect(confirm).to_be_hidden()
    page.fill("#id_people_met", "120")
    confirm.check()
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator(".flash")).to_have_text("Gemt på telefonen – sendes")
    assert not VisitReport.objects.filter(visit=redsted).exists()

    page.context.set_offline(False)
    expect(page.locator("#outbox-title")).to_have_text("Alt er sendt", timeout=20000)
    report = VisitReport.objects.get(visit=redsted)
    assert (report.people_met, report.outliers, report.outliers_confirmed) == (
        120,
        "people_met",
        True,
    )
