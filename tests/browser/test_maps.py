"""The maps in a real browser: drawn under the CSP, with no request beyond the live server."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.planning.helpers import on

T = dt.time


@pytest.fixture
def watched(page, live_server):
    """Console errors, CSP violations and every URL the page asks for."""
    seen = {"problems": [], "requests": []}
    page.on(
        "console",
        lambda message: (
            seen["problems"].append(f"{message.text} {message.location.get('url')}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen["problems"].append(str(error)))
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on(
        "response",
        lambda response: (
            seen["problems"].append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield seen
    # Chromium asks for /favicon.ico on its own; the site has none (not the maps' doing).
    assert [p for p in seen["problems"] if "/favicon.ico" not in p] == []
    assert [u for u in seen["requests"] if not u.startswith((live_server.url, "data:"))] == []


@pytest.fixture
def mors(db):
    centre = f.make_centre(name="Nykøbing Mors", latitude=56.795, longitude=8.85)
    redsted = f.make_stop(centre, community="Redsted", latitude=56.7333, longitude=8.6478)
    karby = f.make_stop(centre, community="Karby", latitude=56.7622, longitude=8.5653)
    day = on(2)
    f.make_visit(redsted, date=day, start_time=T(10), end_time=T(12))
    f.make_visit(karby, date=day, start_time=T(13, 30), end_time=T(15, 30))
    return centre, redsted, day


def test_the_route_map_draws_denmark_the_stops_and_the_path(
    page, login, live_server, watched, mors
):
    centre, redsted, day = mors
    login(page, f.make_coordinator(centre, "alice"))
    page.goto(f"{live_server.url}/centres/{centre.pk}/route/{day}/")
    map_ = page.locator(".map.leaflet-container")
    expect(map_).to_be_visible()
    # Denmark's outline (one path), the van's three legs, the centre and two stops.
    expect(map_.locator("path.leaflet-interactive.map-link")).to_have_count(2)
    expect(map_.locator("path")).to_have_count(1 + 3 + 3)
    assert any(url.endswith("denmark.geojson") for url in watched["requests"])
    expect(map_.locator(".leaflet-control-attribution")).to_contain_text("Natural Earth")
    map_.locator("path.map-link[aria-label='10:00 Redsted']").click(force=True)
    page.wait_for_url(f"{live_server.url}/centres/{centre.pk}/stops/{redsted.pk}/")
    expect(page.locator("h1")).to_have_text("Redsted")


def test_the_roster_and_the_public_page_have_maps(page, login, live_server, watched, mors):
    centre, redsted, _day = mors
    login(page, f.make_coordinator(centre, "alice"))
    page.goto(f"{live_server.url}/centres/{centre.pk}/roster/")
    expect(page.locator(".map.leaflet-container path.map-link")).to_have_count(2)
    page.goto(f"{live_server.url}/s/{redsted.slug}/")
    expect(page.locator(".map.leaflet-container path.leaflet-interactive")).to_have_count(1)


def test_a_click_on_the_map_places_the_stop_and_the_sea_is_warned(
    page, login, live_server, watched, mors
):
    centre, redsted, _day = mors
    login(page, f.make_coordinator(centre, "alice"))
    page.goto(f"{live_server.url}/centres/{centre.pk}/stops/{redsted.pk}/")
    map_ = page.locator(".map.leaflet-container")
    expect(map_.locator("path")).to_have_count(3)  # the outline, the centre and the stop
    expect(page.locator("#place-warning")).to_be_hidden()
    box = map_.bounding_box()
    map_.click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2 - 30})
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    assert (latitude, longitude) != (56.7333, 8.6478)
    assert 56.6 < latitude < 56.9 and 8.5 < longitude < 8.8
    # Typed coordinates in the Kattegat: the dot moves there and the warning shows.
    page.fill("#id_latitude", "56.9")
    page.fill("#id_longitude", "11.5")
    page.locator("#id_longitude").dispatch_event("change")
    expect(page.locator("#place-warning")).to_be_visible()
    page.get_by_role("button", name="Gem stoppet").click()
    expect(page.locator(".messages")).to_contain_text("ligger på havet eller uden for Danmark")
