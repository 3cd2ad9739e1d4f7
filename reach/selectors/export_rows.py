"""The exports' rows: one per stop and ISO week, streamed from the stop-day summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import F, Sum, Value
from django.db.models.functions import TruncWeek

from core.weeks import IsoWeek
from reach.models import StopDay, StopDayReferral
from reach.selectors.aggregates import summed
from reach.selectors.figures import ref_column
from reach.selectors.query import ReachQuery
from visits.models import REPORT_FIGURES, ServiceType

_EXPORT_GROUP = (
    "stop__centre__region__name",
    "stop__centre__name",
    "stop__centre_id",
    "stop__roster_position",
    "stop_id",
    "monday",
    "stop__community",
)
_EXPORT_SUMS = ("planned", "held", "cancelled", "reported", "open_past", *REPORT_FIGURES)


def export_rows(q: ReachQuery, *, types: list[ServiceType]) -> Iterator[dict]:
    """
    One row per stop and ISO week in the selection (weeks cut at the period's ends),
    summed from the stop-day summaries in the database and streamed with
    ``.iterator()`` so that five years of national data never sits in memory.

    ONE query, two kinds of rows in one order: each stop-week's sums (kind 0), then
    its referrals per service type (kind 1), joined here while streaming; not one
    join per service type over every stop-day (eight joins were most of the time).
    """
    weeks = (
        StopDay.objects.filter(q.day_q())
        .annotate(monday=TruncWeek("day"))
        .values(*_EXPORT_GROUP)
        .order_by()
        .annotate(
            kind=Value(0),
            service=Value(0),
            referred=Value(0),
            planned=summed("planned"),
            held=summed("held"),
            cancelled=summed("cancelled"),
            reported=summed("reported"),
            open_past=summed("open", day__lt=q.today),
            **{name: summed(name) for name in REPORT_FIGURES},
        )
        .values_list(*_EXPORT_GROUP, "kind", "service", "referred", *_EXPORT_SUMS)
    )
    via = {name: F(f"stop_day__{name}") for name in _EXPORT_GROUP if name != "monday"}
    referrals = (
        StopDayReferral.objects.filter(q.day_q("stop_day__"))
        .annotate(monday=TruncWeek("stop_day__day"), **{f"x_{k}": v for k, v in via.items()})
        .values(*(f"x_{name}" if name != "monday" else name for name in _EXPORT_GROUP))
        .order_by()
        .annotate(
            kind=Value(1),
            service=F("service_type_id"),
            referred=Sum("count"),
            **{name: Value(0) for name in _EXPORT_SUMS},
        )
        .values_list(
            *(f"x_{name}" if name != "monday" else name for name in _EXPORT_GROUP),
            "kind",
            "service",
            "referred",
            *_EXPORT_SUMS,
        )
    )
    ordered = weeks.union(referrals, all=True).order_by(
        *[name for name in _EXPORT_GROUP if name != "stop__community"], "kind"
    )
    columns = (*_EXPORT_GROUP, "kind", "service", "referred", *_EXPORT_SUMS)
    blank = {ref_column(service.pk): 0 for service in types}
    record = None
    for values in ordered.iterator(chunk_size=2000):
        row = dict(zip(columns, values, strict=True))
        if row["kind"] == 1:
            if record is not None and ref_column(row["service"]) in record:
                record[ref_column(row["service"])] = row["referred"]
            continue
        if record is not None:
            yield record
        record = _export_record(row, blank)
    if record is not None:
        yield record


def _export_record(row: dict, blank: dict) -> dict:
    for name in ("kind", "service", "referred"):
        del row[name]
    monday = row["monday"]
    if isinstance(monday, dt.datetime):
        monday = monday.date()
    row["monday"] = monday
    row["week"] = IsoWeek.of(monday)
    return row | blank
