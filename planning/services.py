"""
Every change a coordinator makes to a centre's plan. Views call these after
fetching the objects through planning.access; the rules live here.

A visit is changed with a compare-and-set on its ``version`` (optimistic
locking): the form carries the version the coordinator saw, and when someone
else saved in between, nothing is written and ``VisitConflict`` says so with
the visit as it now is. A visit changed by hand is marked ``is_edited`` so that
generating from patterns leaves it alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import danish_slugify
from planning.tasks import schedule_fill
from stops.models import CentreSite, Stop, Van
from visits import limits
from visits.choices import VisitStatus
from visits.holidays import holiday_fields
from visits.models import Visit, VisitPattern
from visits.services import visits_generate
from visits.upcoming import is_still_to_come, local_now
from visits.validators import validate_reason_without_personal_data
from volunteers.models import Assignment, Volunteer

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


def _record(visits: Sequence[Visit], user: AbstractBaseUser, reason: str | None = None) -> None:
    """History rows for visits written with .update() (which skips the history signals)."""
    Visit.history.bulk_history_create(
        visits, update=True, default_user=user, default_change_reason=reason
    )


def _compare_and_set(visit: Visit, *, version: int, user: AbstractBaseUser, **changes) -> Visit:
    """Write ``changes`` if the stored version is still ``version``; VisitConflict otherwise."""
    written = Visit.objects.filter(pk=visit.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
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
    visit.refresh_from_db()
    _record([visit], user)
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
    *, centre: CentreSite, stop: Stop, date: dt.date, start_time: dt.time, end_time: dt.time, user
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
    user,
) -> Visit:
    """Move a visit to another day or time; the holiday flag follows the new date."""
    if visit.status == VisitStatus.HELD:
        raise ValidationError(_("The visit has been held; it stays where it was."))
    if (visit.date, visit.start_time, visit.end_time) == (date, start_time, end_time):
        _check_version(visit, version)
        return visit  # nothing to change: not marked as edited
    _check_day(date)
    _check_times(start_time, end_time)
    return _compare_and_set(
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
    return _compare_and_set(
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
    return _compare_and_set(
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
    return _compare_and_set(visit, version=version, user=user, status=VisitStatus.HELD)


@transaction.atomic
def visit_set_van(*, visit: Visit, version: int, van: Van, user: AbstractBaseUser) -> Visit:
    """Drive the visit with one of its centre's active vans."""
    if van.centre_id != visit.stop.centre_id:
        raise ValidationError({"van": _("The van belongs to another centre.")})
    if not van.active:
        raise ValidationError({"van": _("The van is not in use.")})
    return _compare_and_set(visit, version=version, user=user, van=van, is_edited=True)


@transaction.atomic
def assignment_add(
    *, visit: Visit, version: int, volunteer: Volunteer, role: str, user
) -> Assignment:
    """Put one of the centre's active volunteers on a visit in a role."""
    if volunteer.home_centre_id != visit.stop.centre_id or not volunteer.active:
        raise ValidationError({"volunteer": _("Choose an active volunteer of this centre.")})
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("The visit is cancelled; restore it before adding people."))
    if Assignment.objects.filter(visit=visit, volunteer=volunteer).exists():
        raise ValidationError(
            {"volunteer": _("%(name)s is already on this visit.") % {"name": volunteer.name}}
        )
    # The version goes up first: a stale form changes nothing.
    _compare_and_set(visit, version=version, user=user)
    assignment = Assignment(visit=visit, volunteer=volunteer, role=role)
    assignment._history_user = user
    assignment.full_clean(exclude=["visit", "volunteer"])
    assignment.save()
    return assignment


@transaction.atomic
def assignment_remove(
    *, visit: Visit, version: int, assignment: Assignment, user: AbstractBaseUser
) -> None:
    """Take a volunteer off a visit."""
    if assignment.visit_id != visit.pk:
        raise ValidationError(_("That person is not on this visit."))
    _compare_and_set(visit, version=version, user=user)
    assignment._history_user = user
    assignment.delete()


