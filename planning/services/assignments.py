"""Putting volunteers on a visit and taking them off, under the visit's version check."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planning.services.visit_edit import compare_and_set
from visits.choices import VisitStatus
from visits.models import Visit
from volunteers.models import Assignment, Volunteer


@transaction.atomic
def assignment_add(
    *, visit: Visit, version: int, volunteer: Volunteer, role: str, user: AbstractBaseUser
) -> Assignment:
    """Put one of the centre's active volunteers on a visit in a role."""
    if volunteer.home_centre_id != visit.stop.centre_id or not volunteer.active:
        raise ValidationError({"volunteer": _("Choose an active volunteer of this centre.")})
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("The visit is cancelled; restore it before adding people."))
    if Assignment.objects.filter(visit=visit, volunteer=volunteer).exists():
        raise ValidationError(
            {"volunteer": _("%(name)s is already on this visit.") % {"name": volunteer.name}}
        )
    # The version goes up first: a stale form changes nothing.
    compare_and_set(visit, version=version, user=user)
    assignment = Assignment(visit=visit, volunteer=volunteer, role=role)
    assignment._history_user = user
    assignment.full_clean(exclude=["visit", "volunteer"])
    assignment.save()
    return assignment


@transaction.atomic
def assignment_remove(
    *, visit: Visit, version: int, assignment: Assignment, user: AbstractBaseUser
) -> None:
    """Take a volunteer off a visit."""
    if assignment.visit_id != visit.pk:
        raise ValidationError(_("That person is not on this visit."))
    compare_and_set(visit, version=version, user=user)
    assignment._history_user = user
    assignment.delete()
