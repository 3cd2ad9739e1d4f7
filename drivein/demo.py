"""
Demo data: the programme's centre towns, their stops and patterns, invented
volunteers, the past weeks of visits with reports, and one demo login per role.

Deterministic: the same seed on the same day gives the same data. Safe to run
twice: reference data is matched by natural keys, and the history is written only
into a database that has none yet. The national scale (25 centres, 300 stops,
several years) is written with bulk inserts for the benchmarks.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from drivein import demo_data as data
from drivein.access import LEADERSHIP_GROUP
from drivein.text import danish_slugify
from drivein.weeks import monday_of
from planning.geo import Point, island_of
from stops.choices import Coverage
from stops.models import CentreSite, Funder, Region, Stop, Van
from visits.choices import VisitStatus
from visits.holidays import holiday_fields
from visits.models import (
    HomeVisit,
    HomeVisitReferral,
    ReportReferral,
    ServiceType,
    Visit,
    VisitPattern,
    VisitReport,
)
from visits.services import visits_generate
from volunteers.choices import VolunteerRole
from volunteers.models import Assignment, Volunteer

DEMO_PASSWORD = "demo"
DEMO_SEED = 2026
VOLUNTEERS_PER_CENTRE = 10
BATCH = 2000

# Time slots a van can keep in one day, with room to drive between them.
SLOTS = [(dt.time(10, 0), 120), (dt.time(13, 30), 120), (dt.time(16, 30), 90)]
WORKDAYS = [1, 2, 3, 4, 5]


@dataclass
class SeedResult:
    centres: int = 0
    stops: int = 0
    patterns: int = 0
    volunteers: int = 0
    visits: int = 0
    reports: int = 0
    home_visits: int = 0
    history_skipped: bool = False
    messages: list[str] = field(default_factory=list)


def _village_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = (
            rng.choice(data.VILLAGE_PREFIXES)
            + rng.choice(data.VILLAGE_STEMS)
            + rng.choice(data.VILLAGE_SUFFIXES)
        )
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _near(rng: random.Random, lat: float, lon: float) -> tuple[float, float]:
    """
    A point 6–28 km from (lat, lon) in a random direction, on the same land as it
    (Mors' stops on Mors, none at sea); nearer when the land is small.
    """
    home = island_of(Point(lat, lon))
    farthest = 28.0
    while True:
        for _try in range(50):
            distance = rng.uniform(min(6.0, farthest / 2), farthest)
            bearing = rng.uniform(0, 2 * math.pi)
            dlat = distance * math.cos(bearing) / 111.0
            dlon = distance * math.sin(bearing) / (111.0 * math.cos(math.radians(lat)))
            point = round(lat + dlat, 5), round(lon + dlon, 5)
            if home is None or island_of(Point(*point)) == home:
                return point
        farthest /= 2


def centre_specs(scale: str, rng: random.Random) -> list[dict]:
    """The centres to seed, each with its communities."""
    specs = [
        {
            "name": name,
            "town": town,
            "municipality": municipality,
            "region": region,
            "lat": lat,
            "lon": lon,
            "address": address,
            "communities": communities,
        }
        for name, town, municipality, region, lat, lon, address, communities in data.CENTRES
    ]
    if scale == "national":
        taken = {c for spec in specs for c in spec["communities"]}
        for name, town, municipality, region, lat, lon in data.NATIONAL_CENTRES:
            specs.append(
                {
                    "name": name,
                    "town": town,
                    "municipality": municipality,
                    "region": region,
                    "lat": lat,
                    "lon": lon,
                    "address": f"Torvet 1, {town}",
                    "communities": _village_names(rng, 12, taken),
                }
            )
    return specs


class DemoBuilder:
    """Writes the demo data set; see the module docstring."""

    def __init__(self, *, scale: str = "demo", weeks: int = 12, seed: int = DEMO_SEED):
        self.scale = scale
        self.weeks = weeks
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.history_start = monday_of(self.today) - dt.timedelta(weeks=weeks)
        self.result = SeedResult()

    # Reference data ---------------------------------------------------------

    @transaction.atomic
    def build(self) -> SeedResult:
        regions = {
            code: Region.objects.update_or_create(code=code, defaults={"name": name})[0]
            for code, name in data.REGIONS
        }
        self.service_types = [
            ServiceType.objects.update_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
            )[0]
            for position, (slug, name, name_en) in enumerate(data.SERVICE_TYPES, start=1)
        ]
        self.centres: list[CentreSite] = []
        self.vans: dict[int, int] = {}  # centre id → its van's id
        self.stops_by_centre: dict[int, list[Stop]] = {}
        self.patterns: list[VisitPattern] = []
        self.volunteers_by_centre: dict[int, list[Volunteer]] = {}
        taken_slugs = set(Stop.objects.values_list("slug", flat=True))
        for spec in centre_specs(self.scale, self.rng):
            centre = self._centre(spec, regions)
            self.centres.append(centre)
            self.stops_by_centre[centre.pk] = self._stops(centre, spec, taken_slugs)
            self.volunteers_by_centre[centre.pk] = self._volunteers(centre)
        self._funders()
        self._logins()
        self.result.centres = len(self.centres)
        self.result.stops = sum(len(stops) for stops in self.stops_by_centre.values())
        self.result.patterns = len(self.patterns)
        self.result.volunteers = sum(len(v) for v in self.volunteers_by_centre.values())

        if Visit.objects.filter(date__lt=self.today).exists():
            self.result.history_skipped = True
            self.result.messages.append("History already present: no visits were added.")
        else:
            self._history()
            visits_generate(today=self.today)
            self._staff_upcoming()
        return self.result

    def _centre(self, spec: dict, regions: dict[str, Region]) -> CentreSite:
        centre, _created = CentreSite.objects.update_or_create(
            name=spec["name"],
            defaults={
                "town": spec["town"],
                "municipality": spec["municipality"],
                "region": regions[spec["region"]],
                "address": spec["address"],
                "latitude": spec["lat"],
                "longitude": spec["lon"],
                "weekly_people_target": 12 * 7,
            },
        )
        self.vans[centre.pk] = Van.objects.get_or_create(centre=centre, name="Bilen")[0].pk
        return centre

    def _stops(self, centre: CentreSite, spec: dict, taken_slugs: set[str]) -> list[Stop]:
        rng = self.rng
        existing = {stop.community: stop for stop in centre.stops.all()}
        slots = [(day, slot) for day in WORKDAYS for slot in range(len(SLOTS))]
        rng.shuffle(slots)
        # Twice-weekly stops take a spare slot on another weekday.
        spare = slots[12:]
        stops = []
        for position, community in enumerate(spec["communities"], start=1):
            lat, lon = _near(rng, spec["lat"], spec["lon"])
            kind, venue = rng.choice(data.VENUES)
            street = f"{rng.choice(data.STREETS)} {rng.randint(1, 60)}"
            coverage = rng.choices(
                [Coverage.GOOD, Coverage.WEAK, Coverage.NONE], weights=[6, 3, 1]
            )[0]
            stop = existing.get(community)
            if stop is None:
                slug = danish_slugify(community)
                if slug in taken_slugs:
                    slug = f"{slug}-{danish_slugify(spec['town'])}"
                taken_slugs.add(slug)
                stop = Stop.objects.create(
                    centre=centre,
                    community=community,
                    venue_name=venue.format(community=community),
                    venue_kind=kind,
                    address=f"{street}, {community}",
                    latitude=lat,
                    longitude=lon,
                    municipality=spec["municipality"],
                    roster_position=position,
                    slug=slug,
                    coverage=coverage,
                    coverage_notes="Ring fra p-pladsen" if coverage == Coverage.NONE else "",
                    access_notes="Nøglen hentes hos formanden." if position % 4 == 0 else "",
                )
            stops.append(stop)
            self._patterns_for(stop, position, slots[position - 1], spare)
        return stops

    def _patterns_for(
        self, stop: Stop, position: int, slot: tuple[int, int], spare: list[tuple[int, int]]
    ) -> None:
        """One weekly slot per stop; every fifth stop twice a week, every seventh fortnightly."""
        chosen = [slot]
        if position % 5 == 0:
            second = next((s for s in spare if s[0] != slot[0]), None)
            if second is not None:
                spare.remove(second)
                chosen.append(second)
        every = 2 if position % 7 == 0 else 1
        for weekday, slot_index in chosen:
            start, minutes = SLOTS[slot_index]
            pattern, _created = VisitPattern.objects.get_or_create(
                stop=stop,
                weekday=weekday,
                defaults={
                    "start_time": start,
                    "duration_minutes": minutes,
                    "every_n_weeks": every,
                    "anchor_date": self.history_start,
                    "valid_from": self.history_start,
                },
            )
            self.patterns.append(pattern)

    def _volunteers(self, centre: CentreSite) -> list[Volunteer]:
        rng = self.rng
        existing = {v.email: v for v in centre.volunteers.all()}
        volunteers = []
        for number in range(1, VOLUNTEERS_PER_CENTRE + 1):
            # Draw every random value whether or not the row exists, so that a
            # second run follows the same sequence as the first.
            name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.SURNAMES)}"
            days = "".join(str(d) for d in sorted(rng.sample(WORKDAYS, rng.randint(2, 4))))
            phone = "+45 " + " ".join(str(rng.randint(10, 99)) for _ in range(4))
            email = f"frivillig{number}.{danish_slugify(centre.name)}@example.org"
            if email in existing:
                volunteers.append(existing[email])
                continue
            volunteers.append(
                Volunteer.objects.create(
                    name=name,
                    phone=phone,
                    email=email,
                    home_centre=centre,
                    is_driver=number <= 4,
                    is_host=number > 2,
                    is_local_staff=number == 1,
                    is_adviser=number == 10,
                    available_weekdays="12345" if number <= 3 else days,
                    consent_date=self.history_start,
                )
            )
        return volunteers

    def _funders(self) -> None:
        by_name = {centre.name: centre for centre in self.centres}
        start = dt.date(self.today.year - 1, 1, 1)
        north = [c for c in self.centres if c.region.code == "1081"]
        specs = [
            ("Landsbylivets Fond (demo)", "LF-2025-017", start, None, north, []),
            (
                "Puljen til mobile væresteder (demo)",
                "SM-2024-104",
                start,
                dt.date(self.today.year + 1, 12, 31),
                self.centres,
                [],
            ),
            (
                "Vestjysk Sparekassefond (demo)",
                "VSF-88",
                start,
                None,
                [],
                self.stops_by_centre[by_name["Skjern"].pk][:6],
            ),
        ]
        for name, reference, begins, ends, centres, stops in specs:
            funder, _created = Funder.objects.get_or_create(
                name=name,
                defaults={"grant_reference": reference, "start_date": begins, "end_date": ends},
            )
            funder.centres.set(centres)
            funder.stops.set(stops)

    def _logins(self) -> None:
        """One demo login per role, password 'demo' (demo only: see the command)."""
        user_model = get_user_model()

        def login(username: str, **flags) -> object:
            user, created = user_model.objects.get_or_create(username=username, defaults=flags)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            return user

        login("admin", is_staff=True, is_superuser=True, first_name="Admin")
        leader = login("ledelse", is_staff=True, first_name="Lone", last_name="Ledelse")
        group, _created = Group.objects.get_or_create(name=LEADERSHIP_GROUP)
        # Leadership reads everything in the admin and changes nothing.
        group.permissions.set(
            Permission.objects.filter(
                codename__startswith="view_",
                content_type__app_label__in=["stops", "visits", "volunteers"],
            )
        )
        leader.groups.add(group)
        by_name = {centre.name: centre for centre in self.centres}
        coordinator = login("koordinator", first_name="Kasper", last_name="Koordinator")
        by_name["Nykøbing Mors"].coordinators.add(coordinator)
        coordinator2 = login("koordinator2", first_name="Karin", last_name="Koordinator")
        by_name["Skjern"].coordinators.add(coordinator2)
        volunteer_user = login("frivillig")
        volunteer = self.volunteers_by_centre[by_name["Nykøbing Mors"].pk][2]
        if volunteer.user_id is None:
            volunteer.user = volunteer_user
            volunteer.save(update_fields=["user"])
            # The login carries the volunteer's own name, so header and profile agree.
            first, _space, last = volunteer.name.partition(" ")
            volunteer_user.first_name, volunteer_user.last_name = first, last
            volunteer_user.save(update_fields=["first_name", "last_name"])

    # History ---------------------------------------------------------------

    def _history(self) -> None:
        """Visits, reports, assignments and home visits from history start to yesterday."""
        rng = self.rng
        end = self.today - dt.timedelta(days=1)
        popularity = {
            stop.pk: rng.uniform(5, 18) for stops in self.stops_by_centre.values() for stop in stops
        }
        visits: list[Visit] = []
        for pattern in self.patterns:
            for day in pattern.dates_between(self.history_start, end):
                visits.append(self._past_visit(pattern, day))
        visits.sort(key=lambda v: (v.date, v.start_time, v.stop_id))
        Visit.objects.bulk_create(visits, batch_size=BATCH)
        self.result.visits = len(visits)

        stop_centre = {
            stop.pk: centre_id
            for centre_id, stops in self.stops_by_centre.items()
            for stop in stops
        }
        reports, assignments = [], []
        for visit in visits:
            team = self._team(stop_centre[visit.stop_id], visit.date.isoweekday())
            if visit.status != VisitStatus.CANCELLED:
                assignments.extend(
                    Assignment(
                        visit=visit,
                        volunteer=volunteer,
                        role=role,
                        confirmed=True,
                        checked_in_at=self._at(visit.date, visit.start_time)
                        if visit.status == VisitStatus.HELD
                        else None,
                    )
                    for volunteer, role in team
                )
            if visit.status == VisitStatus.HELD and self._reported(visit.date):
                reports.append(self._report(visit, popularity[visit.stop_id], len(team)))
        VisitReport.objects.bulk_create(reports, batch_size=BATCH)
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        referrals = [
            ReportReferral(report=report, service_type=service, count=count)
            for report in reports
            for service, count in self._referrals(0.45)
        ]
        ReportReferral.objects.bulk_create(referrals, batch_size=BATCH)
        self.result.reports = len(reports)
        self._home_visits(end)

    def _past_visit(self, pattern: VisitPattern, day: dt.date) -> Visit:
        rng = self.rng
        holiday = holiday_fields(day)
        roll = rng.random()
        if (holiday["is_holiday"] and roll < 0.7) or roll < 0.04:
            status, reason = VisitStatus.CANCELLED, rng.choice(data.CANCEL_REASONS)
            if holiday["is_holiday"]:
                reason = f"Helligdag: {holiday['holiday_name']}"
        elif (self.today - day).days <= 14 and roll < 0.09:
            status, reason = VisitStatus.PLANNED, ""  # not yet marked held or cancelled
        else:
            status, reason = VisitStatus.HELD, ""
        return Visit(
            stop_id=pattern.stop_id,
            pattern=pattern,
            pattern_date=day,
            date=day,
            start_time=pattern.start_time,
            end_time=pattern.end_time,
            status=status,
            cancel_reason=reason,
            van_id=self.vans[pattern.stop.centre_id],
            **holiday,
        )

    def _reported(self, day: dt.date) -> bool:
        """Nearly every held café has a report; the last two weeks have a few gaps."""
        missing = 0.06 if (self.today - day).days <= 14 else 0.01
        return self.rng.random() >= missing

    def _team(self, centre_id: int, weekday: int) -> list[tuple[Volunteer, str]]:
        rng = self.rng
        volunteers = self.volunteers_by_centre[centre_id]
        free = [v for v in volunteers if str(weekday) in v.available_weekdays] or volunteers
        drivers = [v for v in free if v.is_driver] or [v for v in volunteers if v.is_driver]
        driver = rng.choice(drivers)
        hosts = [v for v in free if v.is_host and v != driver]
        chosen = rng.sample(hosts, min(len(hosts), rng.choice([1, 1, 2])))
        return [(driver, VolunteerRole.DRIVER)] + [(v, VolunteerRole.HOST) for v in chosen]

    def _report(self, visit: Visit, mean: float, team_size: int) -> VisitReport:
        rng = self.rng
        people = max(1, round(rng.gauss(mean, mean * 0.3)))
        new = sum(1 for _ in range(people) if rng.random() < 0.08)
        minutes = team_size * (visit.duration_minutes + 60)
        return VisitReport(
            visit=visit,
            people_met=people,
            new_people=new,
            meals=max(0, people - rng.randint(0, 2)),
            food_bags=round(people * rng.uniform(0.3, 0.8)),
            clothing_items=rng.randint(0, people),
            other_items=rng.randint(0, people // 2),
            volunteer_minutes=minutes,
            note=rng.choice(data.REPORT_NOTES),
            submitted_at=self._at(visit.date, visit.end_time),
        )

    def _referrals(self, chance: float) -> list[tuple[ServiceType, int]]:
        rng = self.rng
        made: dict[ServiceType, int] = defaultdict(int)
        while rng.random() < chance and len(made) < 3:
            made[rng.choice(self.service_types)] += 1
            chance *= 0.5
        return list(made.items())

    def _home_visits(self, end: dt.date) -> None:
        """About one home visit per centre a week."""
        rng = self.rng
        home_visits = []
        for centre in self.centres:
            volunteers = self.volunteers_by_centre[centre.pk]
            day = self.history_start
            while day <= end:
                if day.isoweekday() <= 5 and rng.random() < 0.2:
                    home_visits.append(
                        HomeVisit(
                            centre=centre,
                            date=day,
                            duration_minutes=rng.choice([45, 60, 90]),
                            volunteer=rng.choice(volunteers),
                            submitted_at=self._at(day, dt.time(15, 0)),
                        )
                    )
                day += dt.timedelta(days=1)
        HomeVisit.objects.bulk_create(home_visits, batch_size=BATCH)
        HomeVisitReferral.objects.bulk_create(
            [
                HomeVisitReferral(home_visit=home_visit, service_type=service, count=count)
                for home_visit in home_visits
                for service, count in self._referrals(0.6)
            ],
            batch_size=BATCH,
        )
        self.result.home_visits = len(home_visits)

    def _staff_upcoming(self) -> None:
        """Volunteers on most of the coming visits; a few gaps for the coordinators to fill."""
        stop_centre = {
            stop.pk: centre_id
            for centre_id, stops in self.stops_by_centre.items()
            for stop in stops
        }
        upcoming = Visit.objects.filter(date__gte=self.today).order_by("date", "start_time", "pk")
        assignments = []
        for visit in upcoming:
            if self.rng.random() < 0.1:
                continue
            team = self._team(stop_centre[visit.stop_id], visit.date.isoweekday())
            assignments.extend(
                Assignment(visit=visit, volunteer=volunteer, role=role, confirmed=True)
                for volunteer, role in team
            )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, time))
