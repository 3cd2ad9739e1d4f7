"""
An offer's one-tap link on a phone with no login (issue 14 item 3): the page under the
CSP at 360 px, one tap takes the place. Screenshots in docs/screenshots/ (docs/offers.md).
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shifts.models import Offer
from shifts.offer_links import offer_link_path
from tests import factories as f
from volunteers.models import Assignment

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_link_takes_the_place_with_one_tap_without_a_login(phone_page, live_server, stop):
    day = timezone.localdate() + dt.timedelta(days=3)
    visit = f.make_visit(stop, date=day, start_time=dt.time(10), end_time=dt.time(12))
    hans = f.make_volunteer(stop.centre, name="Hans Hjælper", available_weekdays="1234567")
    offer = Offer.objects.create(visit=visit, role="host", volunteer=hans, rank=1)
    errors: list[str] = []
    phone_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    phone_page.goto(live_server.url + offer_link_path(offer))
    expect(phone_page.get_by_role("heading", name="En plads til dig")).to_be_visible()
    phone_page.screenshot(path=str(SHOTS / "offer-link.png"))
    phone_page.get_by_role("button", name="Jeg tager den").click()
    expect(phone_page.get_by_text("Pladsen er din. Tak!")).to_be_visible()
    assert Assignment.objects.filter(visit=visit, volunteer=hans).exists()

    phone_page.goto(live_server.url + offer_link_path(offer))
    expect(phone_page.get_by_text("Du har allerede taget denne plads")).to_be_visible()
    phone_page.screenshot(path=str(SHOTS / "offer-link-again.png"))
    assert not [e for e in errors if "Content Security Policy" in e], errors
