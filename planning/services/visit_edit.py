"""
A coordinator's changes to one visit: add, move, cancel, restore, mark held, set the
van. Views call these after fetching the objects through planning.access; the rules
live here, and every door (the week page, the admin) calls them.

A visit is changed with a compare-and-set on its ``version`` (optimistic
locking): the form carries the version the coordinator saw, and when someone
else saved in between, nothing is written and ``VisitConflict`` says so with
the visit as it now is. A visit changed by hand is marked ``is_edited`` so that
generating from patterns leaves it alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stops.models import CentreSite, Stop, Van
from visits import limits
from visits.choices import VisitStatus
from visits.holidays import holiday_fields
from visits.models import Visit
from visits.upcoming import is_still_to_come
from visits.validators import validate_reason_without_personal_data

# How far ahead a visit may be planned by hand.
MAX_DAYS_AHEAD = 2 * 365


class VisitConflict(Exception):
    """
    The visit changed since the coordinator opened it (HTTP 409). ``visit`` is
    the current state (None when it was deleted), ``message`` says what happened.
    """

    def __init__(self, visit: Visit | None, message: str):
        super().__init__(message)
        self.visit = visit
        self.message = message


def _check_day(day: dt.date) -> None:
    today = timezone.localdate()
    if day < today:
        raise ValidationError({"date": _("A visit cannot be planned in the past.")})
    if day > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"date": _("A visit can be planned at most two years ahead.")})


def _check_times(start: dt.time, end: dt.time) -> None:
    if end <= start:
        raise ValidationError({"end_time": _("The visit must end after it starts.")})
    minutes = dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)
    if minutes > dt.timedelta(minutes=limits.MAX_VISIT_MINUTES):
        raise ValidationError(
            {
                "end_time": _("A visit lasts at most %(hours)s hours.")
                % {"hours": limits.MAX_VISIT_MINUTES // 60}
            }
        )


def record_history(
    visits: Sequence[Visit], user: AbstractBaseUser, reason: str | None = None
) -> None:
    """History rows for visits written with .update() (which skips the history signals)."""
    Visit.history.bulk_history_create(
        visits, update=True, default_user=user, default_change_reason=reason
    )


def compare_and_set(visit: Visit, *, version: int, user: AbstractBaseUser, **changes) -> Visit:
    """Write ``changes`` if the stored version is still ``version``; VisitConflict otherwise."""
    now = timezone.now()
    written = Visit.objects.filter(pk=visit.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **changes
    )
    if not written:
        current = Visit.objects.select_related("stop").filter(pk=visit.pk).first()
        raise VisitConflict(
            current,
            _(
                "Someone else changed this visit while you had it open. Nothing was saved; "
                "here is the visit as it is now."
            ),
        )
    # The row now holds exactly what was written: set it on the instance rather
    # than read the row back (the caller renders from this instance).
    for name, value in {**changes, "version": version + 1, "updated_at": now}.items():
        setattr(visit, name, value)
    record_history([visit], user)
    return visit


def _check_version(visit: Visit, version: int) -> None:
    """The same check for changes that write other rows than the visit first."""
    if visit.version != version:
        raise VisitConflict(
            visit,
            _(
                "Someone else changed this visit while you had it open. Nothing was saved; "
                "here is the visit as it is now."
            ),
        )


@transaction.atomic
def visit_add(
    *,
    centre: CentreSite,
    stop: Stop,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    user: AbstractBaseUser,
) -> Visit:
    """An ad hoc visit (not from a pattern) at one of the centre's active stops."""
    if stop.centre_id != centre.pk:
        raise ValidationError({"stop": _("The stop belongs to another centre.")})
    if not stop.active:
        raise ValidationError({"stop": _("The stop is not active.")})
    _check_day(date)
    _check_times(start_time, end_time)
    visit = Visit(
        stop=stop,
        date=date,
        start_time=start_time,
        end_time=end_time,
        van_id=Van.objects.sole_vans([centre.pk]).get(centre.pk),
        **holiday_fields(date),
    )
    visit._history_user = user
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_move(
    *,
    visit: Visit,
    version: int,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    user: AbstractBaseUser,
) -> Visit:
    """Move a visit to another day or time; the holiday flag follows the new date."""
    if visit.status == VisitStatus.HELD:
        raise ValidationError(_("The visit has been held; it stays where it was."))
    if (visit.date, visit.start_time, visit.end_time) == (date, start_time, end_time):
        _check_version(visit, version)
        return visit  # nothing to change: not marked as edited
    _check_day(date)
    _check_times(start_time, end_time)
    return compare_and_set(
        visit,
        version=version,
        user=user,
        date=date,
        start_time=start_time,
        end_time=end_time,
        **holiday_fields(date),
        is_edited=True,
    )


