"""
The figures of a selection's rows (regions, centres or stops) and of its total:
the level's ONE grouped query over the stop-day summaries (``reach_rows_queryset``),
one more for distinct volunteers and referrals (``row_details``), and the total
summed from the rows (see the package doc for what each figure counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from reach.models import StopDayReferral, StopVolunteer, StopVolunteerDay
from reach.selectors.aggregates import summed
from reach.selectors.completeness import ReportsDue
from reach.selectors.query import Level, ReachQuery
from stops.models import CentreSite, Region, Stop
from visits.models import REPORT_FIGURES, HomeVisit, ServiceType


def ref_column(service_type_id: int) -> str:
    """The column of one service type's referrals in the grouped queries."""
    return f"ref_{service_type_id}"


@dataclass
class ReachRow(ReportsDue):
    """The figures of one region, centre or stop (or of the whole selection)."""

    id: int | None
    name: str
    kind: str  # region, centre, stop or total
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    open_past: int = 0
    reported: int = 0
    people_met: int = 0
    new_people: int = 0
    meals: int = 0
    food_bags: int = 0
    clothing_items: int = 0
    other_items: int = 0
    volunteer_minutes: int = 0
    volunteers: int = 0
    home_visits: int | None = 0
    referrals: dict[int, int] = field(default_factory=dict)
    target: float | None = None
    active: bool = True
    parent_name: str = ""
    # For publication: column (a count, or ref_<service type id>) → "<3" or "x".
    hidden: dict[str, str] = field(default_factory=dict)
    # Who the volunteers are (ids), so that the total counts each once.
    volunteer_ids: frozenset[int] = field(default=frozenset(), repr=False)

    def shown(self, name: str):
        """A count as published: its marker ("<3", "x") when hidden, else the number."""
        return self.hidden.get(name, getattr(self, name))

    def shown_referral(self, service_type_id: int):
        """One service type's referrals as published (see ``shown``)."""
        return self.hidden.get(ref_column(service_type_id), self.referrals.get(service_type_id, 0))

    @property
    def referrals_total(self) -> int:
        return sum(self.referrals.values())

    @property
    def volunteer_hours(self) -> float:
        return self.volunteer_minutes / 60

    @property
    def target_rounded(self) -> int | None:
        return None if self.target is None else round(self.target)

    @property
    def target_share(self) -> float | None:
        """People met as a share of the target (None without a target)."""
        if not self.target:
            return None
        return self.people_met / self.target


# How each level reaches its summary rows and home visits.
_LEVELS = {
    # level: (model, path to stop-days, key from a stop-day, key from a home visit)
    Level.NATIONAL: (Region, "centres__stops__days", "stop__centre__region", "centre__region"),
    Level.REGION: (CentreSite, "stops__days", "stop__centre", "centre"),
    Level.CENTRE: (Stop, "days", "stop", None),
}
_ROW_KIND = {Level.NATIONAL: "region", Level.REGION: "centre", Level.CENTRE: "stop"}


def service_types() -> list[ServiceType]:
    """Every service type in display order (one query); referral columns follow it."""
    return list(ServiceType.objects.order_by("position", "name"))


class GroupSubquery(Subquery):
    """
    A correlated scalar subquery in a grouped query, evaluated once per group.

    Django groups by every non-aggregate annotation of a ``values().annotate()``
    query, so a plain Subquery lands in GROUP BY and PostgreSQL runs it once per
    joined visit row. Marked as an aggregate, it groups by the columns it refers to
    (the outer primary key, already grouped) and runs once per row of the result.
    """

    contains_aggregate = True


def _correlated(queryset: QuerySet, key: str, value) -> Subquery:
    """
    A scalar subquery: ``value`` aggregated over rows whose ``key`` is the outer row
    (NULL when there are none). Not wrapped in Coalesce: a bare subquery groups by the
    outer primary key, so PostgreSQL runs it once per group, not once per joined row.
    """
    subquery = (
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(value=value)
        .values("value")
    )
    return GroupSubquery(subquery, output_field=IntegerField())


