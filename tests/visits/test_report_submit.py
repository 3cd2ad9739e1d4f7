"""The report contract (DESIGN.md) as the phone, the API and the benchmark rely on it."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests import factories as f
from tests.concurrency import at_once, raised
from visits.choices import VisitStatus
from visits.models import COUNT_FIELDS, ReportReferral, VisitReport
from visits.services import (
    Outcome,
    ReportConflict,
    ReportData,
    report_can_replace,
    report_submit,
)

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def submit(visit, user, data=None, submission_id=None, **kwargs):
    return report_submit(
        visit=visit,
        user=user,
        submission_id=submission_id or uuid.uuid4(),
        data=data or ReportData(people_met=12, new_people=2, meals=11),
        **kwargs,
    )


def test_it_creates_the_report_and_marks_the_visit_held(visit, volunteer_user, debt):
    data = ReportData(people_met=12, new_people=2, meals=11, food_bags=6, referrals={debt.pk: 2})
    result = submit(visit, volunteer_user, data)
    assert result.outcome == Outcome.CREATED
    report = VisitReport.objects.get(visit=visit)
    assert (report.people_met, report.new_people, report.meals, report.food_bags) == (12, 2, 11, 6)
    assert report.submitted_by == volunteer_user
    assert report.version == 1
    assert list(report.referrals.values_list("service_type", "count")) == [(debt.pk, 2)]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD


def test_the_same_submission_again_counts_once(visit, volunteer_user, debt):
    submission = uuid.uuid4()
    data = ReportData(people_met=12, referrals={debt.pk: 1})
    first = submit(visit, volunteer_user, data, submission)
    again = submit(visit, volunteer_user, data, submission)
    assert again.outcome == Outcome.DUPLICATE
    assert again.report.pk == first.report.pk
    assert VisitReport.objects.count() == 1
    assert ReportReferral.objects.get().count == 1


def test_zero_referrals_do_not_make_a_replay_look_different(visit, volunteer_user, debt):
    submission = uuid.uuid4()
    submit(visit, volunteer_user, ReportData(people_met=3), submission)
    again = submit(
        visit, volunteer_user, ReportData(people_met=3, referrals={debt.pk: 0}), submission
    )
    assert again.outcome == Outcome.DUPLICATE


def test_a_replay_with_other_numbers_is_a_conflict_and_changes_nothing(visit, volunteer_user):
    submission = uuid.uuid4()
    submit(visit, volunteer_user, ReportData(people_met=12), submission)
    with pytest.raises(ReportConflict) as conflict:
        submit(visit, volunteer_user, ReportData(people_met=40), submission)
    assert conflict.value.report.people_met == 12
    assert VisitReport.objects.get().people_met == 12


def test_a_submission_id_cannot_be_reused_for_another_visit(visit, stop, volunteer_user):
    submission = uuid.uuid4()
    submit(visit, volunteer_user, submission_id=submission)
    other = f.make_visit(stop, date=YESTERDAY, start_time=dt.time(14, 0), end_time=dt.time(15, 0))
    with pytest.raises(ReportConflict):
        submit(other, volunteer_user, submission_id=submission)
    assert not VisitReport.objects.filter(visit=other).exists()


def test_a_second_submission_for_the_visit_is_a_conflict_with_the_stored_report(
    visit, volunteer_user
):
    submit(visit, volunteer_user, ReportData(people_met=12))
    with pytest.raises(ReportConflict) as conflict:
        submit(visit, volunteer_user, ReportData(people_met=9))
    assert conflict.value.report.people_met == 12
    assert conflict.value.report.version == 1
    assert VisitReport.objects.get().people_met == 12


def test_naming_the_version_replaces_the_report(visit, volunteer_user, debt):
    first = submit(visit, volunteer_user, ReportData(people_met=12, referrals={debt.pk: 3}))
    fixed = submit(visit, volunteer_user, ReportData(people_met=9), replaces_version=1)
    assert fixed.outcome == Outcome.REPLACED
    report = VisitReport.objects.get()
    assert (report.pk, report.people_met, report.version) == (first.report.pk, 9, 2)
    assert not report.referrals.exists()
    # The previous values are kept, with who and when.
    previous = report.history.order_by("history_date")[0]
    assert previous.people_met == 12


def test_naming_an_old_version_is_a_conflict(visit, volunteer_user):
    submit(visit, volunteer_user)
    submit(visit, volunteer_user, ReportData(people_met=5), replaces_version=1)
    with pytest.raises(ReportConflict):
        submit(visit, volunteer_user, ReportData(people_met=6), replaces_version=1)
    assert VisitReport.objects.get().people_met == 5


def test_a_volunteer_corrects_their_own_report_for_seven_days(visit, volunteer_user, coordinator):
    result = submit(visit, volunteer_user)
    report = result.report
    assert report_can_replace(user=volunteer_user, report=report)
    later = report.submitted_at + dt.timedelta(days=8)
    assert not report_can_replace(user=volunteer_user, report=report, now=later)
    assert report_can_replace(user=coordinator, report=report, now=later)


def test_after_seven_days_only_a_coordinator_can_replace(visit, volunteer_user, coordinator):
    report = submit(visit, volunteer_user).report
    VisitReport.objects.filter(pk=report.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=8)
    )
    with pytest.raises(PermissionDenied):
        submit(visit, volunteer_user, ReportData(people_met=1), replaces_version=1)
    assert submit(visit, coordinator, ReportData(people_met=1), replaces_version=1).outcome == (
        Outcome.REPLACED
    )


def test_a_volunteer_cannot_replace_another_volunteers_report(visit, volunteer_user, centre):
    submit(visit, volunteer_user)
    colleague = f.make_user("colleague")
    f.make_volunteer(centre, user=colleague)
    with pytest.raises(PermissionDenied):
        submit(visit, colleague, ReportData(people_met=1), replaces_version=1)


def test_leadership_does_not_report(visit, leader):
    with pytest.raises(PermissionDenied):
        submit(visit, leader)
    assert not VisitReport.objects.exists()


def test_a_cancelled_visit_has_no_report(visit, volunteer_user):
    visit.status = VisitStatus.CANCELLED
    visit.save()
    with pytest.raises(ValidationError, match="aflyst"):
        submit(visit, volunteer_user)
    assert not VisitReport.objects.exists()


def test_a_future_visit_cannot_be_reported(stop, volunteer_user):
    future = f.make_visit(stop, date=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        submit(future, volunteer_user)
    assert not VisitReport.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        ReportData(people_met=3, new_people=4),
        ReportData(people_met=-1),
        ReportData(people_met=100000),
        ReportData(meals=-5),
        ReportData(note="x" * 501),
        ReportData(people_met=2, referrals={999999: 1}),
        ReportData(people_met=2, referrals={"x": 1}),
    ],
)
def test_bad_numbers_are_refused_and_nothing_is_written(visit, volunteer_user, data):
    with pytest.raises(ValidationError):
        submit(visit, volunteer_user, data)
    assert not VisitReport.objects.exists()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_a_negative_referral_is_refused(visit, volunteer_user, debt):
    with pytest.raises(ValidationError):
        submit(visit, volunteer_user, ReportData(people_met=2, referrals={debt.pk: -1}))
    assert not ReportReferral.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_the_same_moment_store_one_report(stop, volunteer_user):
    visit = f.make_visit(stop, date=YESTERDAY)
    submission = uuid.uuid4()
    data = ReportData(people_met=12, new_people=1, meals=10)

    def send():
        return submit(visit, volunteer_user, data, submission).outcome

    outcomes = at_once(send, send, send, send)
    assert raised(outcomes) == []
    assert sorted(outcomes) == ["created", "duplicate", "duplicate", "duplicate"]
    assert VisitReport.objects.filter(visit=visit).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_different_submissions_at_the_same_moment_store_one_and_conflict_once(
    stop, volunteer_user
):
    visit = f.make_visit(stop, date=YESTERDAY)

    def send(people):
        try:
            return submit(visit, volunteer_user, ReportData(people_met=people)).outcome
        except ReportConflict:
            return "conflict"

    results = at_once(lambda: send(5), lambda: send(7))
    assert sorted(results) == ["conflict", "created"]
    assert VisitReport.objects.filter(visit=visit).count() == 1


def test_every_check_constraint_of_a_report_is_checked_before_the_database():
    """
    report_submit checks the report's constraints in Python (full_clean would ask
    the database once per constraint, most of a submission's time). A constraint
    added to VisitReport must be added to visits.services._validate_report too,
    or a bad report would reach the database and end in a server error.
    """
    checked = {f"report_{name}_not_negative" for name in (*COUNT_FIELDS, "volunteer_minutes")}
    checked.add("report_new_people_within_met")
    assert {c.name for c in VisitReport._meta.constraints} == checked


def test_more_new_people_than_people_met_is_refused_with_the_constraints_message(
    visit, volunteer_user
):
    with pytest.raises(ValidationError) as refused:
        submit(visit, volunteer_user, ReportData(people_met=3, new_people=4))
    assert refused.value.message_dict == {
        "__all__": ["“Heraf nye” kan ikke være større end “mødte mennesker”."]
    }
    assert not VisitReport.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_one_submission_id_sent_to_two_visits_at_once_stores_one_and_conflicts_once(
    stop, volunteer_user
):
    """
    Each visit's lock lets its own submission through, so both find the id unused;
    the second insert breaks the unique submission id. That is a conflict without
    the other visit's report, not a server error, and it writes nothing.
    """
    data = ReportData(people_met=12, new_people=1, meals=10)

    def send(visit, submission):
        try:
            return submit(visit, volunteer_user, data, submission).outcome
        except ReportConflict as conflict:
            return ("conflict", conflict.report)

    for _round in range(10):
        first, second = f.make_visit(stop, date=YESTERDAY), f.make_visit(stop, date=YESTERDAY)
        submission = uuid.uuid4()
        results = at_once(
            lambda a=first, s=submission: send(a, s), lambda b=second, s=submission: send(b, s)
        )
        assert raised(results) == []
        assert sorted(results, key=str) == [("conflict", None), "created"]
        assert VisitReport.objects.filter(submission_id=submission).count() == 1
        held = VisitReport.objects.get(submission_id=submission).visit
        other = second if held == first else first
        other.refresh_from_db()
        assert other.status == VisitStatus.PLANNED
