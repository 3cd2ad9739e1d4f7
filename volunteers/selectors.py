"""Reads for the volunteers' pages: a volunteer's shifts around today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from visits.choices import VisitStatus
from visits.models import Visit
from visits.services import report_can_replace
from volunteers.models import Assignment, Volunteer

UPCOMING_DAYS = 7  # the Today page shows today and the coming 7 days
MISSING_REPORT_DAYS = 7  # and the past week's shifts that still lack a report


def volunteer_of(user) -> Volunteer | None:
    """The user's active volunteer profile, with their centre; None for everyone else."""
    if not user.is_authenticated:
        return None
    return Volunteer.objects.active().select_related("home_centre").filter(user=user).first()


def _visits_with_team(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("stop", "report")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("volunteer").order_by(
                    "role", "volunteer__name"
                ),
            )
        )
        .order_by("date", "start_time", "pk")
    )


@dataclass
class Shifts:
    """What the Today page shows a volunteer."""

    today: dt.date
    today_visits: list[Visit] = field(default_factory=list)
    missing_reports: list[Visit] = field(default_factory=list)
    upcoming: list[Visit] = field(default_factory=list)
    others_today: list[Visit] = field(default_factory=list)

    @property
    def offline_visits(self) -> list[Visit]:
        """The visits whose report forms the phone keeps for use without signal."""
        return [
            visit
            for visit in (*self.today_visits, *self.missing_reports, *self.upcoming)
            if visit.status != VisitStatus.CANCELLED
        ] + self.others_today


def volunteer_shifts(*, volunteer: Volunteer, user, today: dt.date) -> Shifts:
    """
    The volunteer's own visits from a week ago to a week ahead (two queries with
    the team), and the other visits of their centre today, which they may step in
    for (two more). Only visits within ``Visit.objects.for_user(user)``.
    """
    visible = Visit.objects.for_user(user)
    mine = list(
        _visits_with_team(
            visible.filter(assignments__volunteer=volunteer).between(
                today - dt.timedelta(days=MISSING_REPORT_DAYS),
                today + dt.timedelta(days=UPCOMING_DAYS),
            )
        )
    )
    shifts = Shifts(today=today)
    for visit in mine:
        visit.my_assignment = next(
            a for a in visit.assignments.all() if a.volunteer_id == volunteer.pk
        )
        visit.can_edit_report = hasattr(visit, "report") and report_can_replace(
            user=user, report=visit.report
        )
        if visit.date == today:
            shifts.today_visits.append(visit)
        elif visit.date > today:
            shifts.upcoming.append(visit)
        elif visit.status != VisitStatus.CANCELLED and not hasattr(visit, "report"):
            shifts.missing_reports.append(visit)
    shifts.others_today = list(
        _visits_with_team(
            visible.filter(date=today, stop__centre=volunteer.home_centre_id)
            .not_cancelled()
            .exclude(pk__in=[visit.pk for visit in shifts.today_visits])
        )
    )
    return shifts


def centre_volunteers(centre) -> QuerySet:
    """A centre's volunteers for the coordinator's list, with their login (one query)."""
    return (
        Volunteer.objects.filter(home_centre=centre)
        .select_related("user")
        .order_by("-active", "name")
    )
