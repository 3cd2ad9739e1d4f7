"""The exports' rows: one per stop and ISO week, streamed from the stop-day summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import connection
from django.db.models import F, QuerySet, Sum, Value
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
    yield from _stream(ordered, types)


_KIND = len(_EXPORT_GROUP)  # where kind, service and referred sit in a fetched row
_NAMES = (*_EXPORT_GROUP, *_EXPORT_SUMS)


def _stream(ordered: QuerySet, types: list[ServiceType]) -> Iterator[dict]:
    """
    The union's rows as records, from a server-side cursor in chunks. Fetched raw,
    not through ``.iterator()``: the ORM's per-value converters were a third of a
    national year's export in Python, and the only value that needs one is the
    week's Monday (a timestamp on PostgreSQL, text on SQLite), converted here once
    per distinct week.
    """
    blank = {ref_column(service.pk): 0 for service in types}
    sql, params = ordered.query.sql_with_params()
    weeks: dict[object, tuple[dt.date, IsoWeek]] = {}
    monday_at = _EXPORT_GROUP.index("monday")
    record = None
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            for values in batch:
                if values[_KIND] == 1:
                    key = ref_column(values[_KIND + 1])
                    if record is not None and key in record:
                        record[key] = values[_KIND + 2]
                    continue
                if record is not None:
                    yield record
                record = dict(zip(_NAMES, values[:_KIND] + values[_KIND + 3 :], strict=True))
                monday = values[monday_at]
                if monday not in weeks:
                    weeks[monday] = _week(monday)
                record["monday"], record["week"] = weeks[monday]
                record.update(blank)
    if record is not None:
        yield record


def _week(monday) -> tuple[dt.date, IsoWeek]:
    """The Monday as a date (a timestamp on PostgreSQL, text on SQLite) and its ISO week."""
    if isinstance(monday, dt.datetime):
        monday = monday.date()
    elif isinstance(monday, str):
        monday = dt.date.fromisoformat(monday[:10])
    return monday, IsoWeek.of(monday)