def _groups(q: ReachQuery) -> QuerySet:
    """The rows of the level: regions, centres of a region, or stops of a centre."""
    level = q.level
    groups: QuerySet
    if level == Level.NATIONAL:
        groups = Region.objects.all()
        if q.centres is not None:
            groups = groups.filter(
                pk__in=CentreSite.objects.filter(pk__in=q.centres).values("region")
            )
        if q.funded_stops is not None:
            groups = groups.filter(
                pk__in=Stop.objects.filter(pk__in=q.funded_stops).values("centre__region")
            )
        return groups.order_by("name")
    if level == Level.REGION:
        groups = CentreSite.objects.filter(region=q.region_id)
        if q.centres is not None:
            groups = groups.filter(pk__in=q.centres)
        if q.funded_stops is not None:
            groups = groups.filter(
                pk__in=Stop.objects.filter(pk__in=q.funded_stops).values("centre")
            )
        return groups.order_by("name")
    groups = Stop.objects.filter(centre_id=q.centre_id)
    if q.stops is not None:
        groups = groups.filter(pk__in=q.stops)
    return groups.order_by("roster_position")


def _day_aggregates(alias: str, today: dt.date) -> dict:
    """The summary rows reached as ``alias`` added up (reports of held visits only)."""
    found = {name: summed(f"{alias}__{name}") for name in ("planned", "held", "cancelled")}
    found["open_past"] = summed(f"{alias}__open", **{f"{alias}__day__lt": today})
    found["reported"] = summed(f"{alias}__reported")
    return found | {name: summed(f"{alias}__{name}") for name in REPORT_FIGURES}


def reach_rows_queryset(q: ReachQuery, *, types: list[ServiceType] | None = None) -> QuerySet:
    """
    The one query behind ``reach_rows``: the level's model LEFT JOINed to its stops'
    summary rows in the period (the dates sit in the JOIN), summed; home visits as a
    subquery run once per row. At the centre level the rows are the counted stops
    already, so the join names only the dates. (``types`` is not needed any more:
    the referrals come with the volunteers, ``row_details``.)
    """
    level = q.level
    _model, path, _day_key, home_key = _LEVELS[level]
    joins = {
        "d": FilteredRelation(
            path, condition=q.day_q(prefix=f"{path}__", stops=level != Level.CENTRE)
        )
    }
    annotations = _day_aggregates("d", q.today)
    if home_key is not None:
        annotations["home_visits"] = _correlated(_home_visits(q), home_key, Count("pk"))
    names = {Level.NATIONAL: ("name",), Level.REGION: ("name", "active", "region__name")}
    name_fields = names.get(level, ("community", "venue_name", "active", "centre__name"))
    return _groups(q).annotate(**joins).values("pk", *name_fields).annotate(**annotations)


VOLUNTEER, REFERRAL = 0, 1  # the kinds of row_details' rows


def _scoped(queryset: QuerySet, q: ReachQuery, stop: str) -> QuerySet:
    """Rows whose stop (reached as ``stop``) the selection counts."""
    if q.stops is not None:
        queryset = queryset.filter(**{f"{stop}__in": q.stops})
    if q.level == Level.CENTRE:
        return queryset.filter(**{f"{stop}__centre_id": q.centre_id})
    if q.level == Level.REGION:
        return queryset.filter(**{f"{stop}__centre__region_id": q.region_id})
    return queryset


