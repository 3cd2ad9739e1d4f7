"""System checks: a VAPID key pair that cannot sign, or two halves that do not match,
would only show when the first message fails; `manage.py check` says so at deploy."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

from webpush import keys


@register("webpush", deploy=False)
def vapid_keys_check(app_configs, **kwargs) -> list:
    private, public = settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY
    if not private and not public:
        return []
    if not private or not public:
        return [
            Error(
                "VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY are set together or not at all.",
                hint="python manage.py vapid_keys prints a pair.",
                id="webpush.E001",
            )
        ]
    try:
        derived = keys.public_key_of(private)
    except ValueError:
        return [
            Error(
                "VAPID_PRIVATE_KEY is not a base64url P-256 private key.",
                hint="python manage.py vapid_keys prints a pair.",
                id="webpush.E002",
            )
        ]
    if derived != public.rstrip("="):
        return [
            Error(
                "VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY.",
                hint="Phones subscribe with the public key; pushes are signed with the private.",
                id="webpush.E003",
            )
        ]
    if not settings.VAPID_SUBJECT.startswith(("mailto:", "https://")):
        return [
            Warning(
                "VAPID_SUBJECT should be a mailto: address (or an https: page).",
                hint="The push services write there when something is wrong.",
                id="webpush.W001",
            )
        ]
    return []
