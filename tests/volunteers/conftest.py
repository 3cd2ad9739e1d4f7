"""Fixtures for the volunteers' pages: a visit yesterday and today on Vera's team."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories as f
from volunteers.models import Volunteer

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def visit(stop, vera):
    """Yesterday's café at Redsted, with Vera on the team."""
    visit = f.make_visit(stop, date=YESTERDAY)
    f.make_assignment(visit, vera)
    return visit


@pytest.fixture
def other_visit(other_stop):
    """A café of another centre (Skjern)."""
    return f.make_visit(other_stop, date=YESTERDAY)


@pytest.fixture
def debt(db):
    return f.make_service_type(name="Gældsrådgivning", slug="gaeld")


@pytest.fixture
def nurse(db):
    return f.make_service_type(name="Gadesygeplejerske", slug="sygeplejerske")
