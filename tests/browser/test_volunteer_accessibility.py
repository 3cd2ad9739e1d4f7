"""
axe-core (vendored for the tests, tests/browser/vendor/) on every volunteer page in
every state: normal, errors shown, a report waiting in the queue, a conflict, drawn
offline: no serious or critical violation. And the profile fits 320 px.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.conftest import PHONE
from volunteers.models import Volunteer

TODAY = timezone.localdate()
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()


def serious_violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def axe_page(browser, live_server):
    """A phone that lets the test add axe (the pages' CSP allows no inline script)."""
    context = browser.new_context(**PHONE, locale="da-DK", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def redsted(centre, vera):
    f.make_service_type(name="Gældsrådgivning")
    visit = f.make_visit(
        f.make_stop(centre, community="Redsted", access_notes="Nøgle i skuret"), date=TODAY
    )
    f.make_assignment(visit, vera)
    f.make_assignment(visit, f.make_volunteer(centre, name="Anne Hansen"), role="driver")
    later = f.make_visit(f.make_stop(centre), date=TODAY + dt.timedelta(days=2))
    f.make_assignment(later, vera)
    return visit


def test_every_volunteer_page_in_every_state_has_no_serious_violation(
    axe_page, login, live_server, vera, redsted
):
    page = axe_page
    found = {}

    def check(state):
        found[state] = serious_violations(page)

    page.goto(f"{live_server.url}/accounts/link/?sesame=broken")
    check("expired link")
    login(page, vera.user)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=15000)
    check("today")
    for path in ("/home-visits/new/", "/profile/", "/offline/", f"/visits/{redsted.pk}/report/"):
        page.goto(f"{live_server.url}{path}")
        check(path)

    # Errors shown on the phone, then by the server (a plain post).
    page.fill("#id_people_met", "2")
    page.fill("#id_new_people", "5")
    page.fill("#id_meals", "99999")
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator("#id_meals-error")).to_be_visible()
    check("report, errors on the phone")
    page.evaluate("document.querySelector('form.phone-form').noValidate = true")
    page.evaluate(
        "HTMLFormElement.prototype.submit.call(document.querySelector('form.phone-form'))"
    )
    expect(page.locator(".errors[role=alert]")).to_be_visible()
    check("report, errors from the server")

    # A report waiting on the phone, drawn offline.
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    page.fill("#id_people_met", "6")
    page.get_by_role("button", name="Send rapport").tap()
    expect(page.locator("#outbox-title")).to_have_text("Ikke sendt endnu (1)")
    check("today, queue waiting")
    page.goto(f"{live_server.url}/visits/{redsted.pk + 1000}/report/")
    check("report form not kept")

    # A conflict: another report arrived meanwhile.
    f.make_report(redsted, people_met=4, submitted_by=vera.user)
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#outbox-list li")).to_contain_text("Kræver handling", timeout=20000)
    check("today, conflict")
    page.goto(f"{live_server.url}/visits/{redsted.pk}/report/")
    check("report, stored")
    assert found == {state: [] for state in found}


def test_the_profile_does_not_scroll_sideways_at_320_px(browser, live_server, login, vera):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, has_touch=True, is_mobile=True, locale="da-DK"
    )
    page = context.new_page()
    login(page, vera.user)
    for path in ("/profile/", "/today/", "/home-visits/new/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
    context.close()