def row_details(q: ReachQuery) -> QuerySet:
    """
    ONE query for what a row cannot sum from its stop-days: (VOLUNTEER, row key,
    volunteer, 0) for each distinct volunteer of a row, and (REFERRAL, row key,
    service type, referrals) per kind of help.

    Volunteers: each (stop, volunteer) pair that ever served, kept if it has a
    volunteer-day in the period (one index probe per pair: some thousands at ten
    times the national scale, however long the period), rather than every
    volunteer-day of the period made distinct (2 million for five years there).
    Referrals here rather than one join per kind in ``reach_rows_queryset``: eight
    joins over every stop-day of five years were four fifths of that query.
    """
    key = _LEVELS[q.level][2]
    served = StopVolunteerDay.objects.filter(
        stop=OuterRef("stop"), volunteer=OuterRef("volunteer"), day__gte=q.start, day__lte=q.end
    )
    volunteers = (
        _scoped(StopVolunteer.objects.all(), q, "stop")
        .filter(Exists(served))
        .values_list(Value(VOLUNTEER), key, "volunteer", Value(0))
        .distinct()
        .order_by()
    )
    referrals = (
        _scoped(
            StopDayReferral.objects.filter(q.day_q("stop_day__", stops=False)), q, "stop_day__stop"
        )
        .values(f"stop_day__{key}", "service_type")
        .order_by()
        .annotate(n=Sum("count"))
        .values_list(Value(REFERRAL), f"stop_day__{key}", "service_type", "n")
    )
    return volunteers.union(referrals, all=True)


def reach_rows(q: ReachQuery, *, types: list[ServiceType]) -> list[ReachRow]:
    """
    The rows one level below the selection (regions, centres or stops), in ONE query
    (``reach_rows_queryset``), and their volunteers and referrals in one more
    (``row_details``). Targets are filled in by ``apply_targets``.
    """
    level = q.level
    home_key = _LEVELS[level][3]
    values = reach_rows_queryset(q)
    volunteers: dict[int, set[int]] = {}
    referrals: dict[int, dict[int, int]] = {}
    for kind, key, item, count in row_details(q):
        if kind == VOLUNTEER:
            volunteers.setdefault(key, set()).add(item)
        else:
            referrals.setdefault(key, {})[item] = count
    rows = []
    for record in values:
        ids = frozenset(volunteers.get(record["pk"], ()))
        rows.append(
            ReachRow(
                id=record["pk"],
                name=record.get("name") or record.get("community", ""),
                kind=_ROW_KIND[level],
                active=record.get("active", True),
                parent_name=record.get("region__name") or record.get("centre__name") or "",
                referrals={
                    service.pk: referrals.get(record["pk"], {}).get(service.pk, 0)
                    for service in types
                },
                home_visits=(record["home_visits"] or 0) if home_key else None,
                volunteers=len(ids),
                volunteer_ids=ids,
                **{name: record[name] for name in _COUNT_NAMES},
            )
        )
    return rows


_COUNT_NAMES = ("planned", "held", "cancelled", "open_past", "reported", *REPORT_FIGURES)


def _home_visits(q: ReachQuery) -> QuerySet:
    home = HomeVisit.objects.filter(date__gte=q.start, date__lte=q.end)
    return home.filter(centre__in=q.home_centres) if q.home_centres is not None else home


def reach_total(q: ReachQuery, rows: list[ReachRow], *, types: list[ServiceType]) -> ReachRow:
    """
    The selection's own row: the sum of its rows (so they reconcile exactly), except
    volunteers, who are counted once however many stops they served (the rows'
    volunteer ids, no query). Home visits come from one query at the centre level,
    where the rows are stops.
    """
    total = ReachRow(id=None, name="", kind="total")
    for name in _COUNT_NAMES:
        setattr(total, name, sum(getattr(row, name) for row in rows))
    total.referrals = {s.pk: sum(row.referrals.get(s.pk, 0) for row in rows) for s in types}
    total.volunteer_ids = frozenset().union(*(row.volunteer_ids for row in rows))
    total.volunteers = len(total.volunteer_ids)
    if q.level == Level.CENTRE:
        total.home_visits = _home_visits(q).count()
    else:
        total.home_visits = sum(row.home_visits or 0 for row in rows)
    return total
