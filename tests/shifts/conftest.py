"""
The shifts cast: Vera (a volunteer of the centre, host), Dan (a driver with a
valid licence), Hans (a host, free every day), Olga (of another centre), on a
visit next week that wants two people and a driver.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories as f
from volunteers.choices import QualificationKind, VolunteerRole
from volunteers.models import Qualification

NEXT_WEEK = timezone.localdate() + dt.timedelta(days=7)


def licence(volunteer, valid_until=None):
    return Qualification.objects.create(
        volunteer=volunteer, kind=QualificationKind.DRIVING_LICENCE, valid_until=valid_until
    )


@pytest.fixture
def vera(volunteer_user):
    return volunteer_user.volunteer


@pytest.fixture
def dan(centre):
    dan = f.make_volunteer(
        centre,
        user=f.make_user("dan"),
        name="Dan Driver",
        is_driver=True,
        available_weekdays="1234567",
    )
    licence(dan)
    return dan


@pytest.fixture
def hans(centre):
    return f.make_volunteer(
        centre, user=f.make_user("hans"), name="Hans Hjælper", available_weekdays="1234567"
    )


@pytest.fixture
def olga(other_centre):
    return f.make_volunteer(other_centre, user=f.make_user("olga"), name="Olga Andetsted")


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=NEXT_WEEK, start_time=dt.time(10, 0), end_time=dt.time(12, 0))


@pytest.fixture
def vera_on(visit, vera):
    """Vera hosts the visit; Dan drives it: the team is full."""
    return f.make_assignment(visit, vera, role=VolunteerRole.HOST)


@pytest.fixture
def dan_on(visit, dan):
    return f.make_assignment(visit, dan, role=VolunteerRole.DRIVER)
