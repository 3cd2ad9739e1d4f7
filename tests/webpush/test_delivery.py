"""
Push through the whole machinery (notify_tick records the reminder, the worker's
deliver sends it): a phone gets the day-before reminder once; a subscription the
push service calls gone is dropped and the notification fails at once, never
retried; a busy push service is tried again later and the phone gets it once.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notifications.choices import Status
from notifications.delivery import backoff
from notifications.models import Notification
from notifications.services import notify_tick
from notifications.tasks import deliver_all
from tests import factories as f
from visits.models import Visit
from volunteers.models import Assignment
from webpush.models import PushSubscription

pytestmark = pytest.mark.django_db

VISIT_DAY = dt.date(2026, 12, 2)


def at(hour: int, minute: int = 0, day: dt.date = dt.date(2026, 12, 1)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def run(now: dt.datetime) -> None:
    """The tick, then what a worker does with the queued sends (the clock is the test's)."""
    earlier = now - dt.timedelta(days=7)
    Assignment.objects.filter(created_at__gt=now).update(created_at=earlier)
    Visit.objects.filter(updated_at__gt=now).update(updated_at=earlier)
    notify_tick(now=now)
    due = Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    deliver_all(list(due.values_list("pk", flat=True)), now=now)


@pytest.fixture
def shift(stop, vera):
    visit = f.make_visit(stop, date=VISIT_DAY, start_time=dt.time(10), end_time=dt.time(12))
    f.make_assignment(visit, vera)
    return visit


def push_row() -> Notification:
    return Notification.objects.get(channel="push", kind="reminder_day_before")


def test_the_day_before_reminder_reaches_the_phone_once(push_service, subscribe, vera, shift):
    subscribe(vera)
    run(at(17, 0))
    run(at(17, 5))
    [received] = push_service.received
    assert received.problems == []
    assert received.payload["title"].startswith("Påmindelse: café i")
    assert "/today/" in received.payload["body"]  # the minimum: place, time, link
    assert received.payload["url"].endswith("/today/")
    assert received.payload["tag"] == f"drivein-visit-{shift.pk}"
    assert push_row().status == Status.SENT


def test_a_gone_subscription_fails_the_notification_at_once_and_is_never_retried(
    push_service, subscribe, vera, shift
):
    subscribe(vera)
    push_service.answers["/push/phone-1"] = 410
    run(at(17, 0))
    row = push_row()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "gone (410)" in row.error
    assert not PushSubscription.objects.exists()
    for later in (at(17, 5), at(18, 0), at(8, 0, VISIT_DAY)):
        run(later)
    assert push_service.requests == 1
    assert push_row().attempts == 1
    # Nothing more by push for this volunteer: the next reminder is not even recorded.
    assert not Notification.objects.filter(channel="push", kind="reminder_hours_before").exists()


def test_a_busy_push_service_is_tried_again_and_the_phone_gets_it_once(
    push_service, subscribe, vera, shift
):
    subscribe(vera)
    push_service.answers["/push/phone-1"] = 503
    run(at(17, 0))
    row = push_row()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at == at(17, 0) + backoff(1)
    del push_service.answers["/push/phone-1"]
    run(at(17, 0) + backoff(1))
    assert push_row().status == Status.SENT
    assert len(push_service.received) == 1 and push_service.requests == 2
