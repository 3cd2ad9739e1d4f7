"""
Reach figures, read straight from the database as plain rows.

Every function takes a ``ReachQuery`` (period, level, filters, the user's centre
scope; nothing about HTTP) and runs a fixed number of aggregate queries, whatever
the amount of data. They read the summaries (``reach.models``: one row per stop
and day with visits, per kind of referral, per volunteer), which the database keeps
up to date in the same transaction as every write (``reach.summaries``): a report
sent is counted by the next request, and a period costs the stop-days it covers,
never the reports and referrals of the whole history. The rows of one level come
from ONE query that groups the level's model (regions, centres or stops) over a
day-filtered join to its summary rows (``FilteredRelation``, so the dates sit in
the JOIN and the index serves them) with each kind of referral joined once (at most
one row per stop-day, so no join multiplies another); distinct volunteers come
from one more query of (row, volunteer) pairs, which also gives the total's.
No Python loop ever walks visit rows; the few loops here walk groups (at most a
few thousand stops), volunteers of the selection, days or weeks.

For a "raw SQL floor" benchmark, ``reach_rows_queryset(q, types=…).query`` is the
SQL of the level's one query.

Definitions (README, "For leadership"):
- planned: every visit on the schedule in the period, whatever its status;
  held / cancelled by status; open: past visits still marked planned.
- reports due: held visits plus open ones (a café nobody marked held or cancelled
  may well have been held; it must count as missing, not vanish). Completeness is
  reports / reports due.
- people met, new, meals, food bags, clothing, other items and volunteer minutes
  come from the reports of held visits; hours = volunteer minutes / 60.
- volunteers: distinct volunteers assigned to held visits (checked in or not).
- referrals: café referrals (ReportReferral) of held visits, per service type.
- home visits belong to a centre, not a stop: counted for regions and centres,
  shown as none for stops; under a funder only for centres the grant covers whole.
- a funder narrows everything to its covered stops and to the grant's dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.urls import reverse
from django.utils import timezone

from core.access import ALL
from core.weeks import IsoWeek
from reach.models import StopDay, StopDayReferral, StopVolunteer, StopVolunteerDay
from stops.models import CentreSite, Funder, Region, Stop
from visits.choices import VisitStatus
from visits.models import REPORT_FIGURES, HomeVisit, ServiceType, Visit

HELD = VisitStatus.HELD


class Level(StrEnum):
    """What the selection is; its rows are one level down (national → regions …)."""

    NATIONAL = "national"
    REGION = "region"
    CENTRE = "centre"


@dataclass(frozen=True)
class ReachQuery:
    """
    What to count: a date range (both ends included), at most one region or centre,
    at most one funder, and the centres the reader may see. Build it with
    ``ReachQuery.build``, which applies the grant's dates and resolves the centres
    and stops counted into id lists (a few small queries, whatever the data size;
    a list, because a ``FilteredRelation`` condition cannot hold a subquery).
    ``None`` for an id list means "all of them".
    """

    start: dt.date
    end: dt.date
    region_id: int | None = None
    centre_id: int | None = None
    funder_id: int | None = None
    scoped: bool = False  # the reader sees only some centres
    centres: tuple[int, ...] | None = None  # centres counted
    stops: tuple[int, ...] | None = None  # stops counted
    funded_stops: tuple[int, ...] | None = None  # stops the funder covers
    home_centres: tuple[int, ...] | None = None  # centres whose home visits count
    grant_start: dt.date | None = None  # the funder's first day
    today: dt.date = field(default_factory=timezone.localdate)

    @classmethod
    def build(
        cls,
        *,
        start: dt.date,
        end: dt.date,
        region_id: int | None = None,
        centre_id: int | None = None,
        funder: Funder | None = None,
        centre_scope: object = ALL,
        today: dt.date | None = None,
    ) -> ReachQuery:
        """
        A query for [start, end]. ``centre_scope`` is what
        ``core.access.visible_centre_ids(user)`` gives: ALL, a queryset of centre
        ids, or None (nothing). With a funder the dates shrink to the grant's.
        """
        if funder is not None:
            start = max(start, funder.start_date)
            end = min(end, funder.end_date) if funder.end_date else end
        centres = None
        if centre_scope is not ALL or region_id is not None or centre_id is not None:
            found = CentreSite.objects.all()
            if centre_scope is None:
                found = found.none()
            elif centre_scope is not ALL:
                found = found.filter(pk__in=centre_scope)
            if region_id is not None:
                found = found.filter(region_id=region_id)
            if centre_id is not None:
                found = found.filter(pk=centre_id)
            centres = tuple(found.order_by("pk").values_list("pk", flat=True))
        funded = home = None
        if funder is not None:
            funded = tuple(funder.covered_stops().order_by("pk").values_list("pk", flat=True))
            home_qs = funder.centres.all()
            if centres is not None:
                home_qs = home_qs.filter(pk__in=centres)
            home = tuple(home_qs.order_by("pk").values_list("pk", flat=True))
        else:
            home = centres
        stops = None
        if centres is not None or funded is not None:
            found_stops = Stop.objects.all()
            if centres is not None:
                found_stops = found_stops.filter(centre__in=centres)
            if funded is not None:
                found_stops = found_stops.filter(pk__in=funded)
            stops = tuple(found_stops.order_by("pk").values_list("pk", flat=True))
        return cls(
            start=start,
            end=end,
            region_id=region_id,
            centre_id=centre_id,
            funder_id=funder.pk if funder else None,
            scoped=centre_scope is not ALL,
            centres=centres,
            stops=stops,
            funded_stops=funded,
            home_centres=home,
            grant_start=funder.start_date if funder else None,
            today=today or timezone.localdate(),
        )

    @property
    def level(self) -> Level:
        if self.centre_id is not None:
            return Level.CENTRE
        if self.region_id is not None:
            return Level.REGION
        return Level.NATIONAL

    @property
    def weeks(self) -> float:
        """Weeks counted (0 when a grant does not overlap the period): targets scale by it."""
        return max(0, (self.end - self.start).days + 1) / 7

    @property
    def is_restricted(self) -> bool:
        """True when only part of the country is counted (scope, region, centre or funder)."""
        return self.centres is not None or self.funded_stops is not None

    def with_dates(self, start: dt.date, end: dt.date) -> ReachQuery:
        """The same selection over other dates."""
        return replace(self, start=start, end=end)

    def day_q(self, prefix: str = "", *, stops: bool = True) -> Q:
        """Summary rows (``reach.models.StopDay``) in the date range and on counted stops."""
        condition = Q(**{f"{prefix}day__gte": self.start, f"{prefix}day__lte": self.end})
        if stops and self.stops is not None:
            condition &= Q(**{f"{prefix}stop__in": self.stops})
        return condition

    def visit_q(self, prefix: str = "") -> Q:
        """Visits in the date range and on counted stops, seen through ``prefix``."""
        condition = Q(**{f"{prefix}date__gte": self.start, f"{prefix}date__lte": self.end})
        if self.stops is not None:
            condition &= Q(**{f"{prefix}stop__in": self.stops})
        return condition


# Rows ------------------------------------------------------------------------


def ref_column(service_type_id: int) -> str:
    """The column of one service type's referrals in the grouped queries."""
    return f"ref_{service_type_id}"