@transaction.atomic
def visit_cancel(*, visit: Visit, version: int, reason: str, user: AbstractBaseUser) -> Visit:
    """Cancel a visit with a reason; it stays in the plan and the feeds as cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the visit is cancelled.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep the reason under 200 characters.")})
    try:
        # The team reads it, on the week page and in their calendar feeds.
        validate_reason_without_personal_data(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    if visit.status == VisitStatus.HELD:
        raise ValidationError(_("The visit has been held and cannot be cancelled."))
    return compare_and_set(
        visit,
        version=version,
        user=user,
        status=VisitStatus.CANCELLED,
        cancel_reason=reason,
        cancelled_with_stop=False,  # cancelled by hand now: putting the stop back leaves it
        is_edited=True,
    )


@transaction.atomic
def visit_restore(*, visit: Visit, version: int, user: AbstractBaseUser) -> Visit:
    """Undo a cancellation: the visit is planned again."""
    if visit.status != VisitStatus.CANCELLED:
        raise ValidationError(_("Only a cancelled visit can be restored."))
    return compare_and_set(
        visit,
        version=version,
        user=user,
        status=VisitStatus.PLANNED,
        cancel_reason="",
        cancelled_with_stop=False,
        is_edited=True,
    )


@transaction.atomic
def visit_mark_held(*, visit: Visit, version: int, user: AbstractBaseUser) -> Visit:
    """
    Mark a café that has started as held, when nobody did from a phone: it then shows
    as held waiting for its report, and the reach figures count it as held.
    """
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("The visit was cancelled; restore it first if it was held."))
    if visit.status == VisitStatus.HELD:
        raise ValidationError(_("The visit is already marked as held."))
    if is_still_to_come(visit.date, visit.start_time):
        raise ValidationError(_("The visit has not started yet; mark it held once it has been."))
    return compare_and_set(visit, version=version, user=user, status=VisitStatus.HELD)


@transaction.atomic
def visit_set_van(*, visit: Visit, version: int, van: Van, user: AbstractBaseUser) -> Visit:
    """Drive the visit with one of its centre's active vans."""
    if van.centre_id != visit.stop.centre_id:
        raise ValidationError({"van": _("The van belongs to another centre.")})
    if not van.active:
        raise ValidationError({"van": _("The van is not in use.")})
    return compare_and_set(visit, version=version, user=user, van=van, is_edited=True)


@transaction.atomic
def visit_update(
    *, visit: Visit, version: int, changes: Mapping[str, object], user: AbstractBaseUser
) -> Visit:
    """
    Change several of a visit's own fields at once: the administrator's door (the
    Django admin), which may correct what the coordinator's pages refuse (a past
    day, a held visit) but keeps the rules every edit keeps: the version check (a
    stale form writes nothing), marked as edited, the holiday flag follows the
    date, and a cancellation or restore by a person is no longer the stop's to undo.
    The caller has validated the values (the admin's model form).
    """
    if not changes:
        _check_version(visit, version)
        return visit
    values = {**changes, "is_edited": True}
    day = changes.get("date")
    if isinstance(day, dt.date):
        values.update(holiday_fields(day))
    if {"status", "cancel_reason"} & set(changes):
        values["cancelled_with_stop"] = False
    return compare_and_set(visit, version=version, user=user, **values)
