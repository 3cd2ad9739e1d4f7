"""The channel interface: one class per way of reaching a person (e-mail, SMS, push).

A channel says where it would send to a recipient (`address_for`) and sends one
recorded notification (`send`). It raises TemporaryFailure for what may work later
(retried with back-off) and PermanentFailure for what never will (an expired push
subscription, a refused address): the notification then fails at once.
Channels are named in settings.NOTIFICATION_CHANNELS and loaded with import_string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from notifications.failures import PermanentFailure, TemporaryFailure

if TYPE_CHECKING:
    from notifications.models import Notification

__all__ = ["Channel", "PermanentFailure", "TemporaryFailure"]


class Channel:
    """Base class; subclasses set `name` and implement both methods."""

    name: str = ""

    def address_for(self, recipient: Any) -> str | None:
        """The address on this channel for a Volunteer or a User, or None (not reachable)."""
        raise NotImplementedError

    def send(self, notification: Notification) -> None:
        """Deliver one notification to notification.address; raise a Failure if not."""
        raise NotImplementedError
