"""The order a centre's (or one van's) visits of a day are driven in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planning.services.visit_edit import VisitConflict, compare_and_set
from stops.models import CentreSite, Van
from visits.choices import VisitStatus
from visits.models import Visit


@transaction.atomic
def route_apply(
    *,
    centre: CentreSite,
    day: dt.date,
    order: Sequence[int],
    versions: Mapping[int, int],
    user: AbstractBaseUser,
    van: Van | None = None,
) -> list[Visit]:
    """
    Drive the day's visits in ``order`` (visit ids): the time slots of those
    visits stay as they are and are handed out in the new order, so the first stop
    on the road gets the earliest slot. Every visit is compared and set on its version; one
    stale version and nothing is written.
    """
    day_visits = Visit.objects.filter(stop__centre=centre, date=day)
    if van is not None:  # one van's day: its visits only
        day_visits = day_visits.filter(van=van)
    visits = {
        v.pk: v
        for v in day_visits.select_for_update()
        .filter(pk__in=list(order))
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("stop")
    }
    if len(visits) != len(order) or len(set(order)) != len(order) or len(order) < 2:
        raise VisitConflict(None, _("The day's visits changed; look at the route again."))
    if day < timezone.localdate():
        raise ValidationError(_("A past day's route cannot be changed."))
    if any(v.status == VisitStatus.HELD for v in visits.values()):
        raise ValidationError(_("A visit of this day has been held; the order stays."))
    slots = sorted((v.start_time, v.end_time) for v in visits.values())
    changed = []
    for visit_id, (start, end) in zip(order, slots, strict=True):
        visit = visits[visit_id]
        if visit.version != versions.get(visit_id):
            raise VisitConflict(
                visit,
                _("%(stop)s was changed by someone else; nothing was saved.")
                % {"stop": visit.stop.community},
            )
        if (visit.start_time, visit.end_time) != (start, end):
            changed.append(
                compare_and_set(
                    visit,
                    version=visit.version,
                    user=user,
                    start_time=start,
                    end_time=end,
                    is_edited=True,
                )
            )
    return changed