@transaction.atomic
def route_apply(
    *,
    centre: CentreSite,
    day: dt.date,
    order: Sequence[int],
    versions: Mapping[int, int],
    user,
    van: Van | None = None,
) -> list[Visit]:
    """
    Drive the day's visits in ``order`` (visit ids): the time slots of those
    visits stay as they are and are handed out in the new order, so the first stop
    on the road gets the earliest slot. Every visit is compared and set on its version; one
    stale version and nothing is written.
    """
    day_visits = Visit.objects.filter(stop__centre=centre, date=day)
    if van is not None:  # one van's day: its visits only
        day_visits = day_visits.filter(van=van)
    visits = {
        v.pk: v
        for v in day_visits.select_for_update()
        .filter(pk__in=list(order))
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("stop")
    }
    if len(visits) != len(order) or len(set(order)) != len(order) or len(order) < 2:
        raise VisitConflict(None, _("The day's visits changed; look at the route again."))
    if day < timezone.localdate():
        raise ValidationError(_("A past day's route cannot be changed."))
    if any(v.status == VisitStatus.HELD for v in visits.values()):
        raise ValidationError(_("A visit of this day has been held; the order stays."))
    slots = sorted((v.start_time, v.end_time) for v in visits.values())
    changed = []
    for visit_id, (start, end) in zip(order, slots, strict=True):
        visit = visits[visit_id]
        if visit.version != versions.get(visit_id):
            raise VisitConflict(
                visit,
                _("%(stop)s was changed by someone else; nothing was saved.")
                % {"stop": visit.stop.community},
            )
        if (visit.start_time, visit.end_time) != (start, end):
            changed.append(
                _compare_and_set(
                    visit,
                    version=visit.version,
                    user=user,
                    start_time=start,
                    end_time=end,
                    is_edited=True,
                )
            )
    return changed


# The roster -----------------------------------------------------------------


@transaction.atomic
def roster_reorder(*, centre: CentreSite, stop_ids: Sequence[int], user: AbstractBaseUser) -> None:
    """
    Put the centre's stops in the order given (every stop of the centre, once):
    positions 1, 2, 3 … Only the stops whose position changes are written (and get
    a history row). Positions are unique per centre, so those first move out of the
    way, above every position in use, then take their places, in one transaction.
    """
    stops = {s.pk: s for s in Stop.objects.select_for_update().filter(centre=centre)}
    if sorted(stop_ids) != sorted(stops) or len(set(stop_ids)) != len(stop_ids):
        raise ValidationError(_("The roster changed meanwhile; reload the page and try again."))
    moving = [
        (position, stops[stop_id])
        for position, stop_id in enumerate(stop_ids, start=1)
        if stops[stop_id].roster_position != position
    ]
    above = max([s.roster_position for s in stops.values()] + [len(stops)]) + 1
    for offset, (_position, stop) in enumerate(moving):
        Stop.objects.filter(pk=stop.pk).update(roster_position=above + offset)
    for position, stop in moving:
        stop.roster_position = position
        stop._history_user = user
        stop.save(update_fields=["roster_position"])


