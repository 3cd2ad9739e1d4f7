"""
Background sending (Django's tasks on django-tasks-db; the worker is `manage.py db_worker`).

Everything that touches the queue is here: the tick queues what is due in batches
(``dispatch``), the task sends a batch (``deliver_all``), and a send that failed for
now is queued again for its retry time (``deliver``). The sending itself, claimed at
most once, is ``notifications.delivery``'s, which does not know the queue: this module
imports it, never the other way round. The task keeps its dotted path
``notifications.tasks.send_notifications``: the queue's rows store it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from notifications import delivery


@task
def send_notifications(ids: list[int]) -> dict[str, int]:
    """Send these recorded notifications; each is claimed on its own, so a repeat is harmless."""
    return deliver_all(ids)


def dispatch(*, now: dt.datetime | None = None) -> int:
    """Queue a send task for every due notification not already queued; returns how many."""
    now = now or timezone.now()
    ids = delivery.lease_due(now)
    size = settings.NOTIFY_BATCH
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    if batches:
        transaction.on_commit(lambda: [send_notifications.enqueue(batch) for batch in batches])
    return len(ids)


def deliver(notification_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one notification if this call wins the claim, queue its retry if it asks for
    one; returns its status after."""
    attempt = delivery.claim_and_send(notification_id, now=now)
    if attempt.retry_at is not None:
        send_notifications.using(run_after=attempt.retry_at).enqueue([notification_id])
    return attempt.status


def deliver_all(ids: Iterable[int], *, now: dt.datetime | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pk in ids:
        status = deliver(pk, now=now)
        counts[status] = counts.get(status, 0) + 1
    return counts
