import datetime as dt

import pytest
from django.utils import timezone

from notifications import sms
from tests import factories as f

# A Tuesday in December; the café is on Wednesday at 10.00.
NOW = timezone.make_aware(dt.datetime(2026, 12, 1, 18, 0))
VISIT_DAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    settings.SMS_URL = "locmem://"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def visit(stop):
    stop.access_notes = "Nøglen hænger i skabet ved døren."
    stop.save()
    return f.make_visit(stop, date=VISIT_DAY, start_time=dt.time(10), end_time=dt.time(12))


@pytest.fixture
def vera(centre):
    return f.make_volunteer(
        centre, name="Vera Frivillig", email="vera@example.org", phone="20304050"
    )


@pytest.fixture
def bo(centre):
    return f.make_volunteer(centre, name="Bo Bager", email="bo@example.org", phone="")
