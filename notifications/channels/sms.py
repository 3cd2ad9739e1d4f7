"""SMS through the configured SMS backend (settings.SMS_URL; notifications/sms/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from notifications.channels.base import Channel
from notifications.models import Notification
from notifications.sms import get_backend, normalise_msisdn


class SmsChannel(Channel):
    name = "sms"

    def address_for(self, recipient: Any) -> str | None:
        if not settings.SMS_URL:
            return None  # SMS is not set up: nobody is reachable by it
        return normalise_msisdn(getattr(recipient, "phone", "") or "")

    def send(self, notification: Notification) -> None:
        # The backend raises TemporaryFailure / PermanentFailure itself.
        get_backend().send(notification.address, notification.body)
