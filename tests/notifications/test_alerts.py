"""Coordinators' alerts: a visit short of people 48 hours ahead, a report missing next morning."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.choices import Status
from notifications.models import Notification
from notifications.services import notify_tick
from notifications.tasks import deliver_all
from tests import factories as f
from tests.notifications.test_reminders import at, before
from visits.models import Visit

pytestmark = pytest.mark.django_db


def run(now):
    before(now)
    notify_tick(now=now)
    pending = Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    deliver_all(list(pending.values_list("pk", flat=True)), now=now)


@pytest.fixture
def alice(coordinator):
    coordinator.email = "alice@example.org"
    coordinator.save()
    return coordinator


def test_a_visit_short_of_people_is_told_to_the_coordinator_once(alice, visit, vera, other_centre):
    f.make_coordinator(other_centre, "charlie")
    f.make_assignment(visit, vera)  # one of two
    run(at(9, 0, dt.date(2026, 11, 30)))  # 49 hours before: not yet
    assert not [m for m in mail.outbox if m.to == ["alice@example.org"]]
    run(at(10, 0, dt.date(2026, 11, 30)))
    run(at(11, 0, dt.date(2026, 11, 30)))
    [alert] = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert alert.subject == "Mangler folk: Redsted onsdag 2. december 10.00"
    assert "har 1 af de 2 personer" in alert.body
    assert "bed en administrator" in alert.body  # how to stop it


def test_a_visit_filled_before_the_alert_went_out_sends_nothing(alice, visit, vera, bo):
    f.make_assignment(visit, vera)
    notify_tick(now=at(10, 0, dt.date(2026, 11, 30)))
    f.make_assignment(visit, bo)
    deliver_all(
        Notification.objects.filter(kind="understaffed").values_list("pk", flat=True),
        now=at(10, 1, dt.date(2026, 11, 30)),
    )
    assert not [m for m in mail.outbox if m.to == ["alice@example.org"]]


def test_short_means_short_of_what_the_visit_wants_and_a_decline_is_not_a_person(
    alice, visit, vera, bo
):
    visit.places_wanted = 3
    visit.save(update_fields=["places_wanted"])
    f.make_assignment(visit, vera)
    f.make_assignment(visit, bo, answer="declined")
    run(at(10, 0, dt.date(2026, 11, 30)))
    [alert] = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "har 1 af de 3 personer" in alert.body


def test_a_missing_report_is_told_the_next_morning(alice, stop):
    day = dt.date(2026, 11, 30)
    f.make_visit(stop, date=day, start_time=dt.time(10), end_time=dt.time(12))
    reported = f.make_visit(stop, date=day, start_time=dt.time(14), end_time=dt.time(15))
    f.make_report(reported)
    f.make_visit(stop, date=day, start_time=dt.time(16), end_time=dt.time(17), status="cancelled")
    Visit.objects.update(updated_at=timezone.now() - dt.timedelta(days=30))
    run(at(7, 59, dt.date(2026, 12, 1)))
    assert not mail.outbox
    run(at(8, 0, dt.date(2026, 12, 1)))
    run(at(9, 0, dt.date(2026, 12, 1)))
    [alert] = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert alert.subject == "Rapport mangler: 1 café(er) i går"
    assert "10.00" in alert.body and "14.00" not in alert.body and "16.00" not in alert.body
    assert "bed en administrator" in alert.body  # how to stop it


def test_the_tick_command_says_what_it_did(capsys):
    call_command("notify_tick")
    assert "Recorded 0, queued 0, interrupted 0." in capsys.readouterr().out


def test_without_sms_url_nobody_is_reachable_by_sms(settings, centre):
    from notifications.channels.sms import SmsChannel

    settings.SMS_URL = ""
    assert SmsChannel().address_for(f.make_volunteer(centre, phone="20304050")) is None
