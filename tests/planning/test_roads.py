"""Drive times on a real road network: Valhalla on tiles the tests build themselves."""

import json

import pytest
from django.core.management import CommandError, call_command

from planning import roads
from planning.geo import Point, RoadModel, Source
from planning.legs import LegBook
from planning.models import RoadLeg
from planning.roads import decode_polyline
from tests.planning.osm import HEDEN, OEN, OSTBY, VESTBY, build_fjord


@pytest.fixture(scope="module")
def fjord(tmp_path_factory):
    return build_fjord(tmp_path_factory.mktemp("fjord"))


@pytest.fixture
def on_fjord(settings, fjord):
    settings.ROUTING_TILES_DIR = str(fjord)
    return fjord


def test_the_drive_across_the_fjord_goes_over_the_bridge(db, on_fjord):
    book = LegBook([VESTBY, OSTBY])
    drive = book.drive(VESTBY, OSTBY)
    straight = RoadModel.from_settings().drive(VESTBY, OSTBY)
    assert drive.source == Source.ROAD and not drive.is_estimate
    # 11 km up, 2.4 km over the bridge, 11 km down; the estimate says 3 km.
    assert 24 < drive.km < 26 and straight.km < 4
    assert drive.minutes > 5 * straight.minutes
    northmost = max(lat for lat, _lon in decode_polyline(drive.shape))
    assert northmost == pytest.approx(56.90, abs=0.001)


def test_a_leg_is_kept_and_read_back_without_the_engine(db, on_fjord, django_assert_num_queries):
    LegBook([VESTBY, OSTBY]).drive(VESTBY, OSTBY)
    leg = RoadLeg.objects.get()
    assert leg.source == Source.ROAD and 24_000 < leg.metres < 26_000 and leg.computed_at
    with django_assert_num_queries(1):  # the kept legs among the two places
        again = LegBook([VESTBY, OSTBY]).drive(VESTBY, OSTBY)
    assert again.metres == leg.metres and again.shape == leg.shape


@pytest.mark.parametrize("place", [OEN, HEDEN], ids=["island-without-bridge", "far-from-roads"])
def test_a_stop_no_road_reaches_falls_back_to_the_estimate(db, on_fjord, place):
    drive = LegBook([VESTBY, place]).drive(VESTBY, place)
    assert drive.source == Source.NO_ROAD and drive.no_road and drive.is_estimate
    assert drive.metres == pytest.approx(RoadModel.from_settings().drive(VESTBY, place).metres)
    assert RoadLeg.objects.get().source == Source.NO_ROAD


def test_without_tiles_the_estimate_is_the_default(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        book = LegBook([VESTBY, OSTBY])
        drive = book.drive(VESTBY, OSTBY)
    assert not book.on_roads and book.problem == ""
    assert drive.source == Source.ESTIMATE and drive.km < 4
    assert not RoadLeg.objects.exists()


def test_missing_tiles_say_so_and_the_estimate_stands_in(db, settings, tmp_path):
    settings.ROUTING_TILES_DIR = str(tmp_path / "nowhere")
    book = LegBook([VESTBY, OSTBY])
    assert not book.on_roads and "nowhere" in book.problem and "endnu" in book.problem
    assert book.drive(VESTBY, OSTBY).source == Source.ESTIMATE


def test_a_half_built_network_says_so(db, settings, tmp_path):
    copy = build_fjord(tmp_path)
    (copy / roads.MANIFEST).unlink()
    settings.ROUTING_TILES_DIR = str(copy)
    book = LegBook([VESTBY, OSTBY])
    assert not book.on_roads and "halvvejs" in book.problem
    assert book.drive(VESTBY, OSTBY).source == Source.ESTIMATE


def test_a_damaged_tile_says_so(db, settings, tmp_path):
    copy = build_fjord(tmp_path)
    tile = next((copy / roads.GRAPH).rglob("*.gph"))
    tile.write_bytes(tile.read_bytes()[:100])
    settings.ROUTING_TILES_DIR = str(copy)
    book = LegBook([VESTBY, OSTBY])
    assert not book.on_roads and "beskadiget" in book.problem
    assert book.drive(VESTBY, OSTBY).source == Source.ESTIMATE


def test_a_rebuild_makes_the_old_legs_stale(db, settings, tmp_path):
    settings.ROUTING_TILES_DIR = str(build_fjord(tmp_path))
    LegBook([VESTBY, OSTBY]).drive(VESTBY, OSTBY)
    old = RoadLeg.objects.get().network
    build_fjord(tmp_path)
    manifest = json.loads((tmp_path / "roads" / roads.MANIFEST).read_text())
    book = LegBook([VESTBY, OSTBY])
    assert book.engine.network == manifest["network"] != old
    assert book.drive(VESTBY, OSTBY).source == Source.ROAD and book.computed == 1


def test_building_from_a_missing_extract_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No OpenStreetMap extract"):
        call_command("build_roads", str(tmp_path / "none.osm.pbf"), "--into", str(tmp_path))


def test_the_points_are_where_the_file_says():
    assert Point(56.80, 8.80) == VESTBY
