"""The tick (run from cron: `manage.py notify_tick`) and sending outside it (the digest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from notifications import delivery, due, tasks
from notifications.choices import Kind
from notifications.models import Notification
from notifications.types import TYPES

# What apps above this one add to the tick (shifts: the offers, the declines), each a
# function now -> unsaved rows; registered in their AppConfig.ready(), because this
# app may not import them (the layers contract).
SOURCES: list[Callable[[dt.datetime], list[Notification]]] = []


@dataclass(frozen=True)
class TickResult:
    recorded: int
    queued: int
    interrupted: int


def notify_tick(*, now: dt.datetime | None = None) -> TickResult:
    """Record what is due now under its keys and queue the sending; safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        interrupted = delivery.expire_interrupted(now=now)
        rows = due.changes(now)  # first: it locks the mark, so that ticks take turns
        rows += due.reminders(now)
        rows += due.understaffed(now)
        rows += due.reports_missing(now)
        for source in SOURCES:
            rows += source(now)
        recorded = delivery.record(rows)
        queued = tasks.dispatch(now=now)
    return TickResult(recorded=recorded, queued=queued, interrupted=interrupted)


def notification_send_now(rows: list[Notification]) -> list[str]:
    """Record these and send them here and now (a command run from cron: the digest)."""
    delivery.record(rows)
    ids = Notification.objects.filter(key__in=[r.key for r in rows]).values_list("pk", flat=True)
    return [tasks.deliver(pk) for pk in ids]


def notification_send_digest(*, user: Any, key: str, subject: str, body: str) -> list[str]:
    """The weekly digest (reach/services.py writes it) sent and logged like every message."""
    rendered = TYPES[Kind.DIGEST].render({"digest_subject": subject, "digest_body": body})
    rows = due.for_user(user, key=key, kind=Kind.DIGEST, rendered=rendered, now=timezone.now())
    return notification_send_now(rows)
