"""
The data-quality page's rows (docs/data-quality.md): the cafés of the period whose
report a coordinator should look at, each with why, and whether someone has checked
it (``reach.models.QualityCheck``, DHIS2's follow-up):

- a figure outside the stop's usual range when it came (``VisitReport.outliers``,
  visits/ranges.py), confirmed by the volunteer or not;
- a held café with 0 people met;
- unusually many new people: at least ``MANY_NEW_MIN`` and more than half of those met;
- a late report: not captured within 24 hours of the café (``timeliness``);
- as on the dashboard, a past café held without a report or without a status
  (``completeness.visits_to_fix_queryset``).

Two queries, whatever the data: the reports with an issue, and the visits to fix,
each with its check joined; at most ``limit`` of each, oldest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from reach.selectors.completeness import visits_to_fix_queryset
from reach.selectors.query import ReachQuery
from reach.selectors.timeliness import on_time_q
from visits.choices import VisitStatus
from visits.models import VisitReport

MANY_NEW_MIN = 5
LIMIT = 200

ISSUES = {
    "outlier": _("Outside the usual range"),
    "confirmed": _("Outside the usual range, confirmed by the volunteer"),
    "zero": _("Held, 0 people met"),
    "many_new": _("Unusually many new"),
    "late": _("Reported late"),
    "no_report": _("Held, no report"),
    "no_status": _("No status"),
}


@dataclass(frozen=True)
class QualityRow:
    """A café to look at, why, and who checked it (blank when nobody has)."""

    visit_id: int
    date: dt.date
    stop_name: str
    centre_name: str
    issues: tuple[str, ...]  # keys of ISSUES
    people_met: int | None = None
    new_people: int | None = None
    meals: int | None = None
    food_bags: int | None = None
    outliers: tuple[str, ...] = ()
    checked_by: str = ""
    checked_at: dt.datetime | None = None

    @property
    def issue_labels(self) -> list[str]:
        return [str(ISSUES[key]) for key in self.issues]

    @property
    def checked(self) -> bool:
        return self.checked_at is not None


_CHECK = ("visit__quality_check__checked_at", "visit__quality_check__checked_by__username")


def _flagged_reports(q: ReachQuery, limit: int) -> list[QualityRow]:
    records = (
        VisitReport.objects.filter(q.visit_q("visit__"), visit__status=VisitStatus.HELD)
        .alias(on_time=ExpressionWrapper(on_time_q(), output_field=BooleanField()))
        .filter(
            ~Q(outliers="")
            | Q(people_met=0)
            | Q(new_people__gte=MANY_NEW_MIN, new_people__gt=F("people_met") / 2)
            | Q(on_time=False)
        )
        .annotate(late=ExpressionWrapper(~on_time_q(), output_field=BooleanField()))
        .order_by("visit__date", "visit__start_time", "visit__stop__community")
        .values(
            "visit_id",
            "visit__date",
            "visit__stop__community",
            "visit__stop__centre__name",
            "people_met",
            "new_people",
            "meals",
            "food_bags",
            "outliers",
            "outliers_confirmed",
            "late",
            *_CHECK,
        )[:limit]
    )
    rows = []
    for r in records:
        issues = []
        if r["outliers"]:
            issues.append("confirmed" if r["outliers_confirmed"] else "outlier")
        if r["people_met"] == 0:
            issues.append("zero")
        if r["new_people"] >= MANY_NEW_MIN and r["new_people"] * 2 > r["people_met"]:
            issues.append("many_new")
        if r["late"]:
            issues.append("late")
        rows.append(
            QualityRow(
                visit_id=r["visit_id"],
                date=r["visit__date"],
                stop_name=r["visit__stop__community"],
                centre_name=r["visit__stop__centre__name"],
                issues=tuple(issues),
                people_met=r["people_met"],
                new_people=r["new_people"],
                meals=r["meals"],
                food_bags=r["food_bags"],
                outliers=tuple(n for n in r["outliers"].split(",") if n),
                checked_by=r[_CHECK[1]] or "",
                checked_at=r[_CHECK[0]],
            )
        )
    return rows


def _missing(q: ReachQuery, limit: int) -> list[QualityRow]:
    records = (
        visits_to_fix_queryset(q)
        .order_by("date", "start_time", "stop__community")
        .values(
            "pk",
            "date",
            "status",
            "stop__community",
            "stop__centre__name",
            "quality_check__checked_at",
            "quality_check__checked_by__username",
        )[:limit]
    )
    return [
        QualityRow(
            visit_id=r["pk"],
            date=r["date"],
            stop_name=r["stop__community"],
            centre_name=r["stop__centre__name"],
            issues=("no_report" if r["status"] == VisitStatus.HELD else "no_status",),
            checked_by=r["quality_check__checked_by__username"] or "",
            checked_at=r["quality_check__checked_at"],
        )
        for r in records
    ]


def quality_rows(q: ReachQuery, *, limit: int = LIMIT) -> list[QualityRow]:
    """The period's cafés to look at, by date (two queries); unchecked and checked alike."""
    rows = _flagged_reports(q, limit) + _missing(q, limit)
    rows.sort(key=lambda row: (row.date, row.stop_name))
    return rows
