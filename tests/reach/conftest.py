"""Fixtures of the reach tests: the known world of tests/reach/world.py and a grant."""

import pytest

from stops.models import Funder

from .world import build_world, day


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def grant(world):
    """A grant from Tuesday 25 November 2025 covering Skjern whole and the stop Karby."""
    funder = Funder.objects.create(name="Landsbyfonden", start_date=day(25))
    funder.centres.add(world.skjern)
    funder.stops.add(world.karby)
    return funder
