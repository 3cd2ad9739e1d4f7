"""
The demo's past and coming weeks: visits from the patterns with their status,
teams, reports and referrals, home visits, and volunteers on most coming visits.
The past is written in chunks straight into the tables (demo.bulk: COPY on
PostgreSQL), so that memory stays flat and ten times the national set loads in
minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from demo import bulk, data
from demo.reference import BATCH, Reference
from visits.choices import VisitStatus
from visits.holidays import holiday_fields
from visits.models import HomeVisit, HomeVisitReferral, ReportReferral, Visit, VisitReport
from volunteers.choices import VolunteerRole
from volunteers.models import Assignment

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
# The tables the history fills: loaded with their indexes and summaries made once.
HISTORY_MODELS = (Visit, VisitReport, ReportReferral, Assignment, HomeVisit, HomeVisitReferral)


@dataclass
class Written:
    visits: int
    reports: int
    home_visits: int
    copy_seconds: float = 0.0  # of the time, spent writing the rows


class Crews:
    """Who works a café: a driver and one or two hosts free that weekday."""

    def __init__(self, rng: random.Random, ref: Reference):
        self.rng = rng
        self.ref = ref
        self._free: dict[tuple[int, int], tuple[list[int], list[int]]] = {}

    def team(self, centre_id: int, weekday: int) -> list[tuple[int, str]]:
        """(volunteer id, role) for one visit."""
        rng = self.rng
        crew = self._free.get((centre_id, weekday))
        if crew is None:
            volunteers = self.ref.volunteers_by_centre[centre_id]
            free = [v for v in volunteers if str(weekday) in v.available_weekdays] or volunteers
            drivers = [v for v in free if v.is_driver] or [v for v in volunteers if v.is_driver]
            crew = self._free[centre_id, weekday] = (
                [v.pk for v in drivers],
                [v.pk for v in free if v.is_host],
            )
        drivers, free_hosts = crew
        driver = rng.choice(drivers)
        hosts = [v for v in free_hosts if v != driver]
        chosen = rng.sample(hosts, min(len(hosts), rng.choice([1, 1, 2])))
        return [(driver, DRIVER)] + [(v, HOST) for v in chosen]


class History:
    """Writes the past from ``start`` to yesterday, then staffs the coming visits."""

    def __init__(
        self,
        *,
        rng: random.Random,
        ref: Reference,
        today: dt.date,
        start: dt.date,
        zone: dt.tzinfo,
    ):
        self.rng = rng
        self.ref = ref
        self.crews = Crews(rng, ref)
        self.today = today
        self.start = start
        self.zone = zone
        self.service_type_ids = ref.service_type_ids

    def write_past(self) -> Written:
        """Visits, reports, assignments and home visits; the caller pauses what
        reacts to rows (summaries, indexes) around it."""
        rng = self.rng
        ref = self.ref
        end = self.today - dt.timedelta(days=1)
        popularity = {
            stop.pk: rng.uniform(5, 18) for stops in ref.stops_by_centre.values() for stop in stops
        }
        stop_centre = ref.stop_centre()
        planned = sorted(
            ((day, pattern.start_time, pattern.stop_id, index)
             for index, pattern in enumerate(ref.patterns)
             for day in pattern.dates_between(self.start, end)),
        )  # fmt: skip
        visits = bulk.BulkTable(Visit, VISIT_COLUMNS)
        reports = bulk.BulkTable(VisitReport, REPORT_COLUMNS)
        assignments = bulk.BulkTable(Assignment, ASSIGNMENT_COLUMNS)
        referrals = bulk.BulkTable(ReportReferral, ("report_id", "service_type_id", "count"))
        visit_id, report_id = visits.next_id(), reports.next_id()
        holidays: dict[dt.date, dict] = {}
        # Plain values, read a million times (a model's property or __eq__ is slow).
        slots = [(p.pk, p.start_time, p.end_time, p.duration_minutes) for p in ref.patterns]
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
                     ref.vans[stop_centre[stop_id]])
                )  # fmt: skip
                team = self.crews.team(stop_centre[stop_id], day.isoweekday())
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
        home_visits = self._home_visits(end)
        copied = sum(table.seconds for table in (visits, reports, assignments, referrals))
        return Written(
            visits=visits.written,
            reports=reports.written,
            home_visits=home_visits,
            copy_seconds=copied,
        )

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

    def _home_visits(self, end: dt.date) -> int:
        """About one home visit per centre a week; how many were written."""
        rng = self.rng
        home_visits = bulk.BulkTable(
            HomeVisit,
            ("id", "centre_id", "date", "duration_minutes", "volunteer_id", "submission_id",
             "submitted_at"),
        )  # fmt: skip
        referrals = bulk.BulkTable(HomeVisitReferral, ("home_visit_id", "service_type_id", "count"))
        home_id = home_visits.next_id()
        home_rows, referral_rows = [], []
        for centre in self.ref.centres:
            volunteers = self.ref.volunteers_by_centre[centre.pk]
            day = self.start
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
        return home_visits.written

    def staff_upcoming(self) -> None:
        """Volunteers on most of the coming visits; a few gaps for the coordinators to fill."""
        stop_centre = self.ref.stop_centre()
        upcoming = Visit.objects.filter(date__gte=self.today).order_by("date", "start_time", "pk")
        assignments = []
        for visit in upcoming:
            if self.rng.random() < 0.1:
                continue
            team = self.crews.team(stop_centre[visit.stop_id], visit.date.isoweekday())
            assignments.extend(
                Assignment(visit=visit, volunteer_id=volunteer_id, role=role, confirmed=True)
                for volunteer_id, role in team
            )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        """Danish time (the zone attached directly: make_aware per row took seconds)."""
        return dt.datetime.combine(day, time, tzinfo=self.zone)
