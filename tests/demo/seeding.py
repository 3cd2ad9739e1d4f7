"""Helpers for the demo-data tests: run the command, and what a person would notice."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db.models import Sum

from stops.models import CentreSite, Region, Stop
from visits.models import HomeVisit, Visit, VisitPattern, VisitReport
from volunteers.models import Assignment, Volunteer


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    """What a person would notice if the data changed."""
    return (
        Region.objects.count(),
        CentreSite.objects.count(),
        Stop.objects.count(),
        VisitPattern.objects.count(),
        Volunteer.objects.count(),
        Visit.objects.count(),
        VisitReport.objects.count(),
        Assignment.objects.count(),
        HomeVisit.objects.count(),
        VisitReport.objects.aggregate(s=Sum("people_met"))["s"],
        list(Stop.objects.order_by("slug").values_list("slug", "latitude", "venue_name")),
        list(
            Volunteer.objects.order_by("email").values_list("email", "name", "available_weekdays")
        ),
        list(
            VisitReport.objects.order_by("visit__date", "visit__stop__slug").values_list(
                "visit__stop__slug", "visit__date", "people_met", "meals"
            )
        ),
    )
