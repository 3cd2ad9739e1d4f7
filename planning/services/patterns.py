"""A stop's weekly patterns, and bringing the visits planned from them in line."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from planning.services.team import team_fields
from planning.services.visit_edit import record_history
from stops.models import Stop
from visits.choices import VisitStatus
from visits.models import Visit, VisitPattern
from visits.services import visits_generate
from visits.upcoming import is_still_to_come, local_now


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
    user: AbstractBaseUser,
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
    for name, value in team_fields(fields).items():
        setattr(pattern, name, value)
    pattern._history_user = user
    pattern.full_clean()
    pattern.save()
    sync = _sync_pattern_visits(pattern, user, now)
    return pattern, sync


def _sync_pattern_visits(
    pattern: VisitPattern, user: AbstractBaseUser, now: dt.datetime | None
) -> PatternSync:
    now = local_now(now)
    sync = pattern_follow(pattern, user, now)
    if not pattern.stop.active:
        return sync
    created = visits_generate(now=now, centres=[pattern.stop.centre]).created
    return dataclasses.replace(sync, created=created)


def pattern_follow(pattern: VisitPattern, user: AbstractBaseUser, now: dt.datetime) -> PatternSync:
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
        record_history(list(Visit.objects.filter(pk__in=retimed)), user)
    for visit in removed:
        visit._history_user = user
        visit.delete()
    return PatternSync(retimed=len(retimed), removed=len(removed), kept=kept)
