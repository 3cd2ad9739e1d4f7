"""Placing a stop: coordinates at sea or outside Denmark are saved with a warning."""

import pytest

from tests import factories as f


def place(client, centre, stop, lat, lon):
    return client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/",
        {
            "community": stop.community,
            "venue_name": stop.venue_name,
            "venue_kind": "village_hall",
            "coverage": "unknown",
            "slug": stop.slug,
            "latitude": lat,
            "longitude": lon,
        },
        follow=True,
    )


@pytest.mark.parametrize(
    ("lat", "lon"), [("56.90000", "11.50000"), ("54.50000", "9.50000")], ids=["kattegat", "germany"]
)
def test_a_stop_at_sea_or_abroad_is_saved_with_a_warning(
    client, coordinator, centre, stop, lat, lon
):
    client.force_login(coordinator)
    response = place(client, centre, stop, lat, lon)
    assert "Stoppet er gemt." in response.text
    assert "ligger på havet eller uden for Danmark" in response.text
    stop.refresh_from_db()
    assert str(stop.latitude) == lat
    # Its page says so again until it is moved onto land.
    page = client.get(f"/centres/{centre.pk}/stops/{stop.pk}/").text
    assert 'id="place-warning" class="notice warning" role="status">' in page


def test_a_stop_on_land_gets_no_warning(client, coordinator, centre, stop):
    client.force_login(coordinator)
    response = place(client, centre, stop, "56.73330", "8.64780")  # Redsted, Mors
    assert "ligger på havet" not in response.text
    page = client.get(f"/centres/{centre.pk}/stops/{stop.pk}/").text
    assert 'id="place-warning" class="notice warning" role="status" hidden>' in page


def test_the_public_stop_page_carries_its_map_data(client, centre):
    stop = f.make_stop(
        centre, community="Redsted", slug="redsted", latitude=56.7333, longitude=8.6478
    )
    text = client.get(f"/s/{stop.slug}/").text
    assert 'id="stop-map-data"' in text and '"lat": 56.7333' in text
    assert "/centres/" not in text  # the public marker leads nowhere inside the planning pages
