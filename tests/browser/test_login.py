"""The smallest browser test: a person logs in and sees their role."""

from playwright.sync_api import expect


def test_a_coordinator_logs_in_and_sees_their_role(page, login, coordinator, live_server):
    login(page, coordinator)
    expect(page.locator("h1")).to_contain_text("Velkommen")
    expect(page.locator("main")).to_contain_text("Koordinator")
    expect(page.locator("main")).to_contain_text("Nykøbing Mors")


def test_the_login_page_fits_a_phone(phone_page, live_server, db):
    phone_page.goto(f"{live_server.url}/accounts/login/")
    expect(phone_page.locator("h1")).to_have_text("Log ind")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
