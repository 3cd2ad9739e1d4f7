"""The weekly trend up to a period's end, and the running totals since the start, in one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from core.weeks import IsoWeek
from reach.models import StopDay
from reach.selectors.aggregates import summed
from reach.selectors.query import ReachQuery
from reach.selectors.totals import Totals


@dataclass(frozen=True)
class WeekPoint:
    """One ISO week of a trend."""

    week: IsoWeek
    cafes: int
    people_met: int
    new_people: int
    meals: int


def trend_and_since_start(q: ReachQuery, *, weeks: int) -> tuple[list[WeekPoint], Totals]:
    """
    The ``weeks`` ISO weeks ending with the week the query ends in, oldest first
    (weeks without cafés are zero; a week that spans New Year is one week, and week
    53 is a week like any other), and the running totals from the first café (or the
    grant's start) to the end of the period. ONE query: held cafés grouped by date up
    to the trend's last Sunday, then summed into ISO weeks and into the running totals
    here (a loop over days, at most a few thousand, never over visits). It reads the
    summary rows: the running totals still cover the whole history, but one narrow
    row per stop-day, not every visit joined to its report.
    """
    last = IsoWeek.of(q.end)
    first = last.shift(-(weeks - 1))
    trend_start = max(first.monday, q.grant_start or first.monday)
    # The grant's days only: not the days of its last week after the grant ended.
    window_end = max(last.sunday, q.end)
    if q.grant_end is not None:
        window_end = min(window_end, q.grant_end)
    window = q.with_dates(q.grant_start or dt.date(1, 1, 1), window_end)
    days = (
        StopDay.objects.filter(window.day_q(), held__gt=0)
        .values("day")
        .annotate(
            cafes=summed("held"),
            people_met=summed("people_met"),
            new_people=summed("new_people"),
            meals=summed("meals"),
        )
        .order_by("day")
    )
    figures: tuple[Literal["cafes", "people_met", "new_people", "meals"], ...] = (
        "cafes",
        "people_met",
        "new_people",
        "meals",
    )
    by_week: dict[IsoWeek, dict[str, int]] = {}
    since = dict.fromkeys(figures, 0)
    first_date = last_date = None
    for day in days:
        if trend_start <= day["day"] <= last.sunday:
            week = by_week.setdefault(IsoWeek.of(day["day"]), dict.fromkeys(figures, 0))
            for name in figures:
                week[name] += day[name]
        if day["day"] <= q.end:
            for name in figures:
                since[name] += day[name]
            first_date = first_date or day["day"]
            last_date = day["day"]
    points = [
        WeekPoint(week=week, **by_week.get(week, dict.fromkeys(figures, 0)))
        for week in (first.shift(offset) for offset in range(weeks))
    ]
    return points, Totals(**since, first_date=first_date, last_date=last_date)
