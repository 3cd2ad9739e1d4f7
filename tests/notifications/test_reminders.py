"""Reminders before a shift: the day before at 17.00 and two hours before, as chosen."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications import sms
from notifications.choices import Status
from notifications.models import Notification, Preference
from notifications.services import notify_tick
from notifications.tasks import deliver_all
from tests import factories as f
from tests.notifications.conftest import NOW, VISIT_DAY
from visits.models import Visit
from volunteers.models import Assignment

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, day: dt.date = dt.date(2026, 12, 1)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def before(now: dt.datetime) -> None:
    """The test's clock is made up: rows written "now" for real were written before it."""
    earlier = NOW - dt.timedelta(days=7)
    Assignment.objects.filter(created_at__gt=now).update(created_at=earlier)
    Visit.objects.filter(updated_at__gt=now).update(updated_at=earlier)


def run(now: dt.datetime) -> None:
    """The tick, then what a worker would do with the queued sends."""
    before(now)
    notify_tick(now=now)
    ids = Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    deliver_all(list(ids.values_list("pk", flat=True)), now=now)


def test_the_day_before_reminder_goes_out_at_17_by_email_and_sms(visit, vera, bo):
    f.make_assignment(visit, vera)
    f.make_assignment(visit, bo)
    run(at(16, 55))
    assert not mail.outbox and not sms.outbox  # not yet
    run(at(17, 0))
    vera_mail = next(m for m in mail.outbox if m.to == ["vera@example.org"])
    assert vera_mail.subject == "Påmindelse: café i Redsted onsdag 2. december 10.00"
    assert "Nøglen hænger i skabet ved døren." in vera_mail.body
    assert "Hold: Bo Bager" in vera_mail.body
    assert "http://127.0.0.1:8000/today/" in vera_mail.body
    assert "/profile/#notifications" in vera_mail.body  # how to turn it off
    html = vera_mail.alternatives[0].content
    assert "Nøglen hænger" in html and "Åbn I dag" in html
    [text] = [m for m in sms.outbox if m.to == "4520304050"]
    assert text.text.startswith("Husk – Drive-in: café i Redsted")
    assert "Nøglen" not in text.text  # SMS carries the minimum
    assert "http://127.0.0.1:8000/today/" in text.text and "/profile/" in text.text
    assert len(mail.outbox) == 2 and len(sms.outbox) == 1  # Bo has no phone


def test_a_second_tick_sends_nothing_again(visit, vera):
    f.make_assignment(visit, vera)
    run(at(17, 0))
    run(at(17, 5))
    run(at(18, 0))
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def test_two_hours_before_is_its_own_reminder(visit, vera):
    f.make_assignment(visit, vera)
    run(at(17, 0))
    run(at(7, 59, VISIT_DAY))
    assert len(mail.outbox) == 1
    run(at(8, 0, VISIT_DAY))
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(kind="reminder_hours_before", status="sent").count() == 2


def test_the_volunteer_chooses_the_times_or_turns_them_off(visit, vera):
    f.make_assignment(visit, vera)
    Preference.objects.create(
        volunteer=vera, by_sms=False, remind_day_before_at=dt.time(20), remind_hours_before=None
    )
    run(at(19, 0))
    assert not mail.outbox
    run(at(20, 0))
    assert len(mail.outbox) == 1 and not sms.outbox
    run(at(9, 30, VISIT_DAY))
    assert len(mail.outbox) == 1  # no reminder hours before


def test_quiet_hours_across_midnight_hold_a_reminder_until_morning(visit, vera):
    f.make_assignment(visit, vera)
    Preference.objects.create(
        volunteer=vera, quiet_from=dt.time(16), quiet_until=dt.time(7), remind_hours_before=None
    )
    run(at(17, 0))
    run(at(23, 30))
    assert not mail.outbox
    run(at(7, 0, VISIT_DAY))
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def test_a_reminder_kept_by_quiet_hours_past_the_shift_is_skipped(visit, vera):
    f.make_assignment(visit, vera)
    Preference.objects.create(
        volunteer=vera, quiet_from=dt.time(16), quiet_until=dt.time(11), remind_hours_before=None
    )
    run(at(17, 0))
    run(at(11, 0, VISIT_DAY))
    assert not mail.outbox
    assert set(Notification.objects.values_list("status", flat=True)) == {"skipped"}


def test_no_phone_or_email_is_logged_as_not_reachable_not_an_error(visit, centre):
    nobody = f.make_volunteer(centre, name="Ingen Kontakt", email="", phone="")
    f.make_assignment(visit, nobody)
    run(at(17, 0))
    [row] = Notification.objects.all()
    assert row.status == "skipped" and "Ikke til at nå" in row.error
    run(at(17, 10))
    assert Notification.objects.count() == 1


def test_inactive_and_anonymised_volunteers_get_nothing(visit, vera, bo):
    f.make_assignment(visit, vera)
    f.make_assignment(visit, bo)
    vera.active = False
    vera.save()
    bo.anonymised_at = NOW
    bo.save()
    run(at(17, 0))
    assert not mail.outbox and not sms.outbox


def test_a_visit_cancelled_after_the_reminder_was_recorded_sends_nothing(visit, vera):
    f.make_assignment(visit, vera)
    notify_tick(now=at(17, 0))
    visit.status = "cancelled"
    visit.save()
    deliver_all(Notification.objects.values_list("pk", flat=True), now=at(17, 1))
    assert not mail.outbox
    assert set(Notification.objects.values_list("status", flat=True)) == {"skipped"}
