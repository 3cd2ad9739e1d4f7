"""Change notices: a visit moved, cancelled, restored, a person added or removed.

The planning services are the real ones; the tick runs at real time plus the settle window.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications import sms
from notifications.choices import Status
from notifications.models import Notification, Preference
from notifications.services import notify_tick
from notifications.tasks import deliver_all
from planning.services import assignments, visit_edit
from tests import factories as f
from visits.models import Visit
from volunteers.models import Assignment

pytestmark = pytest.mark.django_db
SETTLE = dt.timedelta(minutes=11)


@pytest.fixture
def future_visit(stop):
    day = timezone.localdate() + dt.timedelta(days=5)
    return f.make_visit(stop, date=day, start_time=dt.time(10), end_time=dt.time(12))


@pytest.fixture
def team(future_visit, vera, bo, coordinator):
    f.make_assignment(future_visit, vera)
    f.make_assignment(future_visit, bo)
    # The team was made yesterday; the first tick takes what is planned as known.
    yesterday = timezone.now() - dt.timedelta(days=1)
    Assignment.objects.update(created_at=yesterday)
    Visit.objects.update(updated_at=yesterday)
    notify_tick(now=timezone.now())
    return future_visit


def later(minutes: int = 11) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def run(now: dt.datetime) -> None:
    notify_tick(now=now)
    pending = Notification.objects.filter(status=Status.PENDING, kind="change")
    deliver_all(list(pending.values_list("pk", flat=True)), now=now)


def fresh(visit):
    visit.refresh_from_db()
    return visit


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_move_is_told_old_to_new(team, coordinator):
    visit = fresh(team)
    old_day = visit.date
    visit_edit.visit_move(
        visit=visit,
        version=visit.version,
        date=old_day + dt.timedelta(days=1),
        start_time=dt.time(11),
        end_time=dt.time(13),
        user=coordinator,
    )
    run(timezone.now())  # not settled yet
    assert not mail.outbox
    run(later())
    [message] = mails_to("vera@example.org")
    assert message.subject == "Ændret: café i Redsted"
    assert "Tid: 10:00–12:00 → 11:00–13:00" in message.body
    assert "Dato: " in message.body and " → " in message.body
    [text] = sms.outbox
    assert "11:00–13:00" in text.text and "/today/" in text.text
    # How to turn it off, in each.
    assert "/profile/#notifications" in message.body and "/profile/#notifications" in text.text


def test_edits_close_together_make_one_message(team, coordinator):
    visit = fresh(team)
    visit_edit.visit_move(
        visit=visit,
        version=visit.version,
        date=visit.date,
        start_time=dt.time(11),
        end_time=dt.time(13),
        user=coordinator,
    )
    visit = fresh(visit)
    visit_edit.visit_cancel(visit=visit, version=visit.version, reason="Storm", user=coordinator)
    run(later())
    [message] = mails_to("vera@example.org")
    assert "Tid: 10:00–12:00 → 11:00–13:00" in message.body
    assert "Aflyst: Storm" in message.body
    run(later(30))
    assert len(mails_to("vera@example.org")) == 1


def test_a_change_undone_before_it_settled_sends_nothing(team, coordinator):
    visit = fresh(team)
    visit_edit.visit_cancel(visit=visit, version=visit.version, reason="Storm", user=coordinator)
    visit = fresh(visit)
    visit_edit.visit_restore(visit=visit, version=visit.version, user=coordinator)
    run(later())
    assert not mail.outbox and not sms.outbox


def test_cancelled_then_restored_later_is_two_messages(team, coordinator):
    visit = fresh(team)
    visit_edit.visit_cancel(visit=visit, version=visit.version, reason="Storm", user=coordinator)
    run(later())
    visit = fresh(visit)
    visit_edit.visit_restore(visit=visit, version=visit.version, user=coordinator)
    Visit.objects.update(updated_at=later(12))  # the restore came 12 minutes on
    run(later(25))
    first, second = mails_to("vera@example.org")
    assert "Aflyst: Storm" in first.body
    assert "Ikke længere aflyst" in second.body


def test_the_person_added_and_the_team_are_told(team, coordinator, centre):
    visit = fresh(team)
    new = f.make_volunteer(centre, name="Nina Ny", email="nina@example.org")
    assignments.assignment_add(
        visit=visit, version=visit.version, volunteer=new, role="host", user=coordinator
    )
    run(later())
    [to_nina] = mails_to("nina@example.org")
    assert "Du er på holdet" in to_nina.body
    [to_vera] = mails_to("vera@example.org")
    assert "Hold: Bo Bager → Bo Bager, Nina Ny" in to_vera.body


def test_the_person_removed_is_told(team, coordinator, vera):
    visit = fresh(team)
    assignment = visit.assignments.get(volunteer=vera)
    assignments.assignment_remove(
        visit=visit, version=visit.version, assignment=assignment, user=coordinator
    )
    run(later())
    [to_vera] = mails_to("vera@example.org")
    assert "Du er ikke længere på holdet" in to_vera.body
    [to_bo] = mails_to("bo@example.org")
    assert "Hold: Vera Frivillig → –" in to_bo.body


def _quiet_around(volunteer, moment: dt.datetime) -> dt.datetime:
    """Quiet hours for the volunteer from just before ``moment`` for three hours; their end."""
    local = timezone.localtime(moment)
    start, end = local - dt.timedelta(minutes=5), local + dt.timedelta(hours=3)
    Preference.objects.create(
        volunteer=volunteer, quiet_from=start.time(), quiet_until=end.time().replace(second=0)
    )
    return end.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def test_a_change_undone_before_its_message_went_out_sends_nothing(team, coordinator, vera):
    # Vera's quiet hours hold her message; the café is on again before they end.
    morning = _quiet_around(vera, later())
    visit = fresh(team)
    visit_edit.visit_cancel(visit=visit, version=visit.version, reason="Storm", user=coordinator)
    run(later())
    assert len(mails_to("bo@example.org")) == 1 and not mails_to("vera@example.org")
    visit = fresh(visit)
    visit_edit.visit_restore(visit=visit, version=visit.version, user=coordinator)
    Visit.objects.update(updated_at=later(12))
    run(later(25))
    run(morning)
    assert not mails_to("vera@example.org")
    assert not [m for m in sms.outbox if "20304050" in m.to]
    held = Notification.objects.filter(volunteer=vera, kind="change")
    assert {n.status for n in held} == {Status.SKIPPED}
    assert all("Erstattet" in n.error for n in held)
    assert "Ikke længere aflyst" in mails_to("bo@example.org")[1].body  # Bo heard of both


def test_a_second_change_while_the_first_is_held_is_one_message_from_what_they_knew(
    team, coordinator, vera
):
    morning = _quiet_around(vera, later())
    visit = fresh(team)
    visit_edit.visit_move(
        visit=visit,
        version=visit.version,
        date=visit.date,
        start_time=dt.time(11),
        end_time=dt.time(13),
        user=coordinator,
    )
    run(later())
    visit = fresh(visit)
    visit_edit.visit_cancel(visit=visit, version=visit.version, reason="Storm", user=coordinator)
    Visit.objects.update(updated_at=later(12))
    run(later(25))
    run(morning)
    [message] = mails_to("vera@example.org")
    assert "Tid: 10:00–12:00 → 11:00–13:00" in message.body
    assert "Aflyst: Storm" in message.body
    assert Notification.objects.filter(volunteer=vera, status=Status.SENT).count() == 2  # +SMS
