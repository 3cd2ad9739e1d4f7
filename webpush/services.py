"""
Writes about push subscriptions: the profile's subscribe and unsubscribe (the
only doors), and what a push service's answer means for a subscription.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Preference
from volunteers.models import Volunteer
from webpush.models import PushSubscription

ENDPOINT_MAX: int = PushSubscription._meta.get_field("endpoint").max_length or 0


def b64url_decode(value: str) -> bytes:
    """Unpadded base64url, as the browsers write keys; ValueError for anything else."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+=*", value):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64url") from error


def endpoint_allowed(endpoint: str) -> bool:
    """
    The server POSTs to this address on its own: it must be one of the browsers'
    push services (settings.WEBPUSH_ENDPOINT_HOSTS), or a volunteer's phone could
    make the server call anything inside its network.
    """
    parts = urlsplit(endpoint)
    if not parts.scheme or not parts.netloc or parts.username or parts.password:
        return False
    for allowed in settings.WEBPUSH_ENDPOINT_HOSTS:
        scheme, _sep, host = allowed.partition("://")
        if parts.scheme == scheme and fnmatch.fnmatchcase(parts.netloc.lower(), host.lower()):
            return True
    return False


def _clean(endpoint: object, p256dh: object, auth: object) -> tuple[str, str, str]:
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise ValidationError(_("The subscription has no address."), code="endpoint")
    endpoint = endpoint.strip()
    if len(endpoint) > ENDPOINT_MAX or not endpoint_allowed(endpoint):
        raise ValidationError(
            _("The subscription's address is not a push service Drive-in sends to."),
            code="endpoint",
        )
    try:
        point = b64url_decode(p256dh)  # type: ignore[arg-type]
        secret = b64url_decode(auth)  # type: ignore[arg-type]
        # A point that is not on the curve could never be encrypted to.
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise ValidationError(_("The subscription's keys are not valid."), code="keys") from None
    if len(point) != 65 or len(secret) != 16:
        raise ValidationError(_("The subscription's keys are not valid."), code="keys")
    return endpoint, str(p256dh).rstrip("="), str(auth).rstrip("=")


def short_user_agent(header: str) -> str:
    """ "Chrome · Android": enough for a volunteer to tell their phones apart."""
    header = header or ""
    browser = next(
        (
            name
            for token, name in (
                ("SamsungBrowser", "Samsung Internet"),
                ("Edg", "Edge"),
                ("Firefox", "Firefox"),
                ("CriOS", "Chrome"),
                ("Chrome", "Chrome"),
                ("Safari", "Safari"),
            )
            if token in header
        ),
        "",
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "Mac"),
                ("Linux", "Linux"),
            )
            if token in header
        ),
        "",
    )
    return " · ".join(part for part in (browser, system) if part)[:60]


def subscription_save(
    *, volunteer: Volunteer, endpoint: object, p256dh: object, auth: object, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """
    Keep (or renew) this browser's subscription for the volunteer; True when it is
    new. The same browser subscribing again updates its keys; a browser another
    volunteer used before now belongs to this one (one phone, one person at a time).
    Raises ValidationError with a Danish message for anything a browser would not send.
    """
    endpoint, p256dh, auth = _clean(endpoint, p256dh, auth)
    values = {
        "volunteer": volunteer,
        "p256dh": p256dh,
        "auth": auth,
        "user_agent": short_user_agent(user_agent),
    }
    before = PushSubscription.objects.filter(endpoint=endpoint).select_related("volunteer").first()
    try:
        with transaction.atomic():
            saved = PushSubscription.objects.update_or_create(endpoint=endpoint, defaults=values)
    except IntegrityError:
        # Two requests for one new endpoint at once: the other one made it first.
        saved = PushSubscription.objects.update_or_create(endpoint=endpoint, defaults=values)
    _push_chosen(volunteer)
    if before is not None and before.volunteer_id != volunteer.pk:
        _push_chosen(before.volunteer)
    return saved


def _push_chosen(volunteer: Volunteer) -> None:
    """
    The button is the choice: a volunteer with a subscribed phone gets messages by
    push (Preference.by_push), one whose last phone stopped does not.
    """
    wanted = volunteer.push_subscriptions.exists()
    preference = Preference.for_volunteer(volunteer)
    if preference.by_push != wanted:
        preference.by_push = wanted
        preference.save(update_fields=["by_push", "updated_at"])


def subscription_delete(*, volunteer: Volunteer, endpoint: object) -> bool:
    """Stop messages to this browser; only the volunteer's own. True when one went."""
    if not isinstance(endpoint, str):
        return False
    deleted, _kinds = PushSubscription.objects.filter(
        volunteer=volunteer, endpoint=endpoint.strip()
    ).delete()
    _push_chosen(volunteer)
    return deleted > 0


def subscription_gone(*, subscription: PushSubscription) -> None:
    """The push service says the browser unsubscribed (404/410): never send there again."""
    PushSubscription.objects.filter(pk=subscription.pk).delete()
    _push_chosen(subscription.volunteer)


def subscription_delivered(*, subscription: PushSubscription) -> None:
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
