"""
A centre's roster of stops: their order, a new stop, its details, and taking a stop
off the roster or putting it back (which cancels or restores its coming visits).
"""

from __future__ import annotations

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
from planning.services.patterns import pattern_follow
from planning.services.team import team_fields
from planning.services.visit_edit import record_history
from planning.tasks import schedule_fill
from stops.models import CentreSite, Stop
from visits.choices import VisitStatus
from visits.models import Visit
from visits.services import visits_generate
from visits.upcoming import local_now


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
    stop = Stop(centre=centre, roster_position=last + 1, **place, **team_fields(fields))
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
    for name, value in team_fields(fields).items():
        setattr(stop, name, value)
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
    *, stop: Stop, active: bool, user: AbstractBaseUser, now: dt.datetime | None = None
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
    record_history(list(Visit.objects.filter(pk__in=ids)), user, reason="stop taken off the roster")
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
    record_history(
        list(Visit.objects.filter(pk__in=ids)), user, reason="stop put back on the roster"
    )
    kept = sum(pattern_follow(p, user, now).kept for p in stop.patterns.all())
    created = visits_generate(now=now, centres=[stop.centre]).created
    return RosterChange(
        # Visits that came back but the pattern no longer gives were removed again.
        restored=Visit.objects.filter(pk__in=ids).count(),
        created=created,
        kept=kept,
        still_cancelled=coming.count(),
    )
