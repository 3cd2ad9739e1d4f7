"""
Reads about volunteers as people for the coordinator's pages and the phone's
absences page, each in a fixed number of queries however many rows there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from volunteers.choices import Attendance
from volunteers.models import Absence, Assignment, Qualification, Volunteer

EXPIRY_WARNING_DAYS = 30
NO_SHOW_WINDOW_DAYS = 90  # the coordinator sees the no-shows of this long
HISTORY_ROWS = 10
ASSIGNMENTS_BACK_DAYS = 90
ASSIGNMENTS_AHEAD_DAYS = 28


def with_people_facts(volunteers: QuerySet[Volunteer], today: dt.date) -> QuerySet[Volunteer]:
    """
    Annotated in the same query: ``no_shows`` (the last NO_SHOW_WINDOW_DAYS days) and
    ``away_today``. Only for coordinators' pages: a volunteer never sees no-shows.
    """
    since = today - dt.timedelta(days=NO_SHOW_WINDOW_DAYS)
    return volunteers.annotate(
        no_shows=Count(
            "assignments",
            filter=Q(
                assignments__attendance=Attendance.NO_SHOW,
                assignments__visit__date__gte=since,
                assignments__visit__date__lt=today,
            ),
        ),
        away_today=Exists(
            Absence.objects.filter(
                volunteer=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today
            )
        ),
    )


def expiring_qualifications(
    centre_ids: Iterable[int] | QuerySet, today: dt.date, days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[Qualification]:
    """
    The qualifications of the centres' active volunteers that expire within ``days``,
    or expired in the last ``days`` (still to renew), soonest first. One query.
    """
    return (
        Qualification.objects.filter(
            volunteer__home_centre__in=centre_ids,
            volunteer__active=True,
            valid_until__gte=today - dt.timedelta(days=days),
            valid_until__lte=today + dt.timedelta(days=days),
        )
        .select_related("volunteer")
        .order_by("valid_until", "volunteer__name", "kind")
    )


def current_absences(volunteer: Volunteer, today: dt.date) -> QuerySet[Absence]:
    """The volunteer's absences that are not over before yesterday, soonest first."""
    return Absence.objects.filter(
        volunteer=volunteer, ends_on__gte=today - dt.timedelta(days=1)
    ).order_by("starts_on", "ends_on")


@dataclass
class Change:
    """One line of a volunteer's history: what changed, when, by whom."""

    at: dt.datetime
    what: str
    fields: list[str]
    by: str


@dataclass
class VolunteerPage:
    volunteer: Volunteer
    absences: list[Absence]
    qualifications: list[Qualification]
    past: list[Assignment]
    coming: list[Assignment]
    changes: list[Change] = field(default_factory=list)


def _history_changes(rows: list, label: str) -> list[Change]:
    """Lines from one model's history rows (newest first, fetched with one more row
    than shown so the oldest shown has something to be compared with)."""
    changes = []
    by_object: dict[int, list] = {}
    for row in rows:
        by_object.setdefault(row.id, []).append(row)
    for versions in by_object.values():
        for newer, older in zip(versions, [*versions[1:], None], strict=True):
            if newer.history_type == "~" and older is not None:
                fields = [
                    str(newer.instance._meta.get_field(c.field).verbose_name)
                    for c in newer.diff_against(older).changes
                ]
            else:
                fields = []
            user = newer.history_user
            changes.append(
                Change(
                    at=newer.history_date,
                    what=f"{label}: {newer.get_history_type_display()}",
                    fields=fields,
                    by=(user.get_full_name() or user.username) if user else "",
                )
            )
    return changes


def volunteer_page(volunteer: Volunteer, today: dt.date) -> VolunteerPage:
    """
    Everything on the coordinator's page of one volunteer (six queries: absences,
    qualifications, assignments around today, and the three histories).
    """
    assignments = list(
        Assignment.objects.filter(
            volunteer=volunteer,
            visit__date__gte=today - dt.timedelta(days=ASSIGNMENTS_BACK_DAYS),
            visit__date__lte=today + dt.timedelta(days=ASSIGNMENTS_AHEAD_DAYS),
        )
        .select_related("visit__stop", "attendance_set_by")
        .order_by("-visit__date", "-visit__start_time")
    )
    page = VolunteerPage(
        volunteer=volunteer,
        absences=list(current_absences(volunteer, today)),
        qualifications=list(volunteer.qualifications.order_by("kind")),
        past=[a for a in assignments if a.visit.date < today],
        coming=[a for a in reversed(assignments) if a.visit.date >= today],
    )
    histories = [
        (volunteer.history.select_related("history_user"), str(Volunteer._meta.verbose_name)),
        (
            Absence.history.filter(volunteer_id=volunteer.pk).select_related("history_user"),
            str(Absence._meta.verbose_name),
        ),
        (
            Qualification.history.filter(volunteer_id=volunteer.pk).select_related("history_user"),
            str(Qualification._meta.verbose_name),
        ),
    ]
    for rows, label in histories:
        newest = list(rows.order_by("-history_date", "-history_id")[: HISTORY_ROWS + 1])
        page.changes += _history_changes(newest, label.capitalize())[:HISTORY_ROWS]
    page.changes.sort(key=lambda change: change.at, reverse=True)
    page.changes = page.changes[:HISTORY_ROWS]
    return page
