"""
How timely the reporting is (DHIS2's "timeliness", beside completeness): of the
reports of held cafés in the period, how many were captured on the phone within
24 hours of the café's end.

The phone's capture time (``VisitReport.captured_at``) counts, not the arrival: a
report written at the stop and sent the next morning, because the village has no
signal, is on time. A report without a capture time (made in the admin or before
the phone kept one) counts by its arrival (``submitted_at``). The café's end is its
date and end time in the site's time zone; the comparison is done in that zone, so
"24 hours" is the same clock time the next day (an hour more or less on the two
nights the clocks change).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
)
from django.db.models.functions import Coalesce, TruncDate, TruncTime, TruncWeek

from reach.selectors.query import ReachQuery
from visits.choices import VisitStatus
from visits.models import VisitReport

ON_TIME_WITHIN = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Timeliness:
    """Reports of held cafés in the period, those captured on time, and the share."""

    reports: int
    on_time: int

    @property
    def late(self) -> int:
        return self.reports - self.on_time

    @property
    def share(self) -> float | None:
        """Share of the reports captured within 24 hours (None when there were none)."""
        return self.on_time / self.reports if self.reports else None


def on_time_q(prefix: str = "") -> Q:
    """
    Reports (seen through ``prefix``) captured within 24 hours of their café's end.

    Portable SQL: the capture time less 24 hours, as a local date and time, is
    compared with the café's date and end time (no date arithmetic on the visit).
    """
    captured = Coalesce(F(f"{prefix}captured_at"), F(f"{prefix}submitted_at"))
    shifted = ExpressionWrapper(captured - ON_TIME_WITHIN, output_field=DateTimeField())
    return Q(**{f"{prefix}visit__date__gt": TruncDate(shifted)}) | Q(
        **{
            f"{prefix}visit__date": TruncDate(shifted),
            f"{prefix}visit__end_time__gte": TruncTime(shifted),
        }
    )


def timeliness(query: ReachQuery) -> Timeliness:
    """Reports of held cafés in the period and how many came on time (one query)."""
    counts = VisitReport.objects.filter(
        query.visit_q("visit__"), visit__status=VisitStatus.HELD
    ).aggregate(reports=Count("pk"), on_time=Count("pk", filter=on_time_q()))
    return Timeliness(reports=counts["reports"], on_time=counts["on_time"])


def on_time_by_stop_week(query: ReachQuery) -> dict[tuple[int, dt.date], Timeliness]:
    """
    Timeliness per (stop id, Monday of the ISO week): the exports' stop × week rows.
    One grouped query; a row per stop-week with reports (bounded by stops × weeks).
    """
    counts = (
        VisitReport.objects.filter(query.visit_q("visit__"), visit__status=VisitStatus.HELD)
        .annotate(monday=TruncWeek("visit__date"))
        .values("visit__stop_id", "monday")
        .order_by()
        .annotate(reports=Count("pk"), on_time=Count("pk", filter=on_time_q()))
    )
    return {
        (row["visit__stop_id"], _as_date(row["monday"])): Timeliness(row["reports"], row["on_time"])
        for row in counts
    }


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
