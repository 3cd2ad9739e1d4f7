"""The interface the push channel builds on: preferences, the log's key, the channel registry."""

import datetime as dt

import pytest
from django.db import IntegrityError

from notifications.channels import get_channel, get_channels
from notifications.channels.email import EmailChannel
from notifications.channels.sms import SmsChannel
from notifications.models import Notification, Preference
from tests import factories as f


@pytest.mark.django_db
def test_defaults_follow_what_the_volunteer_gave(centre):
    both = f.make_volunteer(centre, email="a@example.org", phone="20 30 40 50")
    neither = f.make_volunteer(centre, email="", phone="")
    pref = Preference.for_volunteer(both)
    assert (pref.by_email, pref.by_sms, pref.by_push) == (True, True, False)
    assert pref.remind_day_before_at == dt.time(17, 0) and pref.remind_hours_before == 2
    assert not Preference.for_volunteer(neither).by_email
    assert not Preference.defaults_for(neither).by_sms
    assert Preference.for_volunteer(both).pk == pref.pk  # made once


@pytest.mark.parametrize(
    ("start", "end", "moment", "quiet"),
    [
        ("22:00", "07:00", "23:30", True),
        ("22:00", "07:00", "03:00", True),
        ("22:00", "07:00", "07:00", False),
        ("22:00", "07:00", "17:00", False),
        ("12:00", "13:00", "12:30", True),
        ("12:00", "13:00", "13:30", False),
    ],
)
def test_quiet_hours_may_cross_midnight(start, end, moment, quiet):
    pref = Preference(
        quiet_from=dt.time.fromisoformat(start), quiet_until=dt.time.fromisoformat(end)
    )
    assert pref.is_quiet(dt.time.fromisoformat(moment)) is quiet


@pytest.mark.django_db
def test_a_key_is_recorded_once(centre):
    Notification.objects.create(key="reminder:x:email", kind="change", channel="email")
    with pytest.raises(IntegrityError):
        Notification.objects.create(key="reminder:x:email", kind="change", channel="email")


@pytest.mark.django_db
def test_channels_come_from_the_setting(settings, centre):
    assert set(get_channels()) == {"email", "sms", "push"}
    assert isinstance(get_channel("email"), EmailChannel)
    assert get_channel("pigeon") is None
    volunteer = f.make_volunteer(centre, email="", phone="+45 20 30 40 50")
    assert get_channel("email").address_for(volunteer) is None
    assert SmsChannel().address_for(volunteer) == "4520304050"
