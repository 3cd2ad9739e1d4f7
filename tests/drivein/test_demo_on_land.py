"""The demo's places stand on land: each stop on the same land as its centre."""

import random

import pytest
from django.core.management import call_command

from drivein.demo import centre_specs
from planning.geo import Point, great_circle_km, island_of, on_land
from stops.models import CentreSite, Stop


@pytest.mark.django_db
def test_every_demo_stop_stands_on_its_centres_land(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--weeks", "1", verbosity=0)
    centres = {c.pk: Point(float(c.latitude), float(c.longitude)) for c in CentreSite.objects.all()}
    assert all(on_land(home) for home in centres.values())
    stops = list(Stop.objects.all())
    assert len(stops) >= 180
    for stop in stops:
        here, home = Point(float(stop.latitude), float(stop.longitude)), centres[stop.centre_id]
        assert island_of(here) == island_of(home), stop
        assert great_circle_km(here, home) <= 28.5, stop
    mors = CentreSite.objects.get(name="Nykøbing Mors")
    assert {island_of(Point(float(s.latitude), float(s.longitude))) for s in mors.stops.all()} == {
        island_of(centres[mors.pk])
    }


def test_every_national_centre_is_on_land():
    specs = centre_specs("national", random.Random(1))
    assert len(specs) >= 25
    assert [s["name"] for s in specs if not on_land(Point(s["lat"], s["lon"]))] == []


def test_the_outline_knows_sea_and_abroad_from_land():
    assert on_land(Point(56.16, 10.2))  # Aarhus
    assert not on_land(Point(56.9, 11.5))  # Kattegat
    assert not on_land(Point(54.5, 9.5))  # Schleswig, Germany
    assert island_of(Point(56.79, 8.84)) != island_of(Point(56.16, 9.5))  # Mors is not Jutland
