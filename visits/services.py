"""Writes that span several rows or models: generating visits from patterns."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drivein.weeks import monday_of
from stops.models import CentreSite
from visits.holidays import holiday_name
from visits.models import Visit, VisitPattern

MAX_GENERATION_WEEKS = 104


@dataclass(frozen=True)
class GenerationResult:
    start: dt.date
    end: dt.date
    patterns: int
    created: int
    on_holidays: int


def generation_horizon(*, weeks: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """From today through the Sunday ``weeks`` weeks after this week."""
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
    weeks: int = 8,
    today: dt.date | None = None,
    centres: Iterable[CentreSite] | None = None,
) -> GenerationResult:
    """
    Create the planned visits that the patterns give from today through ``weeks``
    weeks ahead. Idempotent: a visit is keyed by (pattern, pattern date), so a
    second run creates nothing, and a visit that was moved, edited, held or
    cancelled is never touched or made again. Past dates are never generated.
    """
    if not 1 <= weeks <= MAX_GENERATION_WEEKS:
        raise ValidationError(
            _("Weeks must be between 1 and %(max)s.") % {"max": MAX_GENERATION_WEEKS}
        )
    today = today or timezone.localdate()
    start, end = generation_horizon(weeks=weeks, today=today)

    patterns = VisitPattern.objects.valid_between(start, end).filter(
        stop__active=True, stop__centre__active=True
    )
    if centres is not None:
        patterns = patterns.filter(stop__centre__in=centres)
    patterns = list(patterns.select_related("stop"))
    _check_no_overlaps(patterns)

    existing = set(
        Visit.objects.filter(pattern__in=patterns, pattern_date__gte=start).values_list(
            "pattern_id", "pattern_date"
        )
    )
    new_visits = []
    for pattern in patterns:
        for day in pattern.dates_between(start, end):
            if (pattern.pk, day) in existing:
                continue
            holiday = holiday_name(day)
            new_visits.append(
                Visit(
                    stop_id=pattern.stop_id,
                    pattern=pattern,
                    pattern_date=day,
                    date=day,
                    start_time=pattern.start_time,
                    end_time=pattern.end_time,
                    is_holiday=bool(holiday),
                    holiday_name=holiday,
                )
            )
    # ignore_conflicts: a run going on at the same moment may have made the same
    # (pattern, date) visit; the unique constraint keeps one.
    Visit.objects.bulk_create(new_visits, batch_size=1000, ignore_conflicts=True)
    return GenerationResult(
        start=start,
        end=end,
        patterns=len(patterns),
        created=len(new_visits),
        on_holidays=sum(1 for visit in new_visits if visit.is_holiday),
    )
