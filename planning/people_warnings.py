"""
The week's warnings about people (docs/people.md): a volunteer on a visit inside
one of their absences, and a driver without a valid driving licence on the visit's
date. Read in the assignments' own query (annotations), so the week page keeps its
query count; the rules are plain functions over what the rows carry.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from planning.conflicts import Kind, PlanningWarning
from visits.choices import VisitStatus
from visits.models import Visit
from volunteers.choices import AbsenceCategory, AssignmentAnswer, QualificationKind, VolunteerRole
from volunteers.models import Absence, Assignment, Qualification


def away_category(day, volunteer_ref: str = "pk") -> Subquery:
    """The category of an absence of the volunteer (``volunteer_ref``) covering ``day``."""
    return Subquery(
        Absence.objects.filter(
            volunteer=OuterRef(volunteer_ref), starts_on__lte=day, ends_on__gte=day
        )
        .order_by("starts_on")
        .values("category")[:1]
    )


def with_absence_and_licence(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """``away_as`` (category or None) and ``licence_ok`` on each assignment, on its date."""
    visit_date = OuterRef("visit__date")
    return assignments.annotate(
        away_as=away_category(visit_date, "volunteer"),
        licence_ok=Exists(
            Qualification.objects.filter(
                volunteer=OuterRef("volunteer"), kind=QualificationKind.DRIVING_LICENCE
            ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=visit_date))
        ),
    )


def people_warnings(visits: Iterable[Visit]) -> list[PlanningWarning]:
    """Warnings for not-cancelled visits whose assignments carry the annotations above."""
    found = []
    for visit in visits:
        if visit.status == VisitStatus.CANCELLED:
            continue
        for assignment in visit.assignments.all():
            if assignment.answer == AssignmentAnswer.DECLINED:
                continue  # not coming: neither away nor driving matters
            name = assignment.volunteer.name
            away_as = getattr(assignment, "away_as", None)
            if away_as:
                found.append(
                    PlanningWarning(
                        Kind.AWAY,
                        visit.pk,
                        _("%(name)s is away (%(category)s) but assigned to %(stop)s %(day)s.")
                        % {
                            "name": name,
                            "category": str(AbsenceCategory(away_as).label).lower(),
                            "stop": visit.stop.community,
                            "day": date_format(visit.date, "j. b"),
                        },
                        severity="bad",
                    )
                )
            if assignment.role == VolunteerRole.DRIVER and not getattr(
                assignment, "licence_ok", True
            ):
                found.append(
                    PlanningWarning(
                        Kind.NO_LICENCE,
                        visit.pk,
                        _("%(name)s drives but has no valid driving licence on %(day)s.")
                        % {"name": name, "day": date_format(visit.date, "j. b Y")},
                        severity="bad",
                    )
                )
    return found


def add_people_warnings(
    warnings: dict[int, list[PlanningWarning]], visits: Iterable[Visit]
) -> None:
    """Into the week's warnings by visit id (as planning.conflicts.all_warnings makes them)."""
    for warning in people_warnings(visits):
        warnings.setdefault(warning.visit_id, []).append(warning)
