"""
SMS backends in the style of Django's mail backends: one class with `send(to, text)`,
chosen by the URL in settings.SMS_URL:

- ``console://``: print each message (development)
- ``file:///path/to/folder``: one file per message in that folder
- ``locmem://``: keep them in ``notifications.sms.outbox`` (tests)
- ``gatewayapi://TOKEN@gatewayapi.com``: GatewayAPI.com's REST API (a Danish gateway)
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from notifications.sms.base import SmsBackend, SmsMessage

__all__ = ["SmsBackend", "SmsMessage", "get_backend", "normalise_msisdn", "outbox"]

# What the locmem backend has "sent", like django.core.mail.outbox.
outbox: list[SmsMessage] = []

SCHEMES = {
    "console": "notifications.sms.backends.ConsoleBackend",
    "file": "notifications.sms.backends.FileBackend",
    "locmem": "notifications.sms.backends.LocmemBackend",
    "gatewayapi": "notifications.sms.gatewayapi.GatewayApiBackend",
    "gatewayapi+http": "notifications.sms.gatewayapi.GatewayApiBackend",
}


def get_backend(url: str | None = None) -> SmsBackend:
    url = settings.SMS_URL if url is None else url
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"SMS_URL {scheme}:// is not known; use one of {', '.join(sorted(SCHEMES))}."
        )
    return import_string(SCHEMES[scheme])(url)


def normalise_msisdn(phone: str, country_code: str = "45") -> str | None:
    """A phone number as the gateway wants it (digits with the country code), or None.

    Danish numbers are eight digits; "+45 12 34 56 78", "0045…" and "12345678" are one.
    """
    digits = re.sub(r"[\s\-().]", "", phone)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    elif len(digits) == 8:
        digits = country_code + digits
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        return None
    return digits
