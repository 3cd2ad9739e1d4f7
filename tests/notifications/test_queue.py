"""
The queue's side of sending (notifications/tasks.py): the tick's due rows go into the
queue once, in batches, under the task's stored path, and a send that fails for now
is queued again for its retry time. The rows are django-tasks-db's own (a real queue).
"""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import tasks
from notifications.choices import Status
from notifications.models import Notification

pytestmark = pytest.mark.django_db

# The path the queue's rows store: renaming or moving the task strands what is queued.
TASK_PATH = "notifications.tasks.send_notifications"


def row(key: str, volunteer, **fields) -> Notification:
    return Notification.objects.create(
        key=f"test:{key}",
        kind="change",
        channel="email",
        address="vera@example.org",
        subject="Ændret: café i Redsted",
        body="Tid: 10:00 → 11:00",
        volunteer=volunteer,
        **{"next_attempt_at": timezone.now() - dt.timedelta(minutes=1), **fields},
    )


def test_the_due_rows_are_queued_once_in_batches(
    settings, vera, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BATCH = 2
    rows = [row(f"due-{i}", vera) for i in range(5)]
    row("later", vera, next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch() == 5
    queued = DBTaskResult.objects.order_by("enqueued_at", "id")
    assert {q.task_path for q in queued} == {TASK_PATH}
    batches = sorted(q.args_kwargs["args"][0] for q in queued)
    assert sorted(pk for batch in batches for pk in batch) == [r.pk for r in rows]
    assert sorted(len(batch) for batch in batches) == [1, 2, 2]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch() == 0  # leased: a second tick queues nothing again
    assert DBTaskResult.objects.count() == 3


def test_a_send_that_fails_for_now_is_queued_again_for_its_retry_time(settings, vera):
    settings.MAILERS = {  # nobody listens on this port (ours, n=1: 9010-9019)
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9019, "timeout": 1},
        }
    }
    n = row("retry", vera)
    assert tasks.deliver(n.pk) == Status.PENDING
    n.refresh_from_db()
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == TASK_PATH
    assert queued.args_kwargs["args"] == [[n.pk]]
    assert queued.run_after == n.next_attempt_at > timezone.now()


def test_a_sent_row_queues_nothing(mailoutbox, vera):
    n = row("sent", vera)
    assert tasks.deliver_all([n.pk]) == {Status.SENT: 1}
    assert len(mailoutbox) == 1
    assert not DBTaskResult.objects.exists()
