"""Cafés held, people met, new people and meals over a span of days (a year earlier)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Min

from reach.models import StopDay
from reach.selectors.aggregates import summed
from reach.selectors.query import ReachQuery


@dataclass(frozen=True)
class Totals:
    """Cafés held, people met, new people and meals over a span of days."""

    cafes: int = 0
    people_met: int = 0
    new_people: int = 0
    meals: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None


def totals(q: ReachQuery) -> Totals:
    """Held cafés and what their reports counted in the query's dates (one query)."""
    record = StopDay.objects.filter(q.day_q(), held__gt=0).aggregate(
        cafes=summed("held"),
        people_met=summed("people_met"),
        new_people=summed("new_people"),
        meals=summed("meals"),
        first_date=Min("day"),
        last_date=Max("day"),
    )
    return Totals(**record)
