"""The route page, the warnings and the background fill on a real road network."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from planning.geo import Source
from planning.models import RoadLeg, e5
from planning.services import roster
from tests import factories as f
from tests.planning.helpers import on
from tests.planning.osm import OEN, OSTBY, VESTBY, build_fjord

T = dt.time


@pytest.fixture(scope="module")
def fjord(tmp_path_factory):
    return build_fjord(tmp_path_factory.mktemp("fjord"))


@pytest.fixture
def on_fjord(settings, fjord):
    settings.ROUTING_TILES_DIR = str(fjord)
    return fjord


@pytest.fixture
def fjord_centre(db):
    return f.make_centre(name="Vestby", latitude=VESTBY.lat, longitude=VESTBY.lon)


@pytest.fixture
def fjord_day(fjord_centre):
    """Vestby's van at Østby 10–12, then on Øen (no bridge) 12:30–14."""
    ostby = f.make_stop(fjord_centre, community="Østby", latitude=OSTBY.lat, longitude=OSTBY.lon)
    oen = f.make_stop(fjord_centre, community="Øen", latitude=OEN.lat, longitude=OEN.lon)
    day = on(2)
    f.make_visit(ostby, date=day, start_time=T(10), end_time=T(12))
    f.make_visit(oen, date=day, start_time=T(12, 30), end_time=T(14))
    return day


def test_the_route_page_drives_over_the_bridge_and_flags_the_island(
    client, on_fjord, fjord_centre, fjord_day
):
    client.force_login(f.make_coordinator(fjord_centre, "alice"))
    text = client.get(f"/centres/{fjord_centre.pk}/route/{fjord_day}/").text
    first_leg = text[text.index("Østby") :]
    assert "24,7 km" in first_leg[:600]  # over the bridge; the straight line is 2.4 km
    assert "ingen vej" in text and "Der blev ikke fundet nogen vej til disse stop" in text
    assert "Øen" in text[text.index("Der blev ikke fundet nogen vej til disse stop") :]


def test_without_roads_every_distance_is_marked_estimated(client, fjord_centre, fjord_day):
    client.force_login(f.make_coordinator(fjord_centre, "alice"))
    text = client.get(f"/centres/{fjord_centre.pk}/route/{fjord_day}/").text
    assert "ca.</span> 3,2 km · 3 min" in text  # 2.4 km straight × 1.3
    assert "anslået" in text and "ingen vej" not in text


def test_missing_tiles_show_a_message_on_the_route(
    client, settings, tmp_path, fjord_centre, fjord_day
):
    settings.ROUTING_TILES_DIR = str(tmp_path / "roads")
    client.force_login(f.make_coordinator(fjord_centre, "alice"))
    text = client.get(f"/centres/{fjord_centre.pk}/route/{fjord_day}/").text
    assert "Der er endnu intet vejnet i" in text and "ca.</span>" in text


def test_the_week_warns_of_the_real_drive_across_the_fjord(client, on_fjord, fjord_centre):
    """Straight across it is 3 min; over the bridge 25: a 15 min gap is too short."""
    west = f.make_stop(fjord_centre, community="Vestby Hallen", latitude=56.801, longitude=8.80)
    east = f.make_stop(fjord_centre, community="Østby", latitude=OSTBY.lat, longitude=OSTBY.lon)
    day = on(3)
    f.make_visit(west, date=day, start_time=T(10), end_time=T(12))
    f.make_visit(east, date=day, start_time=T(12, 15), end_time=T(14))
    client.force_login(f.make_coordinator(fjord_centre, "alice"))
    text = client.get(f"/centres/{fjord_centre.pk}/week/?week={day:%G-W%V}").text
    assert "min. ad vejen; der er 15 min." in text


def test_moving_a_stop_fills_its_legs_in_the_background(transactional_db, settings, on_fjord):
    """The worker runs here and ends its connections: real commits, not a test transaction."""
    fjord_centre = f.make_centre(name="Vestby", latitude=VESTBY.lat, longitude=VESTBY.lon)
    stop = f.make_stop(fjord_centre, community="Østby", latitude=56.5, longitude=8.5)
    stop.refresh_from_db()  # decimals, as a form gives them
    fields = {name: getattr(stop, name) for name in stop.PLACE_FIELDS}
    user = f.make_coordinator(fjord_centre, "alice")
    roster.stop_update(  # queues the fill as it commits
        stop=stop,
        fields={**fields, "latitude": Decimal("56.8"), "longitude": Decimal("8.84")},
        user=user,
    )
    assert not RoadLeg.objects.exists()  # queued, not yet done
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    there = RoadLeg.objects.get(to_lat=e5(OSTBY.lat), to_lon=e5(OSTBY.lon))
    back = RoadLeg.objects.get(from_lat=e5(OSTBY.lat), from_lon=e5(OSTBY.lon))
    assert there.source == back.source == Source.ROAD and there.metres > 24_000


def test_a_stop_saved_in_the_same_place_queues_nothing(
    on_fjord, fjord_centre, django_capture_on_commit_callbacks
):
    stop = f.make_stop(fjord_centre, community="Østby", latitude=OSTBY.lat, longitude=OSTBY.lon)
    stop.refresh_from_db()  # decimals, as a form gives them
    fields = {name: getattr(stop, name) for name in stop.PLACE_FIELDS}
    with django_capture_on_commit_callbacks() as callbacks:
        roster.stop_update(
            stop=stop, fields={**fields, "access_notes": "Nøgle i kassen"}, user=None
        )
    assert callbacks == []


def test_a_rebuilt_network_fills_every_centres_legs_in_the_background(
    transactional_db, settings, tmp_path
):
    fjord_centre = f.make_centre(name="Vestby", latitude=VESTBY.lat, longitude=VESTBY.lon)
    f.make_stop(fjord_centre, community="Østby", latitude=OSTBY.lat, longitude=OSTBY.lon)
    f.make_stop(fjord_centre, community="Øen", latitude=OEN.lat, longitude=OEN.lon)
    settings.ROUTING_TILES_DIR = str(tmp_path / "roads")
    build_fjord(tmp_path)  # queues the fill of every centre
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    # Vestby, Østby and Øen: six legs one way or the other; Øen's four have no road.
    sources = sorted(RoadLeg.objects.values_list("source", flat=True))
    assert sources == [Source.NO_ROAD] * 4 + [Source.ROAD] * 2
