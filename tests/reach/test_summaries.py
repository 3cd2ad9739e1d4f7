"""
The reach summaries (reach.models, kept by database triggers) equal the raw
aggregate after any sequence of writes, through every path that writes: the report
service (new reports, resends, corrections), planning (cancel, restore, move, mark
held, assignments), the admin's kind of save and delete, and QuerySet.update.
"""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.services import assignments, visit_edit
from planning.services.visit_edit import VisitConflict
from reach import summaries
from reach.models import StopDay
from tests.factories import (
    make_centre,
    make_coordinator,
    make_leader,
    make_service_type,
    make_stop,
    make_visit,
    make_volunteer,
)
from visits.choices import VisitStatus
from visits.models import ReportReferral, Visit, VisitReport
from visits.services import ReportConflict, ReportData, report_submit
from volunteers.models import Assignment

pytestmark = pytest.mark.django_db


class Scene:
    """Two centres, three stops, past visits that share stops and days, two kinds of help."""

    def __init__(self):
        today = timezone.localdate()
        self.days = [today - dt.timedelta(days=n) for n in (9, 8, 2)]
        self.future = today + dt.timedelta(days=3)
        first, second = make_centre(), make_centre()
        self.stops = [make_stop(first), make_stop(first), make_stop(second)]
        self.coordinator = make_coordinator(first)
        second.coordinators.add(self.coordinator)
        self.types = [make_service_type(), make_service_type()]
        self.volunteers = [make_volunteer(first), make_volunteer(first), make_volunteer(second)]
        self.visits = []
        for index, (stop, day) in enumerate(
            (s, d) for s in self.stops for d in self.days[: 2 if s == self.stops[2] else 3]
        ):
            start = dt.time(10 + index % 2 * 3)
            self.visits.append(
                make_visit(stop, date=day, start_time=start, end_time=dt.time(start.hour + 2))
            )
        # Two visits of one stop on one day: a stop-day adds up more than one visit.
        late = {"start_time": dt.time(16), "end_time": dt.time(18)}
        self.visits.append(make_visit(self.stops[0], date=self.days[0], **late))

    def visit(self, index: int) -> Visit:
        return Visit.objects.get(pk=self.visits[index % len(self.visits)].pk)


def _submit(scene: Scene, visit: Visit, people: int, kind: int, replace: bool) -> None:
    existing = VisitReport.objects.filter(visit=visit).first()
    data = ReportData(people_met=people, new_people=people // 3, meals=people, referrals={
        scene.types[kind % 2].pk: 1 + people % 3
    })  # fmt: skip
    report_submit(
        visit=visit,
        user=scene.coordinator,
        submission_id=uuid.uuid4(),
        data=data,
        replaces_version=existing.version if (existing and replace) else None,
    )


