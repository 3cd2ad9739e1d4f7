"""
A funder in the browser: the login lands on the grant's reach, small numbers hidden;
leadership makes a share link that opens without a login. The pictures go to
docs/screenshots/ (docs/funders.md).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from stops.models import Funder
from tests import factories as f
from tests.reach.world import build_world, day

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def world(db):
    """The reach tests' world; Karby's café of the 26th met 2, a grant covers Mors."""
    world = build_world()
    f.make_report(world.c, people_met=2, new_people=1, meals=2)
    world.grant = Funder.objects.create(
        name="Landsbyfonden", grant_reference="LF-2025-017", start_date=day(1)
    )
    world.grant.centres.add(world.mors)
    return world


def test_a_funder_sees_the_grants_figures_with_small_numbers_hidden(
    page, login, world, live_server
):
    funder = f.make_user("landsbyfonden", first_name="Landsbyfonden")
    world.grant.readers.add(funder)
    login(page, funder)
    expect(page).to_have_url(f"{live_server.url}/reach/")  # "/" brings a funder here
    page.goto(f"{live_server.url}/reach/?week=2025-W48&centre={world.mors.pk}")
    expect(page.locator("h1")).to_contain_text("Mors")
    karby = page.locator(f'tr[data-row="stop-{world.karby.pk}"] [data-col="people_met"]')
    expect(karby).to_have_text("<3")
    redsted = page.locator(f'tr[data-row="stop-{world.redsted.pk}"] [data-col="people_met"]')
    expect(redsted).to_have_text("x")
    expect(page.locator(".site-nav a")).to_have_count(2)
    page.screenshot(path=SHOTS / "funder-dashboard.png", full_page=True)


def test_leadership_shares_the_grant_and_the_link_opens_without_a_login(
    browser, page, login, leader, world, live_server
):
    login(page, leader)
    page.goto(
        f"{live_server.url}/reach/?week=2025-W48&centre={world.mors.pk}&funder={world.grant.pk}"
    )
    page.get_by_role("button", name="Lav et delingslink").click()
    link = page.locator("#share-link").input_value()
    assert "/shared/" in link
    stranger = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    shared = stranger.new_page()
    shared.goto(link)
    expect(shared.locator("h1")).to_contain_text("Mors")
    expect(shared.locator(".grant-only")).to_contain_text("virker til og med")
    expect(shared.locator(".site-nav")).to_have_count(0)  # nobody is logged in
    karby = shared.locator(f'tr[data-row="stop-{world.karby.pk}"] [data-col="people_met"]')
    expect(karby).to_have_text("<3")
    shared.screenshot(path=SHOTS / "share-page.png", full_page=True)
    stranger.close()
