"""Reads for the volunteers' pages: a volunteer's shifts around today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.access import AnyUser
from visits.choices import VisitStatus
from visits.models import Visit
from visits.services import report_can_replace
from volunteers.models import Assignment, Volunteer
from volunteers.people_selectors import with_people_facts

UPCOMING_DAYS = 7  # the Today page shows today and the coming 7 days
AWAITING_REPORT_DAYS = 7  # and the past week's shifts that still await their report


def volunteer_of(user: AnyUser) -> Volunteer | None:
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
    awaiting_report: list[Visit] = field(default_factory=list)  # own, past, not cancelled
    upcoming: list[Visit] = field(default_factory=list)
    others_today: list[Visit] = field(default_factory=list)


def my_visits(
    *, volunteer: Volunteer, user, today: dt.date, with_referrals: bool = False
) -> list[Visit]:
    """
    The volunteer's own visits from a week ago to a week ahead, with their team,
    ``my_assignment`` and ``can_edit_report`` (two queries; three with the
    reports' referrals).
    """
    queryset = _visits_with_team(
        Visit.objects.for_user(user)
        .filter(assignments__volunteer=volunteer)
        .between(
            today - dt.timedelta(days=AWAITING_REPORT_DAYS),
            today + dt.timedelta(days=UPCOMING_DAYS),
        )
    )
    if with_referrals:
        queryset = queryset.prefetch_related("report__referrals")
    visits = list(queryset)
    for visit in visits:
        visit.my_assignment = next(
            a for a in visit.assignments.all() if a.volunteer_id == volunteer.pk
        )
        visit.can_edit_report = hasattr(visit, "report") and report_can_replace(
            user=user, report=visit.report
        )
    return visits


def volunteer_shifts(
    *, volunteer: Volunteer, user, today: dt.date, with_referrals: bool = False
) -> Shifts:
    """
    The volunteer's own visits from a week ago to a week ahead (two queries with
    the team), and the other visits of their centre today, which they may step in
    for (two more). Only visits within ``Visit.objects.for_user(user)``.
    """
    visible = Visit.objects.for_user(user)
    shifts = Shifts(today=today)
    for visit in my_visits(
        volunteer=volunteer, user=user, today=today, with_referrals=with_referrals
    ):
        if visit.date == today:
            shifts.today_visits.append(visit)
        elif visit.date > today:
            shifts.upcoming.append(visit)
        elif visit.status != VisitStatus.CANCELLED and not hasattr(visit, "report"):
            shifts.awaiting_report.append(visit)
    shifts.others_today = list(
        _visits_with_team(
            visible.filter(date=today, stop__centre=volunteer.home_centre_id)
            .not_cancelled()
            .exclude(pk__in=[visit.pk for visit in shifts.today_visits])
        )
    )
    return shifts


def centre_volunteers(centre, today: dt.date | None = None) -> QuerySet:
    """
    A centre's volunteers for the coordinator's list, with their login, their
    no-shows of the last 90 days and whether they are away today (one query).
    """
    from_day = today or timezone.localdate()
    return with_people_facts(
        Volunteer.objects.filter(home_centre=centre).select_related("user"), from_day
    ).order_by("-active", "name")
