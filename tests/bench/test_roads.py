"""The bench's own road network (bench.roads), built by the real engine."""

import pytest
from django.core.management import call_command

from bench.roads import write_star
from planning.geo import Point, RoadModel, Source
from planning.legs import LegBook

CENTRE = (56.795, 8.85)
STOPS = [(56.85, 8.80), (56.74, 8.93), (56.90, 8.95)]


@pytest.fixture(scope="module")
def network(tmp_path_factory, django_db_blocker):
    folder = tmp_path_factory.mktemp("bench-roads")
    extract = write_star(folder / "star.osm.pbf", CENTRE, STOPS)
    with django_db_blocker.unblock():  # build_roads queues the legs' refill
        call_command("build_roads", str(extract), "--into", str(folder / "roads"))
    return folder / "roads"


def test_every_stop_is_reached_on_a_road_longer_than_the_straight_line(db, settings, network):
    settings.ROUTING_TILES_DIR = str(network)
    book = LegBook([Point(*CENTRE), *(Point(*s) for s in STOPS)])
    line = RoadModel(road_factor=1.0, speed_kmh=60)
    for stop in STOPS:
        drive = book.drive(Point(*CENTRE), Point(*stop))
        assert drive.source == Source.ROAD
        straight = line.drive(Point(*CENTRE), Point(*stop)).metres
        assert straight * 1.05 < drive.metres < straight * 1.5


def test_two_stops_are_joined_through_the_centre(db, settings, network):
    settings.ROUTING_TILES_DIR = str(network)
    book = LegBook([Point(*CENTRE), *(Point(*s) for s in STOPS)])
    a, b, centre = Point(*STOPS[0]), Point(*STOPS[1]), Point(*CENTRE)
    via = book.drive(a, centre).metres + book.drive(centre, b).metres
    assert book.drive(a, b).metres == pytest.approx(via, rel=0.02)
