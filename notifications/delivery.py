"""
Sending one recorded notification, exactly as the log says, at most once.

A notification is written under its idempotency key first (``record``: insert or skip
on the unique key), then a task sends it (``claim_and_send``). ``claim_and_send`` claims
the row with one conditional UPDATE (pending → sending, attempts + 1, a lease) in its
own transaction, before it talks to the provider; only the worker whose UPDATE matched
sends. Two workers, a task run twice or a second tick find nothing to claim.

This module knows nothing of the queue: ``notifications.tasks`` queues what
``lease_due`` hands it and the retries ``claim_and_send`` asks for (``Attempt``), so
the task module imports this one and never the other way round.

A worker killed after the claim leaves the row "sending": nobody can know whether the
provider got the message, so it is never sent again (at most once, as the issue asks:
never twice). When the lease runs out the tick marks it failed, "interrupted", and the
centre's coordinators see it on their list of failed messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.channels import PermanentFailure, TemporaryFailure, get_channel
from notifications.choices import Status
from notifications.models import Notification
from notifications.types import why_not_send


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)


def backoff(attempts: int) -> dt.timedelta:
    """The wait before try number ``attempts + 1``: 1, 4, 16, 64 … × NOTIFY_RETRY_SECONDS."""
    return dt.timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 4 ** max(attempts - 1, 0))


def record(notifications: Sequence[Notification]) -> int:
    """Write the notifications whose keys are new; the others are skipped. Returns how many."""
    if not notifications:
        return 0
    keys = [n.key for n in notifications]
    before = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    now = timezone.now()
    for n in notifications:
        if n.next_attempt_at is None:
            n.next_attempt_at = now
    # ignore_conflicts: a key another tick wrote between the read above and here is kept.
    Notification.objects.bulk_create(
        [n for n in notifications if n.key not in before], ignore_conflicts=True, batch_size=500
    )
    return len(set(keys) - before)


def lease_due(now: dt.datetime) -> list[int]:
    """The due notifications not already queued, marked queued (leased); their ids."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ids = list(
        Notification.objects.due(now)
        .filter(free)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    if ids:
        # The lease marks them queued, so that the next tick does not queue them again;
        # should the task be lost, they are free again once it runs out.
        Notification.objects.filter(pk__in=ids).filter(free).update(lease_until=now + _lease())
    return ids


def expire_interrupted(*, now: dt.datetime | None = None) -> int:
    """Sends whose worker stopped mid-way: failed, not retried (it may have arrived)."""
    now = now or timezone.now()
    return Notification.objects.filter(status=Status.SENDING, lease_until__lt=now).update(
        status=Status.FAILED,
        error=_(
            "The sending was interrupted (the worker stopped). It may have arrived, so it "
            "is not sent again."
        ),
    )


@dataclass(frozen=True)
class Attempt:
    """What one send came to: the status after it, and when to try again (a retry)."""

    status: str
    retry_at: dt.datetime | None = None


def claim_and_send(notification_id: int, *, now: dt.datetime | None = None) -> Attempt:
    """Send one due notification if this call wins the claim."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=notification_id, status=Status.PENDING, next_attempt_at__lte=now
        ).update(status=Status.SENDING, attempts=F("attempts") + 1, lease_until=now + _lease())
    if not claimed:
        return Attempt("not claimed")
    n = Notification.objects.select_related("volunteer", "user", "visit").get(pk=notification_id)
    with translation.override("da"):
        reason = why_not_send(n, now)
    if reason:
        return _finish(n, Status.SKIPPED, error=reason)
    channel = get_channel(n.channel)
    if channel is None:
        return _finish(n, Status.FAILED, error=_("No channel %(name)s.") % {"name": n.channel})
    try:
        channel.send(n)
    except PermanentFailure as error:
        return _finish(n, Status.FAILED, error=str(error))
    except Exception as error:  # TemporaryFailure, or a fault of ours: tried again, a few times
        detail = str(error) if isinstance(error, TemporaryFailure) else repr(error)
        if n.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            return _finish(n, Status.FAILED, error=detail)
        return _retry(n, now + backoff(n.attempts), detail)
    return _finish(n, Status.SENT, sent_at=max(now, timezone.now()), error="")


def _finish(n: Notification, status: str, **fields) -> Attempt:
    # The attempt number fences the write: a row the tick already gave up on as
    # interrupted is still set right by the worker that did finish.
    Notification.objects.filter(
        pk=n.pk, attempts=n.attempts, status__in=[Status.SENDING, Status.FAILED]
    ).update(status=status, lease_until=None, **fields)
    return Attempt(status)


def _retry(n: Notification, when: dt.datetime, error: str) -> Attempt:
    Notification.objects.filter(pk=n.pk, attempts=n.attempts, status=Status.SENDING).update(
        status=Status.PENDING, next_attempt_at=when, lease_until=when + _lease(), error=error
    )
    return Attempt(Status.PENDING, retry_at=when)