def apply(scene: Scene, op: str, index: int, number: int) -> None:
    """One write through the path its name says; a refused write changes nothing."""
    visit = scene.visit(index)
    user = scene.coordinator
    if op == "submit":
        _submit(scene, visit, number, number, replace=False)
    elif op == "correct":
        _submit(scene, visit, number + 1, number + 1, replace=True)
    elif op == "resend":
        report = VisitReport.objects.filter(visit=visit).prefetch_related("referrals").first()
        if report is not None:
            report_submit(
                visit=visit,
                user=user,
                submission_id=report.submission_id,
                data=ReportData.of(report),
            )
    elif op == "cancel":
        visit_edit.visit_cancel(visit=visit, version=visit.version, reason="Storm", user=user)
    elif op == "restore":
        visit_edit.visit_restore(visit=visit, version=visit.version, user=user)
    elif op == "move":
        day = scene.future + dt.timedelta(days=number % 3)
        visit_edit.visit_move(
            visit=visit, version=visit.version, date=day, start_time=visit.start_time,
            end_time=visit.end_time, user=user,
        )  # fmt: skip
    elif op == "mark_held":
        visit_edit.visit_mark_held(visit=visit, version=visit.version, user=user)
    elif op == "assign":
        own = [v for v in scene.volunteers if v.home_centre_id == visit.stop.centre_id]
        volunteer = own[number % len(own)]
        assignments.assignment_add(
            visit=visit, version=visit.version, volunteer=volunteer, role="host", user=user
        )
    elif op == "unassign":
        assignment = Assignment.objects.filter(visit=visit).first()
        if assignment is not None:
            assignments.assignment_remove(
                visit=visit, version=visit.version, assignment=assignment, user=user
            )
    elif op == "admin_move":
        # The admin's change form: any stop and day, saved as a whole.
        visit.stop = scene.stops[number % len(scene.stops)]
        visit.date = scene.days[number % len(scene.days)]
        visit.save()
    elif op == "admin_delete_report":
        report = VisitReport.objects.filter(visit=visit).first()
        if report is not None:
            report.delete()  # its referrals go with it
    elif op == "admin_delete_referral":
        ReportReferral.objects.filter(report__visit=visit).delete()
    elif op == "bulk_status":
        # QuerySet.update, as planning's roster changes write several visits at once.
        Visit.objects.filter(stop=visit.stop).update(status=VisitStatus.CANCELLED)
    elif op == "delete_visit" and not VisitReport.objects.filter(visit=visit).exists():
        visit.delete()  # its assignments go with it
        scene.visits = [v for v in scene.visits if v.pk != visit.pk] or scene.visits


OPS = [
    "submit", "correct", "resend", "cancel", "restore", "move", "mark_held", "assign",
    "unassign", "admin_move", "admin_delete_report", "admin_delete_referral", "bulk_status",
    "delete_visit",
]  # fmt: skip
REFUSED = (ValidationError, PermissionDenied, ReportConflict, VisitConflict, Visit.DoesNotExist)


@pytest.fixture
def scene(db):
    scene = Scene()
    # Some history before the sequence starts: reports, referrals, volunteers.
    for index in range(0, len(scene.visits), 2):
        apply(scene, "assign", index, index)
        apply(scene, "submit", index, 5 + index)
    assert StopDay.objects.filter(reported__gt=0).exists()
    return scene


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPS), st.integers(0, 11), st.integers(0, 40)), max_size=14
    )
)
def test_the_summaries_equal_the_raw_figures_after_any_sequence_of_writes(scene, steps):
    assert summaries.differences() == {}
    with transaction.atomic():
        for op, index, number in steps:
            try:
                with transaction.atomic():
                    apply(scene, op, index, number)
            except REFUSED:
                pass
            assert summaries.differences() == {}, (op, index, number)
        transaction.set_rollback(True)  # the next example starts from the same scene


def test_a_report_is_in_the_very_next_dashboard_request(client, scene):
    client.force_login(make_leader())
    visit = scene.visit(1)
    week = visit.date.isocalendar()
    params = {"week": f"{week.year}-W{week.week:02d}"}
    before = client.get("/reach/", params).context["data"].total.people_met
    _submit(scene, visit, 37, 0, replace=False)
    after = client.get("/reach/", params).context["data"].total.people_met
    assert after == before + 37


def test_reach_verify_finds_a_difference_and_repairs_it(scene):
    out = StringIO()
    call_command("reach_verify", stdout=out)
    assert "equal the raw tables" in out.getvalue()
    # A write that went round the triggers (as if they had been off).
    StopDay.objects.filter(pk=StopDay.objects.order_by("pk").first().pk).update(people_met=999)
    with pytest.raises(CommandError, match="differ"):
        call_command("reach_verify", stdout=StringIO(), stderr=StringIO())
    call_command("reach_verify", "--repair", stdout=StringIO())
    assert summaries.differences() == {}


def test_the_triggers_come_back_after_migrate_if_a_table_lost_them(scene):
    summaries.uninstall()
    assert summaries.missing_triggers()
    VisitReport.objects.filter(visit=scene.visit(0)).update(people_met=1)  # not summarised
    summaries.ensure_installed(using=connection.alias)
    assert summaries.missing_triggers() == []
    assert summaries.differences() == {}
