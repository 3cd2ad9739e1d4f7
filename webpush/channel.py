"""
The Web Push channel (notifications' Channel, named "push" in NOTIFICATION_CHANNELS):
each message encrypted by pywebpush to every phone the volunteer subscribed, signed
with the site's VAPID key, POSTed to the phone's push service.

What a push service's answer means: 201 delivered; 404 or 410 the browser has
unsubscribed (the subscription is dropped, never tried again); 429, a 5xx, a timeout
or no connection may work later (TemporaryFailure: retried with back-off); any
other refusal never will (PermanentFailure). One phone that took the message is
enough: the volunteer has it (a retry would show it twice on the others).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from notifications.channels.base import Channel, PermanentFailure, TemporaryFailure
from notifications.models import Notification
from volunteers.models import Volunteer
from webpush.keys import push_enabled
from webpush.models import PushSubscription
from webpush.services import subscription_delivered, subscription_gone

logger = logging.getLogger(__name__)

GONE = {404, 410}
# The phone shows a few lines; a push message's payload must stay under 4 KB encrypted.
BODY_MAX = 1000
TITLE_MAX = 120


@functools.cache
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key)


def volunteer_for(recipient: Any) -> Volunteer | None:
    """The active, not anonymised volunteer a recipient is (a Volunteer, or a user who is one)."""
    if isinstance(recipient, Volunteer):
        volunteer = recipient
    elif isinstance(recipient, AbstractBaseUser):
        volunteer = Volunteer.objects.filter(user=recipient).first()
    else:
        return None
    if volunteer is None or not volunteer.active or volunteer.anonymised_at is not None:
        return None
    return volunteer


def payload_of(notification: Notification) -> dict[str, str]:
    """
    What the service worker shows (static/js/sw.js): title, body, the page a tap
    opens and a tag, so that a newer message about the same visit replaces the
    older one on the phone instead of piling up.
    """
    tag = f"drivein-visit-{notification.visit_id}" if notification.visit_id else "drivein"
    body = notification.body.strip()
    if len(body) > BODY_MAX:
        body = body[: BODY_MAX - 1].rstrip() + "…"
    return {
        "title": (notification.subject or "Drive-in")[:TITLE_MAX],
        "body": body,
        "url": notification.url,
        "tag": tag,
    }


class PushChannel(Channel):
    name = "push"

    def address_for(self, recipient: Any) -> str | None:
        """The volunteer's subscribed browsers ("Chrome · Android"), None with none."""
        volunteer = volunteer_for(recipient)
        if volunteer is None or not push_enabled():
            return None
        browsers = list(volunteer.push_subscriptions.values_list("user_agent", flat=True))
        if not browsers:
            return None
        return ", ".join(agent or "?" for agent in browsers)

    def send(self, notification: Notification) -> None:
        volunteer = volunteer_for(notification.recipient)
        if volunteer is None:
            raise PermanentFailure("not an active volunteer")
        if not push_enabled():
            raise PermanentFailure("push is off: no VAPID keys")
        subscriptions = list(volunteer.push_subscriptions.all())
        if not subscriptions:
            raise PermanentFailure("no subscribed phone left")
        payload = payload_of(notification)
        data = json.dumps(payload, ensure_ascii=False)
        headers = {
            # A push service keeps only the newest message of a topic for a phone that is off.
            "Topic": hashlib.sha256(payload["tag"].encode()).hexdigest()[:32],
            "Urgency": "normal",
        }
        delivered = 0
        temporary: list[str] = []
        permanent: list[str] = []
        with requests.Session() as session:
            for subscription in subscriptions:
                try:
                    self._push(subscription, data, headers, session)
                except TemporaryFailure as error:
                    temporary.append(str(error))
                except PermanentFailure as error:
                    permanent.append(str(error))
                else:
                    subscription_delivered(subscription=subscription)
                    delivered += 1
        if delivered:
            # Sent: a retry would show it twice on the phones that have it.
            return
        if temporary:
            raise TemporaryFailure("; ".join(temporary))
        raise PermanentFailure("; ".join(permanent))

    def _push(
        self,
        subscription: PushSubscription,
        data: str,
        headers: dict[str, str],
        session: requests.Session,
    ) -> None:
        try:
            webpush(
                subscription.as_subscription_info(),
                data,
                vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
                # A fresh dict each time: pywebpush writes the audience and expiry into it.
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                content_encoding="aes128gcm",
                ttl=settings.WEBPUSH_TTL,
                timeout=settings.WEBPUSH_TIMEOUT,
                headers=headers,
                requests_session=session,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in GONE:
                subscription_gone(subscription=subscription)
                raise PermanentFailure(f"subscription gone ({status})") from error
            if status is not None and (status == 429 or status >= 500):
                raise TemporaryFailure(f"push service answered {status}") from error
            raise PermanentFailure(f"push service refused ({status})") from error
        except requests.RequestException as error:
            # Timeouts and refused connections: the push service may be back soon.
            reason = error.__class__.__name__
            raise TemporaryFailure(f"push service unreachable ({reason})") from error
