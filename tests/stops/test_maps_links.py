"""
One home for the links that open a stop in a maps app (stops.maps): the route page's
*Navigér*, the volunteer's shift card and the phone's kept bundle send the driver and
the team to the same place.
"""

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from stops.maps import maps_links
from tests import factories as f
from volunteers.models import Volunteer

TODAY = timezone.localdate()
T = dt.time


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


def _route_links(text: str) -> dict[str, str]:
    geo = re.search(r'class="button small nav-link" href="([^"]+)"', text).group(1)
    web = re.search(r'class="nav-fallback" href="([^"]+)"', text).group(1)
    return {"geo": html.unescape(geo), "web": html.unescape(web)}


def _card_links(text: str) -> dict[str, str]:
    link = re.search(r'<a class="maps-link" href="([^"]+)" data-geo="([^"]+)"', text)
    return {"geo": html.unescape(link.group(2)), "web": html.unescape(link.group(1))}


def test_the_route_page_the_shift_card_and_the_bundle_give_the_same_link_for_a_stop(
    client, centre, coordinator, volunteer_user, vera
):
    stop = f.make_stop(
        centre, community="Øster Jølby", venue_name="Jølby Hus", latitude=56.7333, longitude=8.6478
    )
    visit = f.make_visit(stop, date=TODAY)
    f.make_assignment(visit, vera, role="host")

    client.force_login(coordinator)
    route = _route_links(client.get(f"/centres/{centre.pk}/route/{TODAY.isoformat()}/").text)
    client.force_login(volunteer_user)
    card = _card_links(client.get("/today/").text)
    kept = next(s for s in client.get("/today/bundle.json").json()["shifts"] if s["id"] == visit.pk)

    assert route == card == kept["maps"]
    assert route == {
        "geo": "geo:56.73330,8.64780?q=56.73330,8.64780(J%C3%B8lby%20Hus)",
        "web": "https://www.openstreetmap.org/directions?to=56.73330%2C8.64780",
    }


def test_a_stop_with_only_an_address_is_searched_for_on_the_card_and_left_off_the_route(
    client, centre, coordinator, volunteer_user, vera
):
    stop = f.make_stop(
        centre, community="Karby", address="Kirkevej 2", latitude=None, longitude=None
    )
    f.make_assignment(f.make_visit(stop, date=TODAY), vera, role="host")
    client.force_login(volunteer_user)
    card = _card_links(client.get("/today/").text)
    assert card == maps_links(stop)
    assert card["web"] == "https://www.openstreetmap.org/search?query=Kirkevej%202%2C%20Karby"
    # The route cannot place it: it is named among the stops off the route, unlinked,
    # beside a placed stop of the same day that has its link.
    redsted = f.make_stop(centre, community="Redsted")
    f.make_visit(redsted, date=TODAY, start_time=T(14), end_time=T(15))
    client.force_login(coordinator)
    route = client.get(f"/centres/{centre.pk}/route/{TODAY.isoformat()}/").text
    assert "Karby" in route.split("Uden koordinater")[1]
    assert route.count('class="button small nav-link"') == 1


def test_a_stop_with_neither_place_nor_address_has_no_maps_link(
    client, centre, volunteer_user, vera
):
    stop = f.make_stop(centre, community="Ingensteds", address="", latitude=None, longitude=None)
    f.make_assignment(f.make_visit(stop, date=TODAY), vera, role="host")
    client.force_login(volunteer_user)
    card = client.get("/today/").text
    assert "Ingensteds" in card and "maps-link" not in card
    assert maps_links(stop) == {}
