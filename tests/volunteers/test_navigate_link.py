"""The shift card opens the phone's maps app at the stop (a geo: link, a browser fallback)."""

from tests import factories as f

from .conftest import TODAY


def test_the_shift_card_links_to_the_stop_in_the_maps_app(client, volunteer_user, vera, centre):
    stop = f.make_stop(centre, community="Øster Jølby", latitude=56.73330, longitude=8.64780)
    f.make_assignment(f.make_visit(stop, date=TODAY), vera, role="host")
    client.force_login(volunteer_user)
    text = client.get("/today/").text
    # One link on the card (the phone's script opens geo: on Android, else the route planner).
    assert text.count('class="maps-link"') == 1
    assert 'data-geo="geo:56.73330,8.64780?q=56.73330,8.64780(' in text
    assert 'href="https://www.openstreetmap.org/directions?to=56.73330%2C8.64780"' in text


def test_a_stop_without_coordinates_has_no_link(client, volunteer_user, vera, centre):
    stop = f.make_stop(centre, community="Karby", latitude=None, longitude=None)
    f.make_assignment(f.make_visit(stop, date=TODAY), vera, role="host")
    client.force_login(volunteer_user)
    text = client.get("/today/").text
    assert "Karby" in text and "geo:" not in text
