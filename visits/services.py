"""
Writes that span several rows or models: generating visits from patterns, and the
report contract (DESIGN.md) that the phone form, the API and the benchmark share.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.access import PLANNERS, REPORTERS, AnyUser, Role, role_of
from core.weeks import monday_of
from stops.models import CentreSite, Van
from visits import limits
from visits.choices import VisitStatus
from visits.holidays import holiday_fields
from visits.models import (
    REPORT_FIGURES,
    Referral,
    ReportReferral,
    ServiceType,
    Visit,
    VisitPattern,
    VisitReport,
)
from visits.ranges import outliers, ranges_for_stops
from visits.upcoming import is_still_to_come, local_now, start_of_day

MAX_GENERATION_WEEKS = 104
# How far ahead a plan is made unless asked otherwise (the command, the button, the demo).
GENERATE_WEEKS = 8


@dataclass(frozen=True)
class GenerationResult:
    start: dt.date
    end: dt.date
    patterns: int
    created: int
    on_holidays: int


def generation_horizon(*, weeks: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """
    From today through the Sunday ``weeks`` weeks after this week. Of today's
    cafés only those still to come are made (visits.upcoming).
    """
    return today, monday_of(today) + dt.timedelta(weeks=weeks + 1, days=-1)


def _check_no_overlaps(patterns: Iterable[VisitPattern]) -> None:
    """Two patterns of one stop on one weekday may not be valid at the same time."""
    by_slot: dict[tuple[int, int], list[VisitPattern]] = defaultdict(list)
    for pattern in patterns:
        by_slot[pattern.stop_id, pattern.weekday].append(pattern)
    clashes = []
    for group in by_slot.values():
        group.sort(key=lambda p: p.valid_from)
        for earlier, later in itertools.pairwise(group):
            if earlier.valid_until is None or earlier.valid_until >= later.valid_from:
                clashes.append(f"{earlier} / {later}")
    if clashes:
        raise ValidationError(
            _("Patterns of the same stop and weekday overlap in time: %(clashes)s")
            % {"clashes": "; ".join(clashes)}
        )


@transaction.atomic
def visits_generate(
    *,
    weeks: int = GENERATE_WEEKS,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    centres: Iterable[CentreSite] | None = None,
) -> GenerationResult:
    """
    Create the planned visits that the patterns give from now through ``weeks``
    weeks ahead. Idempotent: a visit is keyed by (pattern, pattern date), so a
    second run creates nothing, and a visit that was moved, edited, held or
    cancelled is never touched or made again. Nothing that has already started is
    made: past days never, and today's cafés only if they start after now, Danish
    time (visits.upcoming says why).

    ``now`` (aware; default this moment) lets tests say what time it is. ``today``
    plans as if it were the first moment of that day, so the whole day is still to
    come: the demo seed, whose history ends yesterday, plans today like that.
    """
    if not 1 <= weeks <= MAX_GENERATION_WEEKS:
        raise ValidationError(
            _("Weeks must be between 1 and %(max)s.") % {"max": MAX_GENERATION_WEEKS}
        )
    if today is not None and now is not None:
        raise TypeError("Give visits_generate now= or today=, not both.")
    if today is not None:
        now = start_of_day(today)
    else:
        now = local_now(now)
        today = now.date()
    start, end = generation_horizon(weeks=weeks, today=today)

    valid = VisitPattern.objects.valid_between(start, end).filter(
        stop__active=True, stop__centre__active=True
    )
    if centres is not None:
        valid = valid.filter(stop__centre__in=centres)
    patterns = list(valid.select_related("stop"))
    _check_no_overlaps(patterns)

    existing = set(
        Visit.objects.filter(pattern__in=patterns, pattern_date__gte=start).values_list(
            "pattern_id", "pattern_date"
        )
    )
    # A new visit is driven by its centre's van when the centre has just one.
    vans = Van.objects.sole_vans({pattern.stop.centre_id for pattern in patterns})
    new_visits = []
    for pattern in patterns:
        for day in pattern.dates_between(start, end):
            if (pattern.pk, day) in existing or not is_still_to_come(
                day, pattern.start_time, now=now
            ):
                continue
            new_visits.append(
                Visit(
                    stop_id=pattern.stop_id,
                    pattern=pattern,
                    pattern_date=day,
                    date=day,
                    start_time=pattern.start_time,
                    end_time=pattern.end_time,
                    van_id=vans.get(pattern.stop.centre_id),
                    **holiday_fields(day),
                )
            )
    # ignore_conflicts: a run going on at the same moment may have made the same
    # (pattern, date) visit; the unique constraint keeps one.
    Visit.objects.bulk_create(new_visits, batch_size=1000, ignore_conflicts=True)
    _record_generated(patterns, start, end, existing)
    return GenerationResult(
        start=start,
        end=end,
        patterns=len(patterns),
        created=len(new_visits),
        on_holidays=sum(1 for visit in new_visits if visit.is_holiday),
    )


def _record_generated(
    patterns: list[VisitPattern], start: dt.date, end: dt.date, existing: set
) -> None:
    """
    bulk_create writes no history: give each visit made just now its "created"
    record, so that its first change keeps the values the pattern gave.
    """
    window = {"pattern__in": patterns, "pattern_date__gte": start, "pattern_date__lte": end}
    # Those with a record already (made by a run at the same moment) are left out;
    # the history is searched in the same window, not the whole table.
    made = [
        visit
        for visit in Visit.objects.filter(**window).exclude(
            pk__in=Visit.history.filter(**window).values("id")
        )
        if (visit.pattern_id, visit.pattern_date) not in existing
    ]
    Visit.history.bulk_history_create(
        made, batch_size=1000, default_change_reason="generated from pattern"
    )


# The report contract ---------------------------------------------------------

# How long a volunteer may correct their own report; after that, a coordinator.
VOLUNTEER_EDIT_WINDOW = dt.timedelta(days=7)
# What ReportData carries besides the referrals: the numbers and the note.
REPORT_DATA_FIELDS = (*REPORT_FIGURES, "note")


@dataclass(frozen=True)
class ReportData:
    """What a report says: the counts, the note and referrals per service type id."""

    people_met: int = 0
    new_people: int = 0
    meals: int = 0
    food_bags: int = 0
    clothing_items: int = 0
    other_items: int = 0
    volunteer_minutes: int = 0
    note: str = ""
    referrals: Mapping[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, report: VisitReport) -> ReportData:
        """The data a stored report holds (its referrals must be prefetched or cheap)."""
        return cls(
            **{name: getattr(report, name) for name in REPORT_DATA_FIELDS},
            referrals={r.service_type_id: r.count for r in report.referrals.all()},
        )

    def with_referrals(self, referrals: Mapping[int, int]) -> ReportData:
        return ReportData(**{n: getattr(self, n) for n in REPORT_DATA_FIELDS}, referrals=referrals)


class Outcome(enum.StrEnum):
    CREATED = "created"  # a new report: HTTP 201
    DUPLICATE = "duplicate"  # the same submission again: the stored report, 200
    REPLACED = "replaced"  # a correction naming the version it replaces: 200


@dataclass(frozen=True)
class SubmitResult:
    report: VisitReport
    outcome: Outcome


class ReportConflict(Exception):
    """
    The submission was not stored (HTTP 409). ``report`` is the stored report of the
    visit the sender named (which the caller fetched within the sender's reach), so
    the phone can show both and let the volunteer choose; or None when the
    submission id is another visit's: a submission id is no key to that report.
    """

    def __init__(self, report: VisitReport | None, message: str, *, visit: Visit):
        if report is not None and report.visit_id != visit.pk:
            raise ValueError("A conflict shows only the named visit's own report.")
        super().__init__(message)
        self.report = report
        self.message = message


def _taken_by_another_visit(visit: Visit) -> ReportConflict:
    return ReportConflict(
        None,
        _("This submission id belongs to another visit; send the report again as new."),
        visit=visit,
    )


def report_can_replace(
    *, user: AnyUser, report: VisitReport, now: dt.datetime | None = None
) -> bool:
    """Coordinators and administrators always; a volunteer their own report for 7 days."""
    role = role_of(user)
    if role in PLANNERS:
        return True
    if role == Role.VOLUNTEER and report.submitted_by_id == user.pk:
        return (now or timezone.now()) - report.submitted_at <= VOLUNTEER_EDIT_WINDOW
    return False


def _check_reportable(visit: Visit, user: AbstractBaseUser) -> None:
    if role_of(user) not in REPORTERS:
        raise PermissionDenied(_("Only volunteers and coordinators report visits."))
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled; a cancelled visit has no report."))
    if visit.date > timezone.localdate():
        raise ValidationError(_("This visit has not happened yet; report it on the day."))


def referrals_clean(referrals: Mapping) -> dict[int, int]:
    """Referral counts by service type id: known types, whole counts 0–MAX, zeros dropped."""
    cleaned: dict[int, int] = {}
    for key, value in referrals.items():
        try:
            service_type_id, count = int(key), int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {"referrals": _("Referrals are whole numbers per service type.")}
            ) from None
        if not 0 <= count <= limits.MAX_REFERRALS:
            raise ValidationError(
                {
                    "referrals": _("Referrals of one kind must be between 0 and %(max)s.")
                    % {"max": limits.MAX_REFERRALS}
                }
            )
        if count:
            cleaned[service_type_id] = count
    known = set(ServiceType.objects.filter(pk__in=list(cleaned)).values_list("pk", flat=True))
    unknown = set(cleaned) - known
    if unknown:
        raise ValidationError(
            {"referrals": _("Unknown service type: %(ids)s") % {"ids": sorted(unknown)}}
        )
    return cleaned


def referrals_write(
    *,
    owner: models.Model,
    model: type[Referral],
    counts: Mapping[int, int],
    user: AbstractBaseUser | None,
    again: bool = False,
) -> None:
    """
    Store the referral counts (cleaned by referrals_clean) of a report or a home
    visit. ``again``: the owner had referrals already, and these replace them; they
    are deleted one by one so that a kind with history (a report's) keeps the old.
    """
    keeps_history = hasattr(model, "history")
    owned = {model.owner_field: owner}
    if again:
        for referral in model._default_manager.filter(**owned):
            referral._history_user = user
            referral.delete()
    rows = [model(**owned, service_type_id=pk, count=count) for pk, count in counts.items()]
    if keeps_history:
        bulk_create_with_history(rows, model, default_user=user)
    else:
        model._default_manager.bulk_create(rows)


def _validate_report(report: VisitReport) -> None:
    """
    The report's field rules (limits, not negative) and its check constraint
    "of whom new ≤ people met", in Python. ``full_clean()`` would ask the database
    once per check constraint, each in a savepoint (27 statements per report: most
    of a submission's time, measured by make bench). The unique submission id and
    the one report per visit are decided by report_submit under the visit's lock;
    the constraints stay in the database as the last word.
    """
    report.full_clean(
        exclude=["visit", "submitted_by"], validate_unique=False, validate_constraints=False
    )
    if report.new_people > report.people_met:
        within = next(
            c for c in VisitReport._meta.constraints if c.name == "report_new_people_within_met"
        )
        raise ValidationError(
            {NON_FIELD_ERRORS: [ValidationError(within.get_violation_error_message())]}
        )


def _write_report(report: VisitReport, data: ReportData, user: AbstractBaseUser) -> VisitReport:
    for name in REPORT_DATA_FIELDS:
        setattr(report, name, getattr(data, name))
    _validate_report(report)
    is_new = report._state.adding
    # Who changed it goes into the history also outside a request (benchmark, shell).
    report._history_user = user
    report.save()
    referrals_write(
        owner=report, model=ReportReferral, counts=data.referrals, user=user, again=not is_new
    )
    return report


# A phone's clock may run a little fast; a send pressed later than this after the
# server's now cannot have happened.
CAPTURE_CLOCK_AHEAD = dt.timedelta(minutes=10)


def report_captured_at(
    captured_at: dt.datetime | None, *, visit: Visit, now: dt.datetime
) -> dt.datetime:
    """
    When the volunteer pressed send, as the phone says, checked against the
    server's clock: a time after the arrival (beyond a few minutes' drift) or before
    the visit's day cannot be right, so it is the arrival time. A phone clock far off
    never refuses a report, and never makes a late one look timely.
    """
    if captured_at is None or timezone.is_naive(captured_at):
        return now
    if captured_at > now + CAPTURE_CLOCK_AHEAD or captured_at < start_of_day(visit.date):
        return now
    return min(captured_at, now)


def _mark_outliers(report: VisitReport, data: ReportData, *, visit: Visit, confirmed: bool) -> None:
    """
    The server repeats the phone's range check (visits/ranges.py) and stores what
    it found: the figures outside the range, and whether the volunteer confirmed
    them. Never a refusal: a report written offline must not be lost to a warning.
    """
    ranges = ranges_for_stops({visit.stop_id: visit.stop.centre_id}, today=timezone.localdate())
    found = outliers(ranges[visit.stop_id], {n: getattr(data, n) for n in REPORT_FIGURES})
    report.outliers = ",".join(o.name for o in found)
    report.outliers_confirmed = bool(found) and confirmed


def _write_report_once(
    report: VisitReport, data: ReportData, user: AbstractBaseUser, *, visit: Visit
) -> VisitReport:
    """
    Write the report in a savepoint: the visit's lock orders submissions for one
    visit, but the same submission id sent to two visits at once passes the check
    in both; the second write then breaks the unique submission id, a conflict.
    """
    try:
        with transaction.atomic():
            return _write_report(report, data, user)
    except IntegrityError:
        if not VisitReport.objects.filter(submission_id=report.submission_id).exists():
            raise
        raise _taken_by_another_visit(visit) from None


@transaction.atomic
def report_submit(
    *,
    visit: Visit,
    user,
    submission_id: uuid.UUID,
    data: ReportData,
    replaces_version: int | None = None,
    captured_at: dt.datetime | None = None,
    outliers_confirmed: bool = False,
) -> SubmitResult:
    """
    Store a visit's report once (DESIGN.md, the report contract):

    - the same ``submission_id`` again, with the same numbers, returns the stored
      report unchanged (DUPLICATE): a resent phone queue never counts twice;
    - the same ``submission_id`` with other numbers, or for another visit, is a
      conflict: nothing is changed;
    - a different submission for a visit that has a report is a conflict
      (ReportConflict with the stored report) unless it names the stored report's
      ``version`` in ``replaces_version`` and the user may correct it (REPLACED);
    - otherwise the report is created (CREATED) and the visit is marked held.

    ``captured_at`` is when the volunteer pressed send on the phone (see
    report_captured_at); without it, the arrival time. ``outliers_confirmed``: the
    volunteer was warned that a figure is outside the stop's usual range and said it
    is right (stored only when the server finds one outside too; see _mark_outliers).

    The caller has already fetched ``visit`` through ``Visit.objects.for_user``.
    Raises ValidationError for bad numbers, PermissionDenied for a correction the
    user may not make, ReportConflict as above.
    """
    _check_reportable(visit, user)
    # Zero counts dropped, so that {} and {3: 0} say the same.
    data = data.with_referrals(referrals_clean(data.referrals))
    # Lock the visit row: two submissions for one visit (say the same queue item
    # sent twice at once) are decided one after the other, never both created.
    locked = Visit.objects.select_for_update().get(pk=visit.pk)

    same = (
        VisitReport.objects.filter(submission_id=submission_id)
        .prefetch_related("referrals")
        .first()
    )
    if same is not None:
        if same.visit_id != visit.pk:
            raise _taken_by_another_visit(visit)
        if ReportData.of(same) != data:
            raise ReportConflict(
                same,
                _("This submission was already stored with other numbers."),
                visit=visit,
            )
        return SubmitResult(same, Outcome.DUPLICATE)

    existing = VisitReport.objects.filter(visit=visit).prefetch_related("referrals").first()
    if existing is not None:
        if replaces_version is None or replaces_version != existing.version:
            raise ReportConflict(
                existing,
                _("The visit already has a report (version %(version)s).")
                % {"version": existing.version},
                visit=visit,
            )
        if not report_can_replace(user=user, report=existing):
            raise PermissionDenied(
                _("A volunteer can correct their own report for 7 days; ask a coordinator.")
            )
        existing.submission_id = submission_id
        existing.version += 1
        existing.captured_at = report_captured_at(captured_at, visit=visit, now=timezone.now())
        _mark_outliers(existing, data, visit=visit, confirmed=outliers_confirmed)
        return SubmitResult(_write_report_once(existing, data, user, visit=visit), Outcome.REPLACED)

    now = timezone.now()
    report = VisitReport(
        visit=visit,
        submission_id=submission_id,
        submitted_by=user,
        submitted_at=now,
        captured_at=report_captured_at(captured_at, visit=visit, now=now),
    )
    _mark_outliers(report, data, visit=visit, confirmed=outliers_confirmed)
    _write_report_once(report, data, user, visit=visit)
    if locked.status != VisitStatus.HELD:
        # save(), not update(): the visit's history keeps that the report made it held.
        locked.status = VisitStatus.HELD
        locked._history_user = user
        locked.save(update_fields=["status", "updated_at"])
        visit.status = VisitStatus.HELD
    return SubmitResult(report, Outcome.CREATED)