def roster_move(*, centre: CentreSite, stop: Stop, offset: int, user: AbstractBaseUser) -> None:
    """Move one stop up (offset -1) or down (+1) in the roster."""
    ids = list(
        Stop.objects.filter(centre=centre).order_by("roster_position").values_list("pk", flat=True)
    )
    index = ids.index(stop.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    roster_reorder(centre=centre, stop_ids=ids, user=user)


def _free_slug(community: str, centre: CentreSite, exclude: int | None = None) -> str:
    base = danish_slugify(community)[:60] or "stop"
    candidates = [base, f"{base}-{danish_slugify(centre.town)}"[:70]]
    candidates += [f"{base}-{n}" for n in range(2, 100)]
    taken = set(
        Stop.objects.filter(slug__startswith=base)
        .exclude(pk__in=[] if exclude is None else [exclude])
        .values_list("slug", flat=True)
    )
    return next(c for c in candidates if c not in taken)


@transaction.atomic
def stop_create(*, centre: CentreSite, fields: Mapping, user: AbstractBaseUser) -> Stop:
    """A new stop at the end of the centre's roster, with a free public address."""
    last = (
        Stop.objects.select_for_update()
        .filter(centre=centre)
        .aggregate(last=Max("roster_position"))["last"]
        or 0
    )
    place = {name: fields[name] for name in Stop.PLACE_FIELDS}
    stop = Stop(centre=centre, roster_position=last + 1, **place)
    stop.slug = fields.get("slug") or _free_slug(stop.community, centre)
    stop._history_user = user
    stop.full_clean()
    stop.save()
    if stop.latitude is not None:
        schedule_fill([centre.pk])
    return stop


@transaction.atomic
def stop_update(*, stop: Stop, fields: Mapping, user: AbstractBaseUser) -> Stop:
    """Save what the coordinator wrote; a stop that moved gets its road legs anew."""
    was = (stop.latitude, stop.longitude)
    for name in Stop.PLACE_FIELDS:
        setattr(stop, name, fields[name])
    if fields.get("slug"):
        stop.slug = fields["slug"]
    stop._history_user = user
    stop.full_clean()
    stop.save()
    if (stop.latitude, stop.longitude) != was and stop.latitude is not None:
        schedule_fill([stop.centre_id])
    return stop


@dataclass(frozen=True)
class RosterChange:
    """What taking a stop off the roster, or putting it back, did to its coming visits."""

    cancelled: int = 0  # taken off: planned visits cancelled with the stop
    restored: int = 0  # put back: visits cancelled with the stop planned again
    created: int = 0  # put back: new visits planned from its patterns
    kept: int = 0  # put back: restored, no longer fit a pattern, have people on them
    still_cancelled: int = 0  # put back: coming visits cancelled by hand, left so


@transaction.atomic
def stop_set_active(
    *, stop: Stop, active: bool, user, now: dt.datetime | None = None
) -> RosterChange:
    """
    Take a stop off the roster, or put it back.

    Taking it off cancels its planned visits that are still to come, so that the
    week and the public page stop showing them, and marks them as cancelled with
    the stop. A café that has started today is left planned: its volunteers may
    still report it.

    Putting it back plans again the coming visits that were cancelled with the
    stop, and nothing else: a visit cancelled by hand stays cancelled. Those that
    come back follow the stop's patterns as they are now (a pattern may have
    changed meanwhile), then the coming weeks are planned from the patterns.
    """
    now = local_now(now)
    stop.active = active
    stop._history_user = user
    stop.save(update_fields=["active"])
    if active:
        return _stop_back_on_roster(stop, user, now)
    upcoming = Visit.objects.filter(stop=stop, status=VisitStatus.PLANNED).still_to_come(now)
    ids = list(upcoming.values_list("pk", flat=True))
    # is_edited stays as it was: a visit that comes back follows its pattern again
    # if nobody had changed it by hand (a cancelled visit is never generated again).
    Visit.objects.filter(pk__in=ids).update(
        status=VisitStatus.CANCELLED,
        cancel_reason=_("The stop was taken off the roster."),
        cancelled_with_stop=True,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    _record(list(Visit.objects.filter(pk__in=ids)), user, reason="stop taken off the roster")
    return RosterChange(cancelled=len(ids))


def _stop_back_on_roster(stop: Stop, user: AbstractBaseUser, now: dt.datetime) -> RosterChange:
    coming = Visit.objects.filter(stop=stop, status=VisitStatus.CANCELLED).still_to_come(now)
    ids = list(coming.filter(cancelled_with_stop=True).values_list("pk", flat=True))
    Visit.objects.filter(pk__in=ids).update(
        status=VisitStatus.PLANNED,
        cancel_reason="",
        cancelled_with_stop=False,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    _record(list(Visit.objects.filter(pk__in=ids)), user, reason="stop put back on the roster")
    kept = sum(_follow_pattern(p, user, now).kept for p in stop.patterns.all())
    created = visits_generate(now=now, centres=[stop.centre]).created
    return RosterChange(
        # Visits that came back but the pattern no longer gives were removed again.
        restored=Visit.objects.filter(pk__in=ids).count(),
        created=created,
        kept=kept,
        still_cancelled=coming.count(),
    )


# Patterns ---------------------------------------------------------------------


@dataclass(frozen=True)
class PatternSync:
    """What a pattern change did to the visits already planned from it."""

    retimed: int = 0
    removed: int = 0
    kept: int = 0  # no longer fit the pattern but have people on them: left for the coordinator
    created: int = 0


@transaction.atomic
def pattern_save(
    *,
    stop: Stop,
    fields: Mapping,
    user,
    pattern: VisitPattern | None = None,
    now: dt.datetime | None = None,
) -> tuple[VisitPattern, PatternSync]:
    """
    Add or change one of a stop's patterns (VisitPattern.full_clean: no overlap
    with another pattern on that weekday, ends before midnight …), then bring the
    coming visits in line: visits from the pattern that nobody edited by hand get
    the new times, those the pattern no longer gives are removed unless people are
    on them, and the next weeks are generated.
    """
    pattern = pattern or VisitPattern(stop=stop)
    for name in VisitPattern.SCHEDULE_FIELDS:
        setattr(pattern, name, fields.get(name))
    pattern._history_user = user
    pattern.full_clean()
    pattern.save()
    sync = _sync_pattern_visits(pattern, user, now)
    return pattern, sync


def _sync_pattern_visits(
    pattern: VisitPattern, user: AbstractBaseUser, now: dt.datetime | None
) -> PatternSync:
    now = local_now(now)
    sync = _follow_pattern(pattern, user, now)
    if not pattern.stop.active:
        return sync
    created = visits_generate(now=now, centres=[pattern.stop.centre]).created
    return dataclasses.replace(sync, created=created)


def _follow_pattern(pattern: VisitPattern, user: AbstractBaseUser, now: dt.datetime) -> PatternSync:
    """
    Bring the pattern's coming visits that nobody changed by hand in line with it:
    new times, and those it no longer gives removed unless people are on them.
    """
    # Only cafés still to come: one that has started belongs to the volunteers
    # (its report may be on its way). Not edited means date == pattern_date.
    upcoming = list(
        Visit.objects.filter(pattern=pattern, status=VisitStatus.PLANNED, is_edited=False)
        .still_to_come(now)
        .prefetch_related("assignments")
    )
    if upcoming:
        last = max(v.pattern_date for v in upcoming)
        fitting = set(pattern.dates_between(now.date(), last))
    retimed, removed, kept = [], [], 0
    for visit in upcoming:
        if visit.pattern_date in fitting:
            moved = (visit.start_time, visit.end_time) != (pattern.start_time, pattern.end_time)
            # A café later today whose new time has already gone by keeps its time:
            # that is when the village expects it.
            if moved and is_still_to_come(visit.date, pattern.start_time, now=now):
                retimed.append(visit.pk)
        elif visit.assignments.all():
            kept += 1
        else:
            removed.append(visit)
    if retimed:
        Visit.objects.filter(pk__in=retimed).update(
            start_time=pattern.start_time,
            end_time=pattern.end_time,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        _record(list(Visit.objects.filter(pk__in=retimed)), user)
    for visit in removed:
        visit._history_user = user
        visit.delete()
    return PatternSync(retimed=len(retimed), removed=len(removed), kept=kept)
