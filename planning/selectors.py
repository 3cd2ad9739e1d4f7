"""
Reads for the planning pages, each in a constant number of queries however many
stops, visits and volunteers a centre has.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.weeks import IsoWeek
from planning.conflicts import PlanningWarning, Slot, all_warnings
from planning.geo import Drives, Point, point_of
from planning.legs import LegBook
from planning.people_warnings import add_people_warnings, away_category, with_absence_and_licence
from planning.roads import decode_polyline
from planning.routes import Route, Suggestion, route_through, suggest_order
from stops.models import CentreSite, Stop, Van
from visits.choices import VisitStatus
from visits.holidays import holiday_name, special_day_name
from visits.models import Visit, VisitPattern, VisitQuerySet, VisitReport
from volunteers.choices import AbsenceCategory, AssignmentAnswer, VolunteerRole
from volunteers.models import Assignment, Volunteer

ROLE_ORDER = {role: i for i, role in enumerate(VolunteerRole.values)}


def _assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=with_absence_and_licence(
            Assignment.objects.select_related("volunteer").order_by("role", "volunteer__name")
        ),
    )


def planning_visits(centre: CentreSite) -> VisitQuerySet:
    """The centre's visits with their stop, people and whether a report exists."""
    return (
        Visit.objects.filter(stop__centre=centre)
        .select_related("stop", "van")
        .prefetch_related(_assignments())
        .annotate(has_report=Exists(VisitReport.objects.filter(visit=OuterRef("pk"))))
        .order_by("date", "start_time", "stop__roster_position")
    )


def slot_of(visit: Visit) -> Slot:
    """The plain data the conflict rules need (assignments must be prefetched)."""
    return Slot(
        visit_id=visit.pk,
        centre_id=visit.stop.centre_id,
        label=visit.stop.community,
        date=visit.date,
        start=visit.start_time,
        end=visit.end_time,
        point=point_of(visit.stop),
        cancelled=visit.status == VisitStatus.CANCELLED,
        planned=visit.status == VisitStatus.PLANNED,
        # A declined person is not coming: neither one of the visit's people nor busy there.
        volunteers=tuple(
            (a.volunteer_id, a.volunteer.name)
            for a in visit.assignments.all()
            if a.answer != AssignmentAnswer.DECLINED
        ),
        holiday_name=visit.holiday_name if visit.is_holiday else "",
        special_day=special_day_name(visit.date),
        van_id=visit.van_id,
    )


@dataclass
class Card:
    """A visit as the week grid shows it."""

    visit: Visit
    warnings: list[PlanningWarning]

    @property
    def assignments(self) -> list[Assignment]:
        return sorted(self.visit.assignments.all(), key=lambda a: ROLE_ORDER.get(a.role, 99))

    @property
    def report_state(self) -> str:
        """'reported', 'missing' (the café was on and nobody reported) or ''."""
        # has_report: annotated by planning_visits(), which the type of Visit cannot say.
        if self.visit.has_report:  # type: ignore[attr-defined]
            return "reported"
        if self.visit.status != VisitStatus.CANCELLED and self.visit.date < timezone.localdate():
            return "missing"
        return ""

    @property
    def severity(self) -> str:
        if any(w.severity == "bad" for w in self.warnings):
            return "bad"
        return "warn" if self.warnings else ""


@dataclass
class Day:
    date: dt.date
    cards: list[Card] = field(default_factory=list)
    holiday: str = ""

    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


@dataclass
class WeekPlan:
    centre: CentreSite
    week: IsoWeek
    days: list[Day]

    @property
    def cards(self) -> list[Card]:
        return [card for day in self.days for card in day.cards]

    @property
    def warning_count(self) -> int:
        return sum(1 for card in self.cards if card.warnings)

    @property
    def has_weekend(self) -> bool:
        return any(day.cards for day in self.days[5:])


def week_plan(centre: CentreSite, week: IsoWeek, road: Drives | None = None) -> WeekPlan:
    """
    The centre's week, day by day, with every visit's warnings (two queries; a third
    reads the kept road legs when there is a road network).
    """
    visits = list(planning_visits(centre).in_week(week.monday))
    slots = [slot_of(v) for v in visits]
    warnings = all_warnings(slots, road or LegBook(s.point for s in slots))
    add_people_warnings(warnings, visits)  # away but assigned, a driver without a licence
    days = {day: Day(day, holiday=holiday_name(day)) for day in week.days()}
    for visit in visits:
        days[visit.date].cards.append(Card(visit, warnings.get(visit.pk, [])))
    return WeekPlan(centre=centre, week=week, days=list(days.values()))


def card_for(visit_id: int, plan: WeekPlan) -> Card | None:
    return next((card for card in plan.cards if card.visit.pk == visit_id), None)


def visit_card(centre: CentreSite, visit: Visit) -> tuple[Card | None, WeekPlan]:
    """The visit's card (warnings included) within the week it now lies in."""
    plan = week_plan(centre, IsoWeek.of(visit.date))
    return card_for(visit.pk, plan), plan


