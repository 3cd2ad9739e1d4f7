"""Leadership opens the reach dashboard in a browser and drills down to a centre."""

import pytest
from playwright.sync_api import expect

from tests.reach.world import build_world


@pytest.fixture
def world(db):
    """The known world of the reach tests (tests/reach/conftest.py)."""
    return build_world()


def test_leadership_drills_down_from_the_country_to_a_centre(
    page, login, leader, world, live_server
):
    login(page, leader)
    expect(page.locator("h1")).to_contain_text("Hele landet")  # "/" brings leadership here
    page.goto(f"{live_server.url}/reach/?week=2025-W48")
    expect(page.locator('tr[data-row="total"] [data-col="people_met"]')).to_have_text("37")
    page.get_by_role("link", name="Region Nordjylland").click()
    expect(page.locator("h1")).to_contain_text("Region Nordjylland")
    expect(page.locator('tr[data-row="total"] [data-col="people_met"]')).to_have_text("17")
    page.get_by_role("link", name="Mors", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Mors")
    expect(page.locator(".reach-table tbody")).to_contain_text("Redsted")
    expect(page.locator('tr[data-row="total"] [data-col="people_met"]')).to_have_text("15")
    page.get_by_role("link", name="← Forrige").click()
    expect(page.locator("h1")).to_contain_text("uge 47, 2025")


def test_the_dashboard_fits_a_phone(phone_page, login, leader, world, live_server):
    login(phone_page, leader)
    phone_page.goto(f"{live_server.url}/reach/?week=2025-W48")
    expect(phone_page.locator("h1")).to_contain_text("Hele landet")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
