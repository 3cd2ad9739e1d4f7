"""
``python -m bench.notify`` (run by ``make bench``): a week of reminders for the national
data set, enqueued by the tick and sent by two real ``db_worker`` processes.

1. The data set: ``BENCH_NOTIFY_DATABASE_URL`` (default drivein_bench_notify) holds
   ``seed_demo --scale national`` (seeded here when empty). The coming week is planned
   from the patterns and every visit gets two of its centre's volunteers (each with an
   e-mail address and a phone), so that every shift has reminders to send.
2. Recording: ``notify_tick`` runs every hour of the simulated week (Monday
   00:00 to Sunday 24:00), recording the day-before and hours-before reminders
   under their keys. Timed.
3. Sending: the recorded reminders are made due at once (the worst burst) and queued;
   two ``db_worker`` processes send them, e-mail to an SMTP server in this process
   (aiosmtpd), SMS to the file backend. Throughput = messages / seconds from the
   first claim to the last "sent". Duplicates: the same Message-ID (the idempotency
   key) twice at the SMTP server, or the same SMS file content twice. Must be 0.

The figures are printed and written to bench/results-notify.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/drivein_bench_notify"
SMTP_PORT = 9077


def say(message: str) -> None:
    print(f"[bench.notify] {message}", flush=True)


class Peer:
    def __init__(self) -> None:
        self.ids: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.ids[line.split(":", 1)[1].strip()] += 1
                break
        return "250 OK"


def _setup_django(url: str, sms_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["SMS_URL"] = f"file://{sms_dir}"
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{SMTP_PORT}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drivein.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare_week(monday: dt.date) -> int:
    """Plan the week and put two volunteers of the centre on each visit; returns shifts."""
    from django.core.management import call_command
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat, LPad

    from visits.models import Visit
    from volunteers.models import Assignment, Volunteer

    call_command("migrate", verbosity=0)
    if not Visit.objects.exists():
        say("seeding the national data set (seed_demo --scale national --weeks 2)")
        call_command("seed_demo", scale="national", weeks=2, verbosity=0)
    call_command("generate_visits", verbosity=0)
    # Each volunteer their own address and number: the peer counts per message.
    pk = Cast("pk", CharField())
    Volunteer.objects.update(
        email=Concat(Value("v"), pk, Value("@example.org")),
        phone=Concat(Value("2"), LPad(pk, 7, Value("0"))),
        active=True,
        anonymised_at=None,
    )
    week = Visit.objects.filter(
        date__range=(monday, monday + dt.timedelta(days=6)), status="planned"
    ).select_related("stop")
    by_centre: dict[int, list[int]] = {}
    for pk, centre in Volunteer.objects.values_list("pk", "home_centre_id"):
        by_centre.setdefault(centre, []).append(pk)
    rows = []
    for i, visit in enumerate(week):
        people = by_centre.get(visit.stop.centre_id, [])
        for j in range(min(2, len(people))):
            rows.append(Assignment(visit=visit, volunteer_id=people[(2 * i + j) % len(people)]))
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    return Assignment.objects.filter(visit__in=week).count()


def main() -> int:
    url = os.environ.get("BENCH_NOTIFY_DATABASE_URL", DEFAULT_URL)
    sms_dir = tempfile.mkdtemp(prefix="drivein-bench-sms-")
    _setup_django(url, sms_dir)
    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from notifications import tasks
    from notifications.models import Mark, Notification, Told
    from notifications.services import notify_tick

    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    shifts = _prepare_week(monday)
    Notification.objects.all().delete()
    Told.objects.all().delete()
    Mark.objects.all().delete()
    DBTaskResult.objects.all().delete()
    say(f"week of {monday}: {shifts} shifts")

    started = time.perf_counter()
    ticks = 0
    moment = timezone.make_aware(dt.datetime.combine(monday - dt.timedelta(days=1), dt.time()))
    end = moment + dt.timedelta(days=8)
    while moment < end:
        notify_tick(now=moment)
        ticks += 1
        moment += dt.timedelta(hours=1)
    record_seconds = time.perf_counter() - started
    recorded = Notification.objects.filter(status="pending").count()
    say(f"recorded {recorded} reminders in {ticks} ticks, {record_seconds:.1f} s")

    # All due now, queued once; the second tick below must add nothing.
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    Notification.objects.filter(status="pending").update(next_attempt_at=now, lease_until=None)
    from django.db import transaction

    with transaction.atomic():
        queued = tasks.dispatch(now=now)
    peer = Peer()
    controller = Controller(peer, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    env = {**os.environ, "DEBUG": "true"}
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--interval",
        "0.05",
        "--no-reload",
        "--no-startup-delay",
    ]
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(2)
    ]
    try:
        while Notification.objects.filter(status__in=["pending", "sending"]).exists():
            time.sleep(0.2)
            if time.perf_counter() - started > 1800:
                raise SystemExit("bench.notify: sending took longer than 30 minutes")
        send_seconds = time.perf_counter() - started
        # The week's last tick again: nothing new may go out. (Not a tick at the real
        # time: that would rightly record the reminders of today's real cafés.)
        notify_tick(now=moment - dt.timedelta(hours=1))
        time.sleep(2)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(20)
        controller.stop()
    sent = Notification.objects.filter(status="sent").count()
    failed = Notification.objects.filter(status="failed").count()
    sms_files = Counter(p.read_text() for p in Path(sms_dir).glob("*.sms"))
    mail_duplicates = sum(n - 1 for n in peer.ids.values() if n > 1)
    sms_duplicates = sum(n - 1 for n in sms_files.values() if n > 1)
    result = {
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "week": str(monday),
        "shifts": shifts,
        "ticks": ticks,
        "record_seconds": round(record_seconds, 1),
        "recorded": recorded,
        "queued": queued,
        "workers": 2,
        "sent": sent,
        "failed": failed,
        "emails_at_peer": sum(peer.ids.values()),
        "sms_files": sum(sms_files.values()),
        "send_seconds": round(send_seconds, 1),
        "throughput_per_second": round(sent / send_seconds, 1) if send_seconds else None,
        "duplicates": mail_duplicates + sms_duplicates,
    }
    (ROOT / "bench" / "results-notify.json").write_text(json.dumps(result, indent=2) + "\n")
    say(json.dumps(result))
    ok = (
        result["duplicates"] == 0
        and sent == recorded
        and result["emails_at_peer"] + result["sms_files"] == sent
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