# The volunteer picker -------------------------------------------------------


@dataclass
class Candidate:
    volunteer: Volunteer
    available: bool
    busy_at: list[str]
    on_visit: bool
    away_as: str = ""  # the absence's category when away that day: ranked last

    @property
    def away_label(self) -> str:
        return str(AbsenceCategory(self.away_as).label) if self.away_as else ""

    @property
    def group(self) -> str:
        if self.on_visit:
            return "on_visit"
        if self.away_as:
            return "away"
        if self.busy_at:
            return "busy"
        return "available" if self.available else "unavailable"


def picker(centre: CentreSite, visit: Visit) -> dict[str, list[Candidate]]:
    """
    The centre's active volunteers for one visit, grouped: available that weekday,
    not usually available, already busy at that time (with where), away that day
    (with why; shown last), already on it. Two queries.
    """
    volunteers = list(
        Volunteer.objects.filter(home_centre=centre, active=True)
        .annotate(away_as=away_category(visit.date))
        .order_by("name")
    )
    same_time = (
        Assignment.objects.filter(
            volunteer__in=[v.pk for v in volunteers],
            visit__date=visit.date,
            visit__start_time__lt=visit.end_time,
            visit__end_time__gt=visit.start_time,
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .values_list(
            "volunteer_id", "visit_id", "visit__stop__community", "visit__start_time", "answer"
        )
    )
    busy: dict[int, list[str]] = defaultdict(list)
    on_visit: set[int] = set()
    for volunteer_id, visit_id, community, start, answer in same_time:
        if visit_id == visit.pk:
            on_visit.add(volunteer_id)  # declined too: they are still on it, to be removed
        elif answer != AssignmentAnswer.DECLINED:  # declined elsewhere: not going there
            busy[volunteer_id].append(f"{community} {start:%H:%M}")
    weekday = str(visit.date.isoweekday())
    groups: dict[str, list[Candidate]] = {
        "available": [],
        "unavailable": [],
        "busy": [],
        "away": [],
        "on_visit": [],
    }
    for volunteer in volunteers:
        candidate = Candidate(
            volunteer=volunteer,
            available=weekday in volunteer.available_weekdays,
            busy_at=busy.get(volunteer.pk, []),
            on_visit=volunteer.pk in on_visit,
            away_as=volunteer.away_as or "",
        )
        groups[candidate.group].append(candidate)
    return groups


# The roster ------------------------------------------------------------------


def roster(centre: CentreSite) -> list[Stop]:
    """The centre's stops in roster order, with patterns and the next visit (two queries)."""
    today = timezone.localdate()
    return list(
        Stop.objects.filter(centre=centre)
        .annotate(
            next_visit=Min(
                "visits__date",
                filter=Q(visits__date__gte=today) & ~Q(visits__status=VisitStatus.CANCELLED),
            )
        )
        .prefetch_related(
            Prefetch("patterns", queryset=VisitPattern.objects.order_by("weekday", "start_time"))
        )
        .order_by("roster_position")
    )


# Routes -----------------------------------------------------------------------


def day_visits(centre: CentreSite, day: dt.date, van: Van | None = None) -> list[Visit]:
    """The day's visits that the van drives to (all of the centre's: no van), in time order."""
    visits = Visit.objects.filter(stop__centre=centre, date=day)
    if van is not None:
        visits = visits.filter(van=van)
    return list(
        visits.exclude(status=VisitStatus.CANCELLED)
        .select_related("stop")
        .order_by("start_time", "end_time", "stop__roster_position")
    )


# Public pages and feeds --------------------------------------------------------

FEED_WEEKS_BACK = 4
FEED_WEEKS_AHEAD = 26


def feed_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today - dt.timedelta(weeks=FEED_WEEKS_BACK), today + dt.timedelta(weeks=FEED_WEEKS_AHEAD)


def centre_feed_visits(centre: CentreSite) -> QuerySet[Visit]:
    start, end = feed_window()
    return (
        Visit.objects.filter(stop__centre=centre)
        .between(start, end)
        .select_related("stop")
        .order_by("date", "start_time")
    )


def volunteer_feed_assignments(volunteer: Volunteer) -> QuerySet[Assignment]:
    start, end = feed_window()
    return (
        Assignment.objects.filter(volunteer=volunteer, visit__date__gte=start, visit__date__lte=end)
        .select_related("visit__stop")
        .order_by("visit__date", "visit__start_time")
    )


NEXT_DATES = 4


def next_visits(stop: Stop, count: int = NEXT_DATES) -> list[Visit]:
    """
    The stop's next ``count`` cafés that go ahead, with the cancelled ones among
    them shown in their place (one query).
    """
    now = timezone.localtime()
    upcoming = (
        Visit.objects.filter(stop=stop, date__gte=now.date())
        .exclude(date=now.date(), end_time__lte=now.time())
        .order_by("date", "start_time")[: count * 4]
    )
    shown, going_ahead = [], 0
    for visit in upcoming:
        if going_ahead == count:
            break
        shown.append(visit)
        going_ahead += visit.status != VisitStatus.CANCELLED
    return shown


@dataclass
class RouteStop:
    visit: Visit
    new_start: dt.time | None = None
    new_end: dt.time | None = None


@dataclass
class RoutePlan:
    """A day's drive: as planned now, and the shortest order through the same stops."""

    day: dt.date
    stops: list[Visit]
    unplaced: list[Visit]  # stops without coordinates: not in the drive
    van: Van | None = None
    current: Route | None = None
    tight: dict[int, tuple[float, float]] = field(default_factory=dict)  # visit id → drive, gap
    suggestion: Suggestion | None = None
    suggested: Route | None = None
    suggested_stops: list[RouteStop] = field(default_factory=list)
    home_missing: bool = False
    home: Point | None = None
    roads_problem: str = ""  # why the road network does not answer, when it does not

    @property
    def rows(self) -> list[tuple[Visit, object, tuple[float, float] | None]]:
        """Each stop with the leg that drives to it and (drive, gap) when it does not fit."""
        if self.current is None:
            return []
        return [
            (visit, leg, self.tight.get(visit.pk))
            for visit, leg in zip(self.stops, self.current.legs, strict=False)
        ]

    @property
    def return_leg(self):
        return self.current.legs[-1] if self.current else None

    @property
    def apply_value(self) -> str:
        """The suggested order for the apply form: visit id:version, …"""
        return ",".join(f"{s.visit.pk}:{s.visit.version}" for s in self.suggested_stops)

    @property
    def no_road(self) -> list[str]:
        """The stops the road network does not reach (their legs are estimates)."""
        legs = self.current.legs if self.current else []
        return sorted({leg.destination for leg in legs[:-1] if leg.no_road})

    def map_data(self, centre: CentreSite) -> dict:
        """The centre, the stops and the van's path, for the route map (static/js/map.js)."""
        legs = self.current.legs if self.current else []
        data = map_data(centre, [v.stop for v in self.stops])
        for place, visit in zip(data["stops"], self.stops, strict=True):
            place["label"] = f"{visit.start_time:%H:%M} {place['label']}"
        data["path"] = [_path_of(leg) for leg in legs if leg.path]
        return data


def map_data(centre: CentreSite | None, stops: Iterable[Stop], *, links: bool = True) -> dict:
    """The centre and the stops that have coordinates, for a map; markers lead to the stop."""
    home = point_of(centre) if centre is not None else None
    return {
        "home": {"lat": home.lat, "lon": home.lon, "label": centre.name}
        if centre is not None and home
        else None,
        "stops": [
            {
                "lat": point.lat,
                "lon": point.lon,
                "label": stop.community,
                "url": reverse("planning:stop_edit", args=[stop.centre_id, stop.pk])
                if links
                else "",
            }
            for stop in stops
            if (point := point_of(stop)) is not None
        ],
        "path": [],
    }


def _path_of(leg) -> list[list[float]]:
    """The leg's road shape when the engine gave one, else the straight line."""
    if leg.shape:
        return [[round(lat, 5), round(lon, 5)] for lat, lon in decode_polyline(leg.shape)]
    a, b = leg.path
    return [[a.lat, a.lon], [b.lat, b.lon]]


def route_plan(
    centre: CentreSite, day: dt.date, road: Drives | None = None, van: Van | None = None
) -> RoutePlan:
    """
    The day's route of one van (of the centre's only van: ``van`` None) from the centre
    and back, with a suggested better order: one query, and one for the kept legs when
    there is a road network.
    """
    visits = day_visits(centre, day, van)
    points = {v.pk: p for v in visits if (p := point_of(v.stop)) is not None}
    placed = [v for v in visits if v.pk in points]
    plan = RoutePlan(
        day=day, stops=placed, unplaced=[v for v in visits if v not in placed], van=van
    )
    home = point_of(centre)
    if home is None:
        plan.home_missing = True
        return plan
    plan.home = home
    if road is None:
        road = LegBook([home, *points.values()])
        plan.roads_problem = road.problem
    named = [(v.stop.community, points[v.pk]) for v in placed]
    plan.current = route_through((centre.name, home), named, road)
    for a, b in itertools.pairwise(placed):
        drive = road.drive(points[a.pk], points[b.pk]).minutes
        gap = (
            dt.datetime.combine(day, b.start_time) - dt.datetime.combine(day, a.end_time)
        ).total_seconds() / 60
        if drive > gap:
            plan.tight[b.pk] = (drive, gap)
    if len(placed) < 2:
        return plan
    plan.suggestion = suggest_order(home, [p for _n, p in named], road)
    ordered = [placed[i] for i in plan.suggestion.order]
    plan.suggested = route_through(
        (centre.name, home), [named[i] for i in plan.suggestion.order], road
    )
    slots = sorted((v.start_time, v.end_time) for v in placed)
    plan.suggested_stops = [
        RouteStop(visit=v, new_start=start, new_end=end)
        for v, (start, end) in zip(ordered, slots, strict=True)
    ]
    return plan
