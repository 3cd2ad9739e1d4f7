"""Exactly once with real `db_worker` processes on PostgreSQL, counted at a real SMTP server.

Two workers share the queue; a second tick queues nothing new; a worker killed with
SIGKILL in the middle of a task is replaced and every reminder arrives exactly once (the
one the worker was sending when it died arrived and is not sent again; the rest of its
batch is sent by the replacement).
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from notifications.models import Notification, Preference
from notifications.services import notify_tick
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): workers in other processes",
    ),
]
ROOT = Path(__file__).resolve().parents[2]
PORT = 9075


class CountingInbox:
    """Counts each message by recipient; can hold the n-th one, as a slow server would."""

    def __init__(self, hold_at: int | None = None) -> None:
        self.count: Counter = Counter()
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        for to in envelope.rcpt_tos:
            self.count[to] += 1
        if self.hold_at is not None and sum(self.count.values()) == self.hold_at:
            self.held.set()
            while not self.release.is_set():  # the worker is killed while it waits here
                await asyncio.sleep(0.05)
        return "250 OK"


def _workers(n: int, lease: int = 2) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/" + connection.settings_dict["NAME"],
        "EMAIL_URL": f"smtp://127.0.0.1:{PORT}",
        "SMS_URL": "console://",
        "NOTIFY_LEASE_SECONDS": str(lease),
        "NOTIFY_BATCH": "5",
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--interval",
        "0.1",
        "--no-reload",
        "--no-startup-delay",
    ]
    return [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(n)
    ]


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def _wait_until_none_pending(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notification.objects.filter(status__in=["pending", "sending"]).exists():
            return
        time.sleep(0.2)
    raise AssertionError(list(Notification.objects.values_list("key", "status", "error")))


@pytest.fixture
def shifts(stop, centre):
    """Thirty volunteers on tomorrow's cafés, each wanting one reminder by e-mail, due now."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    emails = []
    for i in range(30):
        visit = f.make_visit(
            stop, date=tomorrow, start_time=dt.time(8 + i % 10), end_time=dt.time(9 + i % 10)
        )
        volunteer = f.make_volunteer(centre, email=f"v{i}@example.org", phone="")
        Preference.objects.create(
            volunteer=volunteer,
            by_sms=False,
            remind_hours_before=None,
            remind_day_before_at=dt.time(0, 0),
        )
        f.make_assignment(visit, volunteer)
        emails.append(volunteer.email)
    return emails


def _smtp(inbox):
    controller = Controller(inbox, hostname="127.0.0.1", port=PORT)
    controller.start()
    return controller


def test_two_workers_and_two_ticks_send_each_reminder_once(shifts, settings):
    inbox = CountingInbox()
    controller = _smtp(inbox)
    workers = _workers(2)
    try:
        notify_tick()
        notify_tick()
        _wait_until_none_pending()
        notify_tick()
        time.sleep(1)
    finally:
        _stop(workers)
        controller.stop()
    assert inbox.count == Counter(dict.fromkeys(shifts, 1))
    assert Notification.objects.filter(status="sent").count() == 30


def test_a_worker_killed_mid_task_is_replaced_and_nothing_is_sent_twice(shifts, settings):
    settings.NOTIFY_LEASE_SECONDS = 2
    settings.NOTIFY_BATCH = 5
    inbox = CountingInbox(hold_at=7)
    controller = _smtp(inbox)
    [first] = _workers(1)
    try:
        notify_tick()
        assert notify_tick().queued == 0  # the tick twice: the second queues nothing
        assert inbox.held.wait(30)
        os.killpg(first.pid, signal.SIGKILL)  # between the provider's receipt and "sent"
        first.wait(10)
        inbox.release.set()
        replacement = _workers(1)
        time.sleep(2.5)  # the killed task's lease runs out
        notify_tick()
        _wait_until_none_pending()
    finally:
        _stop([first, *replacement])
        controller.stop()
    assert inbox.count == Counter(dict.fromkeys(shifts, 1))
    [interrupted] = Notification.objects.filter(status="failed")
    assert "afbrudt" in interrupted.error
    assert Notification.objects.filter(status="sent").count() == 29
