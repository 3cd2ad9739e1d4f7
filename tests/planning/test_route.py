"""The day route page and applying the suggested order."""

import datetime as dt

import pytest

from tests import factories as f
from tests.planning.helpers import on
from visits.models import Visit

T = dt.time


@pytest.fixture
def zigzag(centre):
    """Planned far, near, middle: driving near, middle, far is shorter."""
    far = f.make_stop(centre, community="Fjernby", latitude=56.3, longitude=9.0)
    near = f.make_stop(centre, community="Nærby", latitude=56.05, longitude=9.0)
    middle = f.make_stop(centre, community="Midtby", latitude=56.15, longitude=9.0)
    day = on(3)
    return day, [
        f.make_visit(far, date=day, start_time=T(9), end_time=T(10)),
        f.make_visit(near, date=day, start_time=T(11), end_time=T(12)),
        f.make_visit(middle, date=day, start_time=T(14), end_time=T(15)),
    ]


def test_the_route_shows_legs_totals_and_a_shorter_order(client, coordinator, centre, zigzag):
    day, _visits = zigzag
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/route/{day.isoformat()}/")
    text = response.text
    assert response.status_code == 200
    assert "Kørsel i alt" in text and "km" in text and "Foreslået rækkefølge" in text
    assert "Brug den foreslåede rækkefølge" in text
    suggestion = text[text.index("Foreslået rækkefølge") :]
    assert suggestion.index("Nærby") < suggestion.index("Midtby") < suggestion.index("Fjernby")


def test_applying_the_order_with_htmx_swaps_the_route(client, coordinator, centre, zigzag):
    day, (far, near, middle) = zigzag
    client.force_login(coordinator)
    order = f"{near.pk}:1,{middle.pk}:1,{far.pk}:1"
    response = client.post(
        f"/centres/{centre.pk}/route/{day.isoformat()}/",
        {"order": order},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "3 besøg fik nye tider" in response.text
    assert "allerede den korteste" in response.text
    assert Visit.objects.get(pk=near.pk).start_time == T(9)


def test_a_stale_order_is_a_409_and_nothing_changes(client, coordinator, centre, zigzag):
    day, (far, near, middle) = zigzag
    client.force_login(coordinator)
    order = f"{near.pk}:1,{middle.pk}:1,{far.pk}:7"
    response = client.post(f"/centres/{centre.pk}/route/{day.isoformat()}/", {"order": order})
    assert response.status_code == 409
    assert Visit.objects.get(pk=near.pk).start_time == T(11)


def test_a_garbled_order_is_a_400(client, coordinator, centre, zigzag):
    day, _visits = zigzag
    client.force_login(coordinator)
    response = client.post(f"/centres/{centre.pk}/route/{day.isoformat()}/", {"order": "x:y"})
    assert response.status_code == 400


@pytest.mark.parametrize("order", ["²:1,³:1", "٣:1,٤:1", "9999999999999999999999:1,1:1", "1:1:1"])
def test_an_order_that_is_not_ascii_digits_is_a_400(client, coordinator, centre, zigzag, order):
    day, _visits = zigzag
    client.force_login(coordinator)
    response = client.post(f"/centres/{centre.pk}/route/{day.isoformat()}/", {"order": order})
    assert response.status_code == 400


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "1800-01-01"])
def test_a_bad_date_is_a_clear_400(client, coordinator, centre, bad):
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/route/{bad}/")
    assert response.status_code == 400
    assert "dato" in response.text or "Året" in response.text


def test_a_day_without_stops_says_so(client, coordinator, centre):
    client.force_login(coordinator)
    assert (
        "Bilen har ingen stop denne dag."
        in client.get(f"/centres/{centre.pk}/route/{on(7).isoformat()}/").text
    )


def test_a_year_out_of_range_names_the_range(client, coordinator, centre):
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/route/1800-01-01/")
    assert response.status_code == 400
    assert "mellem 2000 og 2100" in response.text


def test_each_stop_on_the_route_opens_in_the_maps_app(client, coordinator, centre, zigzag):
    day, _visits = zigzag
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/route/{day.isoformat()}/").text
    assert 'href="geo:56.30000,9.00000?q=56.30000,9.00000(' in text
    assert text.count('class="button small nav-link"') == 3
