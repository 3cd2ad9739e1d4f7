"""
How complete the reporting is: the shares of reports due that are in (``ReportsDue``,
shared with the reach rows), per centre worst first, and the past visits to fix
(one name per count: held without a report, without a status, or either).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import FilteredRelation, Q
from django.urls import reverse

from core.weeks import IsoWeek
from reach.selectors.aggregates import summed
from reach.selectors.query import ReachQuery
from stops.models import CentreSite, Stop
from visits.choices import VisitStatus
from visits.models import Visit

HELD = VisitStatus.HELD


class ReportsDue:
    """Completeness from ``held``, ``open_past`` and ``reported`` (the package doc)."""

    held: int
    open_past: int
    reported: int

    @property
    def reports_due(self) -> int:
        """Past visits that should have a report: held, or past and still planned."""
        return self.held + self.open_past

    @property
    def held_without_report(self) -> int:
        """Held visits whose report is not in (``reported`` counts held visits only)."""
        return self.held - self.reported

    @property
    def without_report_or_status(self) -> int:
        """Reports due but not in: held without a report, plus past visits without status."""
        return self.reports_due - self.reported

    @property
    def completeness(self) -> float | None:
        """Share of the reports due that are in (None when none were due)."""
        return self.reported / self.reports_due if self.reports_due else None


@dataclass
class CompletenessRow(ReportsDue):
    """How complete one centre's reporting is in the period."""

    centre_id: int
    centre_name: str
    held: int
    reported: int
    open_past: int


def completeness_by_centre(q: ReachQuery) -> list[CompletenessRow]:
    """Per centre: held visits, reports, past visits without status (one query), worst first."""
    centres = CentreSite.objects.all()
    if q.centres is not None:
        centres = centres.filter(pk__in=q.centres)
    if q.funded_stops is not None:
        centres = centres.filter(pk__in=Stop.objects.filter(pk__in=q.funded_stops).values("centre"))
    records = (
        centres.annotate(d=FilteredRelation("stops__days", condition=q.day_q("stops__days__")))
        .values("pk", "name")
        .annotate(
            held=summed("d__held"),
            reported=summed("d__reported"),
            open_past=summed("d__open", d__day__lt=q.today),
        )
        .order_by("name")
    )
    rows = [
        CompletenessRow(r["pk"], r["name"], r["held"], r["reported"], r["open_past"])
        for r in records
    ]
    # Worst first: the centres a leader should ring up (sorting centres, not visits).
    rows.sort(
        key=lambda r: (
            r.completeness if r.completeness is not None else 2,
            -r.without_report_or_status,
        )
    )
    return rows


@dataclass(frozen=True)
class VisitToFix:
    """A past visit that is held without a report, or still has no status at all."""

    visit_id: int
    date: dt.date
    start_time: dt.time
    status: str
    stop_name: str
    centre_id: int
    centre_name: str

    @property
    def week(self) -> IsoWeek:
        return IsoWeek.of(self.date)

    @property
    def admin_url(self) -> str:
        return reverse("admin:visits_visit_change", args=[self.visit_id])

    @property
    def week_url(self) -> str:
        """The coordinator's week page, on the visit's week."""
        return f"{reverse('planning:week', args=[self.centre_id])}?week={self.week}"


def visits_to_fix_queryset(q: ReachQuery):
    """Past visits in the period held without a report or still planned (quality page too)."""
    return Visit.objects.filter(q.visit_q(), date__lt=q.today).filter(
        Q(status=VisitStatus.PLANNED) | Q(status=HELD, report__isnull=True)
    )


def visits_to_fix(q: ReachQuery, *, limit: int = 100) -> list[VisitToFix]:
    """Past visits in the period that are held without a report or still planned (one query)."""
    records = (
        visits_to_fix_queryset(q)
        .order_by("date", "start_time", "stop__centre__name", "stop__roster_position")
        .values(
            "pk",
            "date",
            "start_time",
            "status",
            "stop__community",
            "stop__centre_id",
            "stop__centre__name",
        )[:limit]
    )
    return [
        VisitToFix(
            r["pk"],
            r["date"],
            r["start_time"],
            r["status"],
            r["stop__community"],
            r["stop__centre_id"],
            r["stop__centre__name"],
        )
        for r in records
    ]
