"""
The push channel against a real push service of the test's own (pushservice.py):
pywebpush encrypts to keys the test holds, the service checks the VAPID signature
and decrypts; its answers (410, 503, a timeout) decide what happens to the
subscription and whether the message is tried again.
"""

from __future__ import annotations

import socket
import uuid

import pytest
from django.utils import timezone

from notifications.channels import PermanentFailure, TemporaryFailure, get_channel
from notifications.models import Notification
from tests import factories as f
from webpush.channel import PushChannel
from webpush.models import PushSubscription

pytestmark = pytest.mark.django_db


def notification(volunteer, **fields) -> Notification:
    values = {
        "key": f"test:{uuid.uuid4()}",
        "volunteer": volunteer,
        "kind": "change",
        "channel": "push",
        "subject": "Caféen i Redsted er flyttet",
        "body": "Tirsdag 24/11 kl. 17.00–19.00 (før 16.00). Redsted Forsamlingshus.",
        "url": "/today/",
        **fields,
    }
    values["address"] = PushChannel().address_for(volunteer) or ""
    return Notification.objects.create(**values)


def test_push_is_a_configured_channel():
    assert isinstance(get_channel("push"), PushChannel)


def test_a_message_reaches_the_phone_encrypted_and_signed(push_service, subscribe, vera):
    subscription, _browser = subscribe(vera)
    message = notification(vera)
    PushChannel().send(message)
    [received] = push_service.received
    assert received.problems == []
    assert received.payload == {
        "title": "Caféen i Redsted er flyttet",
        "body": "Tirsdag 24/11 kl. 17.00–19.00 (før 16.00). Redsted Forsamlingshus.",
        "url": "/today/",
        "tag": "drivein",
    }
    assert received.headers["ttl"] == "86400"
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


def test_messages_about_one_visit_share_a_tag_so_the_newest_replaces_the_older(
    push_service, subscribe, vera, stop
):
    subscribe(vera)
    visit = f.make_visit(stop)
    PushChannel().send(notification(vera, visit=visit))
    PushChannel().send(notification(vera, visit=visit, subject="Caféen er aflyst"))
    tags = [received.payload["tag"] for received in push_service.received]
    assert tags == [f"drivein-visit-{visit.pk}"] * 2
    topics = {received.headers["topic"] for received in push_service.received}
    assert len(topics) == 1 and len(topics.pop()) == 32


def test_every_phone_of_the_volunteer_gets_it(push_service, subscribe, vera):
    subscribe(vera, "/push/phone-1")
    subscribe(vera, "/push/tablet")
    PushChannel().send(notification(vera))
    assert sorted(r.path for r in push_service.received) == ["/push/phone-1", "/push/tablet"]
    assert all(r.problems == [] for r in push_service.received)


def test_a_long_text_is_cut_to_what_a_phone_shows(push_service, subscribe, vera):
    subscribe(vera)
    PushChannel().send(notification(vera, body="ø" * 3000))
    [received] = push_service.received
    assert len(received.payload["body"]) == 1000 and received.payload["body"].endswith("…")


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_calls_gone_is_dropped_and_not_tried_again(
    push_service, subscribe, vera, status
):
    subscribe(vera, "/push/old-phone")
    push_service.answers["/push/old-phone"] = status
    with pytest.raises(PermanentFailure, match=f"gone \\({status}\\)"):
        PushChannel().send(notification(vera))
    assert not PushSubscription.objects.exists()
    assert PushChannel().address_for(vera) is None
    # A message already queued for it fails at once, without asking the service again.
    with pytest.raises(PermanentFailure, match="no subscribed phone"):
        PushChannel().send(notification(vera))
    assert push_service.requests == 1


def test_one_gone_phone_does_not_stop_the_others(push_service, subscribe, vera):
    subscribe(vera, "/push/old-phone")
    subscribe(vera, "/push/new-phone")
    push_service.answers["/push/old-phone"] = 410
    PushChannel().send(notification(vera))
    assert [r.path for r in push_service.received] == ["/push/new-phone"]
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        push_service.origin + "/push/new-phone"
    ]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_or_broken_push_service_means_try_again_later(push_service, subscribe, vera, status):
    subscribe(vera)
    push_service.answers["/push/phone-1"] = status
    with pytest.raises(TemporaryFailure, match=str(status)):
        PushChannel().send(notification(vera))
    assert PushSubscription.objects.count() == 1


def test_a_push_service_that_does_not_answer_in_time_means_try_again_later(
    push_service, subscribe, vera, settings
):
    settings.WEBPUSH_TIMEOUT = 0.3
    subscribe(vera)
    push_service.delays["/push/phone-1"] = 1.5
    started = timezone.now()
    with pytest.raises(TemporaryFailure, match="unreachable"):
        PushChannel().send(notification(vera))
    assert (timezone.now() - started).total_seconds() < 1.4
    assert PushSubscription.objects.count() == 1


def test_a_push_service_that_is_down_means_try_again_later(push_service, subscribe, vera):
    subscription, _browser = subscribe(vera)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    # Nothing listens there once the socket is closed.
    PushSubscription.objects.filter(pk=subscription.pk).update(
        endpoint=f"http://127.0.0.1:{port}/push/phone-1"
    )
    with pytest.raises(TemporaryFailure, match="unreachable"):
        PushChannel().send(notification(vera))


@pytest.mark.parametrize("status", [400, 403, 413])
def test_a_refusal_is_final_for_the_message_but_keeps_the_phone(
    push_service, subscribe, vera, status
):
    subscribe(vera)
    push_service.answers["/push/phone-1"] = status
    with pytest.raises(PermanentFailure, match=str(status)):
        PushChannel().send(notification(vera))
    assert PushSubscription.objects.count() == 1


def test_the_address_names_the_subscribed_browsers(push_service, subscribe, vera):
    assert PushChannel().address_for(vera) is None
    android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"
    subscribe(vera, user_agent=android)
    assert PushChannel().address_for(vera) == "Chrome · Android"
    assert PushChannel().address_for(vera.user) == "Chrome · Android"


def test_nothing_goes_to_an_inactive_or_anonymised_volunteer(push_service, subscribe, vera):
    subscribe(vera)
    message = notification(vera)
    vera.active = False
    vera.save()
    assert PushChannel().address_for(vera) is None
    with pytest.raises(PermanentFailure):
        PushChannel().send(message)
    vera.active, vera.anonymised_at = True, timezone.now()
    vera.save()
    assert PushChannel().address_for(vera) is None
    with pytest.raises(PermanentFailure):
        PushChannel().send(message)
    assert push_service.requests == 0


def test_without_vapid_keys_push_is_off(push_service, subscribe, vera, settings):
    subscribe(vera)
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    assert PushChannel().address_for(vera) is None
    with pytest.raises(PermanentFailure, match="no VAPID keys"):
        PushChannel().send(notification(vera))
    assert push_service.requests == 0


def test_a_site_with_other_keys_is_refused_by_the_check_of_the_signature(
    push_service, subscribe, vera, settings
):
    """The test's service really verifies: a push signed with another key is caught."""
    from webpush import keys

    subscribe(vera)
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = keys.generate()
    PushChannel().send(notification(vera))
    [received] = push_service.received
    assert "k is not the site's public key" in received.problems
    assert "the signature does not verify with the site's public key" in received.problems
