"""The demo's places stand on land (the seeded stops: tests/demo/test_seeded.py)."""

import random

from demo.places import centre_specs
from planning.geo import Point, island_of, on_land


def test_every_national_centre_is_on_land():
    specs = centre_specs("national", random.Random(1))
    assert len(specs) >= 25
    assert [s["name"] for s in specs if not on_land(Point(s["lat"], s["lon"]))] == []


def test_the_outline_knows_sea_and_abroad_from_land():
    assert on_land(Point(56.16, 10.2))  # Aarhus
    assert not on_land(Point(56.9, 11.5))  # Kattegat
    assert not on_land(Point(54.5, 9.5))  # Schleswig, Germany
    assert island_of(Point(56.79, 8.84)) != island_of(Point(56.16, 9.5))  # Mors is not Jutland
