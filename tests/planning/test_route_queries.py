"""The day route's query budget, with the estimate and with kept road legs."""

import datetime as dt

import pytest

from planning.geo import point_of
from planning.legs import LegBook
from tests import factories as f
from tests.planning.helpers import on
from tests.planning.osm import OSTBY, VESTBY, build_fjord

T = dt.time


@pytest.fixture(scope="module")
def fjord(tmp_path_factory):
    return build_fjord(tmp_path_factory.mktemp("fjord"))


def day_of(centre, count):
    day = on(2)
    for i in range(count):
        stop = f.make_stop(
            centre, community=f"By {i}", latitude=OSTBY.lat + i * 0.001, longitude=OSTBY.lon
        )
        f.make_visit(stop, date=day, start_time=T(8 + i), end_time=T(8 + i, 45))
    return day


@pytest.mark.parametrize("count", [2, 6])
def test_the_route_page_costs_the_same_few_queries_however_many_stops(
    client, db, django_assert_num_queries, count
):
    centre = f.make_centre(name="Vestby", latitude=VESTBY.lat, longitude=VESTBY.lon)
    day = day_of(centre, count)
    client.force_login(f.make_coordinator(centre, "alice"))
    # session, user, whether the user is leadership (the role), the centre (scoped to the
    # user), its vans, the day's visits with their stops
    with django_assert_num_queries(6):
        assert client.get(f"/centres/{centre.pk}/route/{day}/").status_code == 200


@pytest.mark.parametrize("count", [2, 6])
def test_with_kept_legs_the_route_reads_them_in_one_query(
    client, db, settings, fjord, django_assert_num_queries, count
):
    settings.ROUTING_TILES_DIR = str(fjord)
    centre = f.make_centre(name="Vestby", latitude=VESTBY.lat, longitude=VESTBY.lon)
    day = day_of(centre, count)
    places = [point_of(centre), *(point_of(s) for s in centre.stops.all())]
    book = LegBook(places)
    for a in places:
        for b in places:
            book.drive(a, b)  # what the background worker does
    client.force_login(f.make_coordinator(centre, "alice"))
    # session, user, the role, the centre, its vans, the day's visits, the kept legs
    with django_assert_num_queries(7):
        text = client.get(f"/centres/{centre.pk}/route/{day}/").text
    assert "ca.</span>" not in text and "ad vejnettet" in text
