from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    sender: str


class SmsBackend:
    """Send one SMS; raise notifications.channels.TemporaryFailure or PermanentFailure."""

    def __init__(self, url: str) -> None:
        self.url = urlsplit(url)
        self.sender = settings.SMS_SENDER

    def send(self, to: str, text: str) -> None:
        raise NotImplementedError