class ReportsDue:
    """Completeness from ``held``, ``open_past`` and ``reported`` (the module doc)."""

    held: int
    open_past: int
    reported: int

    @property
    def reports_due(self) -> int:
        """Past visits that should have a report: held, or past and still planned."""
        return self.held + self.open_past

    @property
    def missing_reports(self) -> int:
        """Reports due but not in: held without a report, and past visits without status."""
        return self.reports_due - self.reported

    @property
    def completeness(self) -> float | None:
        """Share of the reports due that are in (None when none were due)."""
        return self.reported / self.reports_due if self.reports_due else None


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
        groups = CentreSite.objects.filter(region_id=q.region_id)
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


def _sum(path: str, **filters) -> Coalesce:
    return Coalesce(Sum(path, filter=Q(**filters) if filters else None), Value(0))


def _day_aggregates(alias: str, today: dt.date) -> dict:
    """The summary rows reached as ``alias`` added up (reports of held visits only)."""
    found = {name: _sum(f"{alias}__{name}") for name in ("planned", "held", "cancelled")}
    found["open_past"] = _sum(f"{alias}__open", **{f"{alias}__day__lt": today})
    found["reported"] = _sum(f"{alias}__reported")
    return found | {name: _sum(f"{alias}__{name}") for name in REPORT_FIGURES}


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


# Targets ---------------------------------------------------------------------


