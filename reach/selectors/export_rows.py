"""The exports' rows: one per stop and ISO week, streamed from the stop-day summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import connection
from django.db.models import Count, F, Sum, Value, Window
from django.db.models.functions import RowNumber, TruncWeek

from core.weeks import IsoWeek
from reach.models import StopDay, StopDayReferral
from reach.selectors.aggregates import summed
from reach.selectors.figures import ref_column
from reach.selectors.query import ReachQuery
from reach.selectors.timeliness import on_time_q
from stops.models import Stop
from visits.choices import VisitStatus
from visits.models import REPORT_FIGURES, ServiceType, VisitReport

_EXPORT_SUMS = ("planned", "held", "cancelled", "reported", "open_past", *REPORT_FIGURES)
# A record's keys, in the order of the fetched row; the row ends with kind, service
# and referred (zip stops at the shorter, so they are left out of the record).
_NAMES = (
    "stop__centre__region__name",
    "stop__centre__name",
    "stop__centre_id",
    "stop__community",
    "stop_id",
    "monday",
    "timely_reports",  # reports of held cafés (reach.selectors.timeliness), 0 if none
    "timely_on_time",  # of which captured within 24 hours
    *_EXPORT_SUMS,
)
# The order of the rows: the stops as before (region, centre, roster), each stop's
# weeks in turn, each week's sums (kind 0) before its referrals (kind 1).
_STOP_ORDER = ("centre__region__name", "centre__name", "centre_id", "roster_position", "pk")


def export_rows(q: ReachQuery, *, types: list[ServiceType]) -> Iterator[dict]:
    """
    One row per stop and ISO week in the selection (weeks cut at the period's ends),
    summed from the stop-day summaries in the database and streamed from a
    server-side cursor so that five years of national data never sits in memory.

    ONE query, two kinds of rows in one order: each stop-week's sums (kind 0), then
    its referrals per service type (kind 1), joined here while streaming. Grouped by
    the integer keys (stop, Monday) only and sorted by the stop's rank (a number
    from the few thousand stops, ranked by their names once): the names are joined
    to the grouped rows, never grouped or compared row by row (text comparisons in
    the database's collation were most of the sort). Each week row also carries its
    timeliness (reports of held cafés and those on time), joined in the same query.
    """
    sql, params = _export_sql(q)
    yield from _stream(sql, params, types)


def _export_sql(q: ReachQuery) -> tuple[str, tuple]:
    weeks = (
        StopDay.objects.filter(q.day_q())
        .annotate(monday=TruncWeek("day"))
        .values("stop_id", "monday")
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
        .values_list("stop_id", "monday", "kind", "service", "referred", *_EXPORT_SUMS)
    )
    referrals = (
        StopDayReferral.objects.filter(q.day_q("stop_day__"))
        .annotate(monday=TruncWeek("stop_day__day"), x_stop=F("stop_day__stop_id"))
        .values("x_stop", "monday")
        .order_by()
        .annotate(
            kind=Value(1),
            service=F("service_type_id"),
            referred=Sum("count"),
            **{name: Value(0) for name in _EXPORT_SUMS},
        )
        .values_list("x_stop", "monday", "kind", "service", "referred", *_EXPORT_SUMS)
    )
    timely = (
        VisitReport.objects.filter(q.visit_q("visit__"), visit__status=VisitStatus.HELD)
        .annotate(monday=TruncWeek("visit__date"))
        .values("visit__stop_id", "monday")
        .order_by()
        .annotate(reports=Count("pk"), on_time=Count("pk", filter=on_time_q()))
        .values_list("visit__stop_id", "monday", "reports", "on_time")
    )
    stops = Stop.objects.all() if q.stops is None else Stop.objects.filter(pk__in=q.stops)
    ranked = (
        stops.order_by()
        .annotate(pos=Window(RowNumber(), order_by=[F(name).asc() for name in _STOP_ORDER]))
        .values_list("pk", "pos", "centre__region__name", "centre__name", "centre_id", "community")
    )
    parts = [weeks.union(referrals, all=True), timely, ranked]
    compiled = [part.query.sql_with_params() for part in parts]
    sums = [f"u.s{i}" for i in range(len(_EXPORT_SUMS))]
    sql = (
        f"WITH u (stop_id, monday, kind, service, referred, {', '.join(s[2:] for s in sums)})"
        f" AS ({compiled[0][0]}),"
        f" t (stop_id, monday, reports, on_time) AS ({compiled[1][0]}),"
        f" s (id, pos, region, centre, centre_id, community) AS ({compiled[2][0]})"
        " SELECT s.region, s.centre, s.centre_id, s.community, u.stop_id, u.monday,"
        f" COALESCE(t.reports, 0), COALESCE(t.on_time, 0), {', '.join(sums)},"
        " u.kind, u.service, u.referred"
        " FROM u JOIN s ON s.id = u.stop_id"
        " LEFT JOIN t ON u.kind = 0 AND t.stop_id = u.stop_id AND t.monday = u.monday"
        " ORDER BY s.pos, u.monday, u.kind"
    )
    return sql, tuple(p for _sql, found in compiled for p in found)


_KIND = -3  # where kind, service and referred sit in a fetched row (the last three)
_MONDAY = _NAMES.index("monday")


def _stream(sql: str, params: tuple, types: list[ServiceType]) -> Iterator[dict]:
    """
    The rows as records, from a server-side cursor in chunks. Fetched raw, not
    through ``.iterator()``: the ORM's per-value converters were a third of a
    national year's export in Python, and the only value that needs one is the
    week's Monday (a timestamp on PostgreSQL, text on SQLite), converted here once
    per distinct week.
    """
    blank = {ref_column(service.pk): 0 for service in types}
    columns = {service.pk: ref_column(service.pk) for service in types}
    weeks: dict[object, tuple[dt.date, IsoWeek]] = {}
    record = None
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            for values in batch:
                if values[_KIND] == 1:
                    key = columns.get(values[_KIND + 1])
                    if record is not None and key is not None:
                        record[key] = values[_KIND + 2]
                    continue
                if record is not None:
                    yield record
                record = dict(zip(_NAMES, values))  # noqa: B905 (kind, service, referred left out)
                monday = values[_MONDAY]
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
