"""
Plain functions that make valid rows with sensible defaults; tests pass only what
they care about. No factory library: these are short enough to read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Max

from core.access import LEADERSHIP_GROUP
from stops.models import CentreSite, Region, Stop
from visits.models import ServiceType, Visit, VisitPattern, VisitReport
from volunteers.models import Assignment, Volunteer

_seq = itertools.count(1)


def make_region(**fields) -> Region:
    n = next(_seq)
    defaults = {"code": f"R{n}", "name": f"Region {n}"}
    return Region.objects.create(**{**defaults, **fields})


def make_centre(**fields) -> CentreSite:
    n = next(_seq)
    if "region" not in fields:
        fields["region"] = make_region()
    defaults = {
        "name": f"Centre {n}",
        "town": f"Town {n}",
        "municipality": f"Municipality {n}",
        "latitude": 56.0,
        "longitude": 9.0,
    }
    return CentreSite.objects.create(**{**defaults, **fields})


def make_stop(centre: CentreSite | None = None, **fields) -> Stop:
    n = next(_seq)
    centre = centre or make_centre()
    last_position = centre.stops.aggregate(last=Max("roster_position"))["last"] or 0
    defaults = {
        "community": f"Village {n}",
        "venue_name": f"Village {n} Forsamlingshus",
        "roster_position": last_position + 1,
        "slug": f"village-{n}",
        "latitude": 56.1,
        "longitude": 9.1,
    }
    return Stop.objects.create(centre=centre, **{**defaults, **fields})


def make_pattern(stop: Stop | None = None, **fields) -> VisitPattern:
    defaults = {
        "weekday": 2,
        "start_time": dt.time(10, 0),
        "duration_minutes": 120,
        "valid_from": dt.date(2026, 1, 1),
    }
    return VisitPattern.objects.create(stop=stop or make_stop(), **{**defaults, **fields})


def make_visit(stop: Stop | None = None, **fields) -> Visit:
    defaults = {
        "date": dt.date(2026, 11, 24),
        "start_time": dt.time(10, 0),
        "end_time": dt.time(12, 0),
    }
    return Visit.objects.create(stop=stop or make_stop(), **{**defaults, **fields})


def make_report(visit: Visit | None = None, **fields) -> VisitReport:
    defaults = {"people_met": 10, "new_people": 1, "meals": 9, "submission_id": uuid.uuid4()}
    return VisitReport.objects.create(visit=visit or make_visit(), **{**defaults, **fields})


def make_service_type(**fields) -> ServiceType:
    n = next(_seq)
    defaults = {"slug": f"service-{n}", "name": f"Tjeneste {n}", "name_en": f"Service {n}"}
    return ServiceType.objects.create(**{**defaults, **fields})


def make_user(username: str | None = None, **fields):
    user_model = get_user_model()
    username = username or f"user{next(_seq)}"
    return user_model.objects.create_user(username=username, password="pw", **fields)


def make_leader(username: str | None = None):
    user = make_user(username)
    user.groups.add(Group.objects.get_or_create(name=LEADERSHIP_GROUP)[0])
    return user


def make_coordinator(centre: CentreSite, username: str | None = None):
    user = make_user(username)
    centre.coordinators.add(user)
    return user


def make_volunteer(centre: CentreSite | None = None, user=None, **fields) -> Volunteer:
    n = next(_seq)
    defaults = {"name": f"Frivillig {n}", "available_weekdays": "12345"}
    return Volunteer.objects.create(
        home_centre=centre or make_centre(), user=user, **{**defaults, **fields}
    )


def make_assignment(visit: Visit, volunteer: Volunteer, **fields) -> Assignment:
    return Assignment.objects.create(visit=visit, volunteer=volunteer, **fields)
