"""Fixtures of the funder report tests: the reach tests' known world and its grant."""

import pytest

from stops.models import Funder
from tests.reach.world import build_world, day


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def grant(world):
    """From Tuesday 25 November 2025, Skjern whole and the stop Karby (tests/reach/world.py)."""
    funder = Funder.objects.create(
        name="Landsbyfonden", grant_reference="LF-2025-017", start_date=day(25)
    )
    funder.centres.add(world.skjern)
    funder.stops.add(world.karby)
    return funder
