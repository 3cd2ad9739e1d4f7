"""E-mail through Django's mail (settings.MAILERS, from EMAIL_URL): text with an HTML part."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from notifications.channels.base import Channel, PermanentFailure, TemporaryFailure
from notifications.models import Notification


class EmailChannel(Channel):
    name = "email"

    def address_for(self, recipient: Any) -> str | None:
        return (getattr(recipient, "email", "") or "").strip() or None

    def send(self, notification: Notification) -> None:
        message = EmailMultiAlternatives(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.address],
            # The same Message-ID on every attempt: a receiving server may drop a repeat.
            headers={"Message-ID": f"<{notification.key.replace(':', '.')}@drivein>"},
        )
        if notification.html:
            message.attach_alternative(notification.html, "text/html")
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(str(error)) from error
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(str(error) or error.__class__.__name__) from error
