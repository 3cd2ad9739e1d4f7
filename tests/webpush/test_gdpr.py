"""A volunteer's phones are their data: in the download, gone when they are anonymised."""

from __future__ import annotations

import pytest

from volunteers.gdpr import volunteer_anonymise, volunteer_data
from webpush.models import PushSubscription

pytestmark = pytest.mark.django_db
ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile"


def test_the_data_download_lists_the_phones_without_their_keys(subscribe, vera):
    subscription, _browser = subscribe(vera, user_agent=ANDROID)
    data = volunteer_data(volunteer=vera)
    assert data["push_subscriptions"] == [
        {
            "browser": "Chrome · Android",
            "created_at": subscription.created_at.isoformat(),
            "last_success_at": None,
        }
    ]
    assert subscription.auth not in str(data) and subscription.endpoint not in str(data)


def test_anonymising_drops_the_phones(subscribe, vera, other_volunteer):
    subscribe(vera, "/push/vera")
    subscribe(other_volunteer, "/push/otto")
    volunteer_anonymise(volunteer=vera)
    assert list(PushSubscription.objects.values_list("volunteer", flat=True)) == [
        other_volunteer.pk
    ]
