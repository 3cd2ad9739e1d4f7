"""
Demo data: the programme's centre towns, their stops and patterns, invented
volunteers, the past weeks of visits with reports, and one demo login per role.

Deterministic: the same seed on the same day gives the same data. Safe to run
twice: reference data is matched by natural keys, and the history is written only
into a database that has none yet. The national scale (25 centres, 300 stops,
several years) is written with bulk inserts for the benchmarks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.access import LEADERSHIP_GROUP
from core.text import danish_slugify
from core.weeks import monday_of
from drivein import bulk
from drivein import demo_data as data
from planning.geo import Point, island_of
from reach import summaries
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
# Visits written per round (with their reports, assignments and referrals).
CHUNK = 50_000
DRIVER, HOST = VolunteerRole.DRIVER.value, VolunteerRole.HOST.value
VISIT_COLUMNS = (
    "id", "stop_id", "pattern_id", "pattern_date", "date", "start_time", "end_time", "status",
    "cancel_reason", "is_holiday", "holiday_name", "van_id",
)  # fmt: skip
REPORT_COLUMNS = (
    "id", "visit_id", "people_met", "new_people", "meals", "food_bags", "clothing_items",
    "other_items", "volunteer_minutes", "note", "submission_id", "submitted_at",
)  # fmt: skip
ASSIGNMENT_COLUMNS = ("visit_id", "volunteer_id", "role", "confirmed", "checked_in_at")

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


class PlaceNames:
    """
    Plausible made-up village and town names (prefix, stem, suffix: "Nørre Salrup"),
    each given once, in a seeded random order. There are about 5,500; asking for
    more than are left is an error, never a repeat.
    """

    def __init__(self, rng: random.Random, taken: set[str]):
        prefixes = dict.fromkeys(data.VILLAGE_PREFIXES)  # "" once, in order
        names = [
            prefix + stem + suffix
            for prefix in prefixes
            for stem in data.VILLAGE_STEMS
            for suffix in data.VILLAGE_SUFFIXES
        ]
        rng.shuffle(names)
        self.left = [name for name in names if name not in taken]
        self.taken = taken

    def take(self, count: int) -> list[str]:
        if count > len(self.left):
            raise ValueError(f"Only {len(self.left)} more place names; {count} asked for.")
        names, self.left = self.left[:count], self.left[count:]
        self.taken.update(names)
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


def centre_specs(scale: str, rng: random.Random, times: int = 1) -> list[dict]:
    """
    The centres to seed, each with its communities. ``times`` (national only) adds
    that many copies of the national set less one: each copy's centre has a made-up
    town name, near the centre it copies and in its region, with its own villages.
    """
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
    if scale != "national":
        return specs
    names = PlaceNames(
        rng, {c for spec in specs for c in spec["communities"]} | {spec["town"] for spec in specs}
    )
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
                "communities": names.take(12),
            }
        )
    national = list(specs)
    for _copy in range(times - 1):
        for base in national:
            town = names.take(1)[0]
            lat, lon = _near(rng, base["lat"], base["lon"])
            specs.append(
                {
                    **base,
                    "name": town,
                    "town": town,
                    "lat": lat,
                    "lon": lon,
                    "address": f"Torvet 1, {town}",
                    "communities": names.take(len(base["communities"])),
                }
            )
    return specs


HISTORY_MODELS = (Visit, VisitReport, ReportReferral, Assignment, HomeVisit, HomeVisitReferral)


@contextlib.contextmanager
def _no_gc():
    """
    No cyclic garbage collection while the history is made: its millions of small
    tuples hold no cycles, and collecting the growing heap over and over cost more
    than making them.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class DemoBuilder:
    """Writes the demo data set; see the module docstring."""

    def __init__(
        self, *, scale: str = "demo", weeks: int = 12, seed: int = DEMO_SEED, times: int = 1
    ):
        self.scale = scale
        self.times = times
        self.weeks = weeks
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.history_start = monday_of(self.today) - dt.timedelta(weeks=weeks)
        self.result = SeedResult()
        self.zone = timezone.get_current_timezone()
        self._crews: dict[tuple[int, int], tuple[list, list]] = {}

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
        self.service_type_ids = [service.pk for service in self.service_types]
        self.centres: list[CentreSite] = []
        self.vans: dict[int, int] = {}  # centre id → its van's id
        self.stops_by_centre: dict[int, list[Stop]] = {}
        self.patterns: list[VisitPattern] = []
        self.volunteers_by_centre: dict[int, list[Volunteer]] = {}
        taken_slugs = set(Stop.objects.values_list("slug", flat=True))
        for spec in centre_specs(self.scale, self.rng, self.times):
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
            # Straight into the tables: foreign keys, indexes and the reach summaries
            # are made once over all rows at the end, not row by row.
            with (
                summaries.paused(),
                bulk.loading(
                    Visit, VisitReport, ReportReferral, Assignment, HomeVisit, HomeVisitReferral
                ),
            ):
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
        stops, new_stops, schedules = [], [], []
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
                stop = Stop(
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
                new_stops.append(stop)
            stops.append(stop)
            schedules.append((stop, self._schedule(position, slots[position - 1], spare)))
        # In one statement each (with their history rows): ten times the national
        # set has 3,000 stops and 3,500 patterns.
        bulk_create_with_history(new_stops, Stop, batch_size=BATCH)
        new_patterns = []
        for stop, schedule in schedules:
            for weekday, fields in schedule:
                if stop in new_stops:
                    pattern = VisitPattern(stop=stop, weekday=weekday, **fields)
                    new_patterns.append(pattern)
                else:
                    pattern = VisitPattern.objects.get_or_create(
                        stop=stop, weekday=weekday, defaults=fields
                    )[0]
                self.patterns.append(pattern)
        bulk_create_with_history(new_patterns, VisitPattern, batch_size=BATCH)
        return stops

    def _schedule(
        self, position: int, slot: tuple[int, int], spare: list[tuple[int, int]]
    ) -> list[tuple[int, dict]]:
        """One weekly slot per stop; every fifth stop twice a week, every seventh fortnightly."""
        chosen = [slot]
        if position % 5 == 0:
            second = next((s for s in spare if s[0] != slot[0]), None)
            if second is not None:
                spare.remove(second)
                chosen.append(second)
        every = 2 if position % 7 == 0 else 1
        schedule = []
        for weekday, slot_index in chosen:
            start, minutes = SLOTS[slot_index]
            fields = {
                "start_time": start,
                "duration_minutes": minutes,
                "every_n_weeks": every,
                "anchor_date": self.history_start,
                "valid_from": self.history_start,
            }
            schedule.append((weekday, fields))
        return schedule

    def _volunteers(self, centre: CentreSite) -> list[Volunteer]:
        rng = self.rng
        existing = {v.email: v for v in centre.volunteers.all()}
        volunteers, new = [], []
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
            new.append(
                Volunteer(
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
            volunteers.append(new[-1])
        bulk_create_with_history(new, Volunteer, batch_size=BATCH)
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
        """
        Visits, reports, assignments and home visits from history start to yesterday,
        written in chunks straight into the tables (drivein.bulk: COPY on PostgreSQL),
        so that memory stays flat and ten times the national set loads in minutes.
        """
        rng = self.rng
        end = self.today - dt.timedelta(days=1)
        popularity = {
            stop.pk: rng.uniform(5, 18) for stops in self.stops_by_centre.values() for stop in stops
        }
        stop_centre = {
            stop.pk: centre_id
            for centre_id, stops in self.stops_by_centre.items()
            for stop in stops
        }
        planned = sorted(
            ((day, pattern.start_time, pattern.stop_id, index)
             for index, pattern in enumerate(self.patterns)
             for day in pattern.dates_between(self.history_start, end)),
        )  # fmt: skip
        visits = bulk.BulkTable(Visit, VISIT_COLUMNS)
        reports = bulk.BulkTable(VisitReport, REPORT_COLUMNS)
        assignments = bulk.BulkTable(Assignment, ASSIGNMENT_COLUMNS)
        referrals = bulk.BulkTable(ReportReferral, ("report_id", "service_type_id", "count"))
        visit_id, report_id = visits.next_id(), reports.next_id()
        holidays: dict[dt.date, dict] = {}
        # Plain values, read a million times (a model's property or __eq__ is slow).
        slots = [(p.pk, p.start_time, p.end_time, p.duration_minutes) for p in self.patterns]
        held, cancelled = VisitStatus.HELD.value, VisitStatus.CANCELLED.value
        for first in range(0, len(planned), CHUNK):
            visit_rows, report_rows, assignment_rows, referral_rows = [], [], [], []
            for day, _start, stop_id, index in planned[first : first + CHUNK]:
                pattern_id, start, finish, minutes = slots[index]
                holiday = holidays.get(day) or holidays.setdefault(day, holiday_fields(day))
                status, reason = self._past_status(day, holiday)
                visit_rows.append(
                    (visit_id, stop_id, pattern_id, day, day, start, finish, status, reason,
                     holiday["is_holiday"], holiday["holiday_name"],
                     self.vans[stop_centre[stop_id]])
                )  # fmt: skip
                team = self._team(stop_centre[stop_id], day.isoweekday())
                if status != cancelled:
                    checked_in = self._at(day, start) if status == held else None
                    assignment_rows.extend(
                        (visit_id, volunteer_id, role, True, checked_in)
                        for volunteer_id, role in team
                    )
                if status == held and self._reported(day):
                    report_rows.append(
                        self._report_row(report_id, visit_id, day, finish, minutes,
                                         popularity[stop_id], len(team))
                    )  # fmt: skip
                    referral_rows.extend(
                        (report_id, service_id, count)
                        for service_id, count in self._referrals(0.45)
                    )
                    report_id += 1
                visit_id += 1
            visits.write(visit_rows)
            reports.write(report_rows)
            assignments.write(assignment_rows)
            referrals.write(referral_rows)
        bulk.reset_sequences(Visit, VisitReport)
        self.result.visits = visits.written
        self.result.reports = reports.written
        self._home_visits(end)

    def _past_status(self, day: dt.date, holiday: dict) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        if (holiday["is_holiday"] and roll < 0.7) or roll < 0.04:
            reason = rng.choice(data.CANCEL_REASONS)
            if holiday["is_holiday"]:
                reason = f"Helligdag: {holiday['holiday_name']}"
            return VisitStatus.CANCELLED.value, reason
        if (self.today - day).days <= 14 and roll < 0.09:
            return VisitStatus.PLANNED.value, ""  # not yet marked held or cancelled
        return VisitStatus.HELD.value, ""

    def _reported(self, day: dt.date) -> bool:
        """Nearly every held café has a report; the last two weeks have a few gaps."""
        missing = 0.06 if (self.today - day).days <= 14 else 0.01
        return self.rng.random() >= missing

    def _team(self, centre_id: int, weekday: int) -> list[tuple[int, str]]:
        """A driver and one or two hosts free that weekday: (volunteer id, role)."""
        rng = self.rng
        crew = self._crews.get((centre_id, weekday))
        if crew is None:
            volunteers = self.volunteers_by_centre[centre_id]
            free = [v for v in volunteers if str(weekday) in v.available_weekdays] or volunteers
            drivers = [v for v in free if v.is_driver] or [v for v in volunteers if v.is_driver]
            crew = self._crews[centre_id, weekday] = (
                [v.pk for v in drivers],
                [v.pk for v in free if v.is_host],
            )
        drivers, free_hosts = crew
        driver = rng.choice(drivers)
        hosts = [v for v in free_hosts if v != driver]
        chosen = rng.sample(hosts, min(len(hosts), rng.choice([1, 1, 2])))
        return [(driver, DRIVER)] + [(v, HOST) for v in chosen]

    def _report_row(
        self,
        report_id: int,
        visit_id: int,
        day: dt.date,
        finish: dt.time,
        minutes: int,
        mean: float,
        team_size: int,
    ) -> tuple:
        """A report's columns in REPORT_COLUMNS order."""
        rng = self.rng
        people = max(1, round(rng.gauss(mean, mean * 0.3)))
        new = rng.binomialvariate(people, 0.08)
        minutes = team_size * (minutes + 60)
        return (
            report_id,
            visit_id,
            people,
            new,
            max(0, people - rng.randint(0, 2)),
            round(people * rng.uniform(0.3, 0.8)),
            rng.randint(0, people),
            rng.randint(0, people // 2),
            minutes,
            rng.choice(data.REPORT_NOTES),
            uuid.UUID(int=rng.getrandbits(128), version=4),
            self._at(day, finish),
        )

    def _referrals(self, chance: float) -> list[tuple[int, int]]:
        """(service type id, count): none most often, at most three kinds."""
        rng = self.rng
        made: dict[int, int] = {}
        while rng.random() < chance and len(made) < 3:
            service_id = rng.choice(self.service_type_ids)
            made[service_id] = made.get(service_id, 0) + 1
            chance *= 0.5
        return list(made.items())

    def _home_visits(self, end: dt.date) -> None:
        """About one home visit per centre a week."""
        rng = self.rng
        home_visits = bulk.BulkTable(
            HomeVisit,
            ("id", "centre_id", "date", "duration_minutes", "volunteer_id", "submission_id",
             "submitted_at"),
        )  # fmt: skip
        referrals = bulk.BulkTable(HomeVisitReferral, ("home_visit_id", "service_type_id", "count"))
        home_id = home_visits.next_id()
        home_rows, referral_rows = [], []
        for centre in self.centres:
            volunteers = self.volunteers_by_centre[centre.pk]
            day = self.history_start
            while day <= end:
                if day.isoweekday() <= 5 and rng.random() < 0.2:
                    home_rows.append(
                        (home_id, centre.pk, day, rng.choice([45, 60, 90]),
                         rng.choice(volunteers).pk, uuid.UUID(int=rng.getrandbits(128), version=4),
                         self._at(day, dt.time(15, 0)))
                    )  # fmt: skip
                    referral_rows.extend(
                        (home_id, service_id, count) for service_id, count in self._referrals(0.6)
                    )
                    home_id += 1
                day += dt.timedelta(days=1)
        home_visits.write(home_rows)
        referrals.write(referral_rows)
        bulk.reset_sequences(HomeVisit)
        self.result.home_visits = home_visits.written

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
                Assignment(visit=visit, volunteer_id=volunteer_id, role=role, confirmed=True)
                for volunteer_id, role in team
            )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        """Danish time (the zone attached directly: make_aware per row took seconds)."""
        return dt.datetime.combine(day, time, tzinfo=self.zone)