def apply_targets(q: ReachQuery, rows: list[ReachRow], total: ReachRow) -> None:
    """
    Fill in each row's target for the period (one query over the centres).

    A centre's weekly people target counts while the centre is active; regions and
    the nation sum their centres; a stop gets its centre's target shared equally over
    the centre's active stops (inactive stops get none). Under a funder a centre
    counts with the share of its active stops that the grant covers. When no centre
    target applies to the whole country, the national default
    (settings.NATIONAL_WEEKLY_TARGET) is used. Weekly targets are multiplied by the
    period's length in weeks (days / 7), within the grant's dates under a funder.
    """
    centres = CentreSite.objects.all()
    if q.centres is not None:
        centres = centres.filter(pk__in=q.centres)
    stop_filter = Q(stops__active=True)
    covered = Count("stops", filter=stop_filter)
    if q.funded_stops is not None:
        covered = Count("stops", filter=stop_filter & Q(stops__in=q.funded_stops))
    basis = centres.values("pk", "region_id", "weekly_people_target", "active").annotate(
        active_stops=Count("stops", filter=stop_filter), covered_stops=covered
    )
    weekly_by_centre: dict[int, float] = {}
    stop_share: dict[int, float] = {}
    region_of: dict[int, int] = {}
    for centre in basis:
        region_of[centre["pk"]] = centre["region_id"]
        if not centre["active"] or not centre["active_stops"]:
            weekly_by_centre[centre["pk"]] = 0.0
            continue
        share = centre["weekly_people_target"] / centre["active_stops"]
        stop_share[centre["pk"]] = share
        weekly_by_centre[centre["pk"]] = share * centre["covered_stops"]
    weeks = q.weeks
    level = q.level
    for row in rows:
        if level == Level.NATIONAL:
            weekly = sum(t for c, t in weekly_by_centre.items() if region_of[c] == row.id)
        elif level == Level.REGION:
            weekly = weekly_by_centre.get(row.id, 0.0)
        else:
            share = stop_share.get(q.centre_id)
            weekly = share if (share is not None and row.active) else None
        row.target = None if weekly is None else weekly * weeks
    weekly_total = sum(weekly_by_centre.values())
    if not weekly_total and not q.is_restricted:
        weekly_total = settings.NATIONAL_WEEKLY_TARGET
    total.target = weekly_total * weeks


# Completeness ----------------------------------------------------------------


@dataclass
class CompletenessRow(ReportsDue):
    """How complete one centre's reporting is in the period."""

    centre_id: int
    centre_name: str
    held: int
    reported: int
    open_past: int

    @property
    def missing(self) -> int:
        """Held visits without a report (past visits without status are ``open_past``)."""
        return self.held - self.reported


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
            held=_sum("d__held"),
            reported=_sum("d__reported"),
            open_past=_sum("d__open", d__day__lt=q.today),
        )
        .order_by("name")
    )
    rows = [
        CompletenessRow(r["pk"], r["name"], r["held"], r["reported"], r["open_past"])
        for r in records
    ]
    # Worst first: the centres a leader should ring up (sorting centres, not visits).
    rows.sort(
        key=lambda r: (r.completeness if r.completeness is not None else 2, -r.missing_reports)
    )
    return rows


@dataclass(frozen=True)
class MissingVisit:
    """A past visit that still has no report, or no status at all."""

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


def missing_reports(q: ReachQuery, *, limit: int = 100) -> list[MissingVisit]:
    """Past visits in the period that are held without a report or still planned (one query)."""
    records = (
        Visit.objects.filter(q.visit_q(), date__lt=q.today)
        .filter(Q(status=VisitStatus.PLANNED) | Q(status=HELD, report__isnull=True))
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
        MissingVisit(
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


# Totals and trends -----------------------------------------------------------


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
        cafes=_sum("held"),
        people_met=_sum("people_met"),
        new_people=_sum("new_people"),
        meals=_sum("meals"),
        first_date=Min("day"),
        last_date=Max("day"),
    )
    return Totals(**record)


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
    window = q.with_dates(q.grant_start or dt.date(1, 1, 1), max(last.sunday, q.end))
    days = (
        StopDay.objects.filter(window.day_q(), held__gt=0)
        .values("day")
        .annotate(
            cafes=_sum("held"),
            people_met=_sum("people_met"),
            new_people=_sum("new_people"),
            meals=_sum("meals"),
        )
        .order_by("day")
    )
    figures = ("cafes", "people_met", "new_people", "meals")
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


# Export ----------------------------------------------------------------------


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
            planned=_sum("planned"),
            held=_sum("held"),
            cancelled=_sum("cancelled"),
            reported=_sum("reported"),
            open_past=_sum("open", day__lt=q.today),
            **{name: _sum(name) for name in REPORT_FIGURES},
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
