"""Fixtures of the visits tests: yesterday's café, ready for a report, and a service type."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories as f

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=YESTERDAY)


@pytest.fixture
def debt(db):
    return f.make_service_type(name="Gældsrådgivning")
