"""SMS through the configured SMS backend (settings.SMS_URL; notifications/sms/)."""

from __future__ import annotations

from typing import Any

from notifications.channels.base import Channel
from notifications.models import Notification
from notifications.sms import get_backend, normalise_msisdn


class SmsChannel(Channel):
    name = "sms"

    def address_for(self, recipient: Any) -> str | None:
        return normalise_msisdn(getattr(recipient, "phone", "") or "")

    def send(self, notification: Notification) -> None:
        # The backend raises TemporaryFailure / PermanentFailure itself.
        get_backend().send(notification.address, notification.body)
