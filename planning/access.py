"""
Who may plan which centre: the one helper every planning view goes through.

Coordinators read and change their own centres, administrators every centre,
leadership reads every centre and changes nothing (a change answers 403 with a
message that says so). Volunteers and logins without a role do not see planning
pages at all: 404, like anything else outside a user's reach.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.access import PLANNERS, READERS, AnyUser, role_of
from stops.models import CentreSite, Stop, Van
from visits.models import Visit, VisitPattern
from volunteers.models import Assignment


def can_plan(user: AnyUser) -> bool:
    """Whether the user changes plans at all (edit controls are shown)."""
    return role_of(user) in PLANNERS


def centre_for_planning(user: AnyUser, centre_id: int, *, edit: bool) -> CentreSite:
    """The centre, if the user may read (``edit=False``) or change (``edit=True``) its plans."""
    role = role_of(user)
    if role not in READERS:
        raise Http404
    centre = get_object_or_404(CentreSite.objects.for_user(user), pk=centre_id)
    if edit and role not in PLANNERS:
        raise PermissionDenied(
            _("Leadership can read the plans but not change them. Ask the centre's coordinator.")
        )
    return centre


def visit_for_planning(user: AnyUser, centre: CentreSite, visit_id: int, *, edit: bool) -> Visit:
    """One of the centre's visits that the user may read or change; 404 otherwise."""
    visits = Visit.objects.editable_by(user) if edit else Visit.objects.for_user(user)
    return get_object_or_404(visits.filter(stop__centre=centre).select_related("stop"), pk=visit_id)


def stop_for_planning(user: AnyUser, centre: CentreSite, stop_id: int) -> Stop:
    """One of the centre's stops that the user may change; 404 otherwise."""
    return get_object_or_404(Stop.objects.editable_by(user).filter(centre=centre), pk=stop_id)


def van_for_planning(centre: CentreSite, van_id: int | str | None) -> Van:
    """One of the centre's vans; 404 for another centre's van or no van at all."""
    if van_id is None:
        raise Http404
    try:
        return get_object_or_404(Van.objects.filter(centre=centre), pk=int(van_id))
    except ValueError:
        raise Http404 from None


def pattern_for_planning(user: AnyUser, stop: Stop, pattern_id: int) -> VisitPattern:
    return get_object_or_404(
        VisitPattern.objects.editable_by(user).filter(stop=stop), pk=pattern_id
    )


def assignment_for_planning(user: AnyUser, visit: Visit, assignment_id: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.editable_by(user).filter(visit=visit).select_related("volunteer"),
        pk=assignment_id,
    )
