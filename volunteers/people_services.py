"""
Writes about volunteers as people: their absences, qualifications, attendance (the
no-show mark) and the coordinator's add / edit / deactivate. The one door: the
phone's pages, the coordinator's pages, the API and the management command all
call these, never the models directly.

Who may act is decided by the callers' querysets (a volunteer reaches only their
own profile, a coordinator only their centres' volunteers: 404 otherwise); the
rules about the data itself are decided here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stops.models import CentreSite
from visits.choices import VisitStatus
from visits.models import Visit, VisitReport
from volunteers.choices import AbsenceCategory, Attendance, QualificationKind
from volunteers.models import Absence, Assignment, Qualification, Volunteer

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    User = AbstractBaseUser

# An absence recorded late (ill since Monday) may start a while back; further back
# is a typo (2025 for 2026), and an absence that is over by yesterday plans nothing.
ABSENCE_MAX_DAYS_BACK = 31
ABSENCE_MAX_LENGTH_DAYS = 366
ABSENCE_MAX_DAYS_AHEAD = 2 * 366


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# Absences ---------------------------------------------------------------------


def _check_absence_dates(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("An absence cannot end before it starts.")}, code="ends_before_start"
        )
    yesterday = today - dt.timedelta(days=1)
    if ends_on < yesterday:
        raise ValidationError(
            {"ends_on": _("The absence is already over; only absences from yesterday on count.")},
            code="past",
        )
    if starts_on < today - dt.timedelta(days=ABSENCE_MAX_DAYS_BACK):
        raise ValidationError(
            {
                "starts_on": _("An absence can start at most %(days)s days back.")
                % {"days": ABSENCE_MAX_DAYS_BACK}
            },
            code="too_far_back",
        )
    if starts_on > today + dt.timedelta(days=ABSENCE_MAX_DAYS_AHEAD):
        raise ValidationError(
            {"starts_on": _("An absence can be recorded at most two years ahead.")},
            code="too_far_ahead",
        )
    if (ends_on - starts_on).days >= ABSENCE_MAX_LENGTH_DAYS:
        raise ValidationError(
            {"ends_on": _("An absence is at most a year long; a coordinator can deactivate.")},
            code="too_long",
        )


@transaction.atomic
def absence_add(
    *,
    volunteer: Volunteer,
    starts_on: dt.date,
    ends_on: dt.date,
    category: str,
    user: User | None,
    today: dt.date | None = None,
) -> Absence:
    """
    Record that the volunteer is away from ``starts_on`` to ``ends_on`` (inclusive).
    Refused (ValidationError) when it ends before it starts, lies wholly before
    yesterday, or overlaps another absence of the volunteer (the message names its
    dates). Nothing is written when refused.
    """
    today = today or timezone.localdate()
    if category not in AbsenceCategory.values:
        raise ValidationError({"category": _("Choose holiday, illness or other.")})
    _check_absence_dates(starts_on, ends_on, today)
    # Lock the volunteer's row: two overlapping absences sent at once (the phone and
    # the coordinator) are decided one after the other, so only one is stored.
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    clash = (
        Absence.objects.filter(volunteer=volunteer, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("It overlaps the absence %(start)s–%(end)s (%(category)s).")
            % {
                "start": _day(clash.starts_on),
                "end": _day(clash.ends_on),
                "category": clash.get_category_display().lower(),
            },
            code="overlap",
        )
    absence = Absence(
        volunteer=volunteer,
        starts_on=starts_on,
        ends_on=ends_on,
        category=category,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    absence._history_user = absence.created_by
    absence.save()
    return absence


def absence_delete(*, absence: Absence, user: User | None) -> None:
    absence._history_user = user
    absence.delete()


def assignments_inside(absence: Absence) -> QuerySet[Assignment]:
    """The volunteer's places on not-cancelled visits within the absence: to re-plan."""
    return (
        Assignment.objects.filter(
            volunteer=absence.volunteer_id,
            visit__date__gte=absence.starts_on,
            visit__date__lte=absence.ends_on,
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .select_related("visit__stop")
        .order_by("visit__date", "visit__start_time")
    )


# Qualifications -----------------------------------------------------------------


@transaction.atomic
def qualification_set(
    *,
    volunteer: Volunteer,
    kind: str,
    issued_on: dt.date | None,
    valid_until: dt.date | None,
    user: User | None,
) -> Qualification:
    """Record (or change) what the volunteer holds of ``kind``: one row per kind."""
    if kind not in QualificationKind.values:
        raise ValidationError({"kind": _("Unknown qualification.")})
    if issued_on and valid_until and valid_until < issued_on:
        raise ValidationError(
            {"valid_until": _("It cannot expire before it was issued.")}, code="expires_first"
        )
    if issued_on and issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The issue date lies in the future.")})
    qualification = (
        Qualification.objects.select_for_update().filter(volunteer=volunteer, kind=kind).first()
    ) or Qualification(volunteer=volunteer, kind=kind)
    qualification.issued_on = issued_on
    qualification.valid_until = valid_until
    qualification._history_user = user
    qualification.save()
    return qualification


def qualification_delete(*, qualification: Qualification, user: User | None) -> None:
    qualification._history_user = user
    qualification.delete()


# Attendance (no-shows) ------------------------------------------------------------


def attendance_mark(
    *, today: dt.date | None = None, days: int = 14, visit: Visit | None = None
) -> tuple[int, int]:
    """
    After a visit, mark who was there. A report does not name its volunteers (it
    counts people met, never who), so the signals are: the volunteer checked in,
    or the volunteer submitted the report. Everyone else on the team is a no-show.

    Covers the not-cancelled visits of the last ``days`` days before ``today`` (or
    only ``visit``, when it lies before today). Idempotent: a row a coordinator set
    (``attendance_set_by``) is never touched, and a row this run set is set again
    from the signals (a check-in that arrived late from an offline phone turns a
    no-show into present). Returns (marked present, marked no-show) of the rows it
    changed. Two UPDATE statements, whatever the number of rows.
    """
    today = today or timezone.localdate()
    rows = Assignment.objects.filter(attendance_set_by__isnull=True, visit__date__lt=today).exclude(
        visit__status=VisitStatus.CANCELLED
    )
    if visit is not None:
        rows = rows.filter(visit=visit)
    else:
        rows = rows.filter(visit__date__gte=today - dt.timedelta(days=days))
    reported_it = Exists(
        VisitReport.objects.filter(
            visit=OuterRef("visit"), submitted_by=OuterRef("volunteer__user")
        )
    )
    was_there = Q(checked_in_at__isnull=False) | Q(reported_it)
    present = rows.filter(was_there).exclude(attendance=Attendance.PRESENT)
    absent = rows.exclude(was_there).exclude(attendance=Attendance.NO_SHOW)
    # pk__in: UPDATE cannot join (the filters follow relations), a subquery can.
    marked_present = Assignment.objects.filter(pk__in=present.values("pk")).update(
        attendance=Attendance.PRESENT
    )
    marked_absent = Assignment.objects.filter(pk__in=absent.values("pk")).update(
        attendance=Attendance.NO_SHOW
    )
    return marked_present, marked_absent


def attendance_after_report(*, visit: Visit, today: dt.date | None = None) -> None:
    """Called when a report is stored: a past visit's team is marked at once."""
    today = today or timezone.localdate()
    if visit.date < today:
        attendance_mark(visit=visit, today=today)


@transaction.atomic
def attendance_correct(*, assignment: Assignment, attendance: str, user: User) -> Assignment:
    """A coordinator's correction (present ↔ no-show); it stands against later runs."""
    if attendance not in (Attendance.PRESENT, Attendance.NO_SHOW):
        raise ValidationError({"attendance": _("Choose present or no-show.")})
    if assignment.visit.date >= timezone.localdate():
        raise ValidationError(
            {"attendance": _("Attendance is marked after the day of the visit.")}, code="not_yet"
        )
    assignment.attendance = attendance
    assignment.attendance_set_by = user
    assignment._history_user = user
    assignment.save(update_fields=["attendance", "attendance_set_by"])
    return assignment


# The coordinator's add / edit / deactivate ----------------------------------------

VOLUNTEER_FIELDS = (
    "name",
    "phone",
    "email",
    "is_driver",
    "is_host",
    "is_local_staff",
    "is_adviser",
    "available_weekdays",
    "consent_date",
    "active",
)


def _save_volunteer(volunteer: Volunteer, fields: dict[str, Any], user: User) -> Volunteer:
    unknown = set(fields) - set(VOLUNTEER_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    for name, value in fields.items():
        setattr(volunteer, name, value)
    volunteer.full_clean(exclude=["user", "home_centre"])
    volunteer._history_user = user
    volunteer.save()
    return volunteer


@transaction.atomic
def volunteer_create(*, centre: CentreSite, fields: dict[str, Any], user: User) -> Volunteer:
    """A new volunteer at the centre (the login is made when a link is first sent)."""
    return _save_volunteer(Volunteer(home_centre=centre), fields, user)


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, fields: dict[str, Any], user: User) -> Volunteer:
    """
    Change the volunteer's details, roles, usual weekdays or active flag. A volunteer
    switched off keeps their history and past assignments; their login stops being a
    volunteer's (role_of looks at active profiles only).
    """
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    return _save_volunteer(locked, fields, user)
