"""A café on a public holiday that nobody confirmed: the public page and feed say so."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def on_holiday(stop):
    """A café the patterns put on a public holiday (nobody has touched it)."""
    day = timezone.localdate() + dt.timedelta(days=5)
    return f.make_visit(stop, date=day, is_holiday=True, holiday_name="Kristi himmelfartsdag")


def test_the_stop_page_says_the_holiday_cafe_is_not_confirmed(client, stop, on_holiday):
    page = client.get(f"/s/{stop.slug}/")
    assert "Kristi himmelfartsdag: ikke bekræftet endnu" in page.text


def test_a_confirmed_holiday_cafe_says_nothing(client, stop, on_holiday):
    on_holiday.is_edited = True  # a coordinator kept it on the day
    on_holiday.save()
    assert "ikke bekræftet endnu" not in client.get(f"/s/{stop.slug}/").text


def test_the_centre_feed_says_the_holiday_cafe_is_not_confirmed(client, centre, on_holiday):
    feed = icalendar.Calendar.from_ical(client.get(f"/calendar/centre/{centre.pk}.ics").content)
    event = next(
        e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(f"visit-{on_holiday.pk}@")
    )
    assert str(event["DESCRIPTION"]) == (
        "Kristi himmelfartsdag er en helligdag: caféen er ikke bekræftet endnu."
    )
