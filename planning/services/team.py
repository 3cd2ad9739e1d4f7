"""
How many people a visit wants and whether it needs a driver (issue 13, shifts/):
the stop's, a pattern's or one visit's override, and the centre's approval flag.
The coordinator's forms and the admin save them through these functions.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planning.services.visit_edit import compare_and_set
from stops.models import CentreSite
from visits.models import Visit

TEAM_FIELDS = ("places_wanted", "needs_driver")
PLACES_MAX = 12  # the models' MaxValueValidator


def team_fields(fields: Mapping) -> dict:
    """The team fields a caller gave (a caller that gives none leaves them as they are)."""
    return {name: fields[name] for name in TEAM_FIELDS if name in fields}


@transaction.atomic
def visit_set_team(
    *,
    visit: Visit,
    version: int,
    places_wanted: int | None,
    needs_driver: bool | None,
    user: AbstractBaseUser,
) -> Visit:
    """One visit's own team (None: as its pattern or stop); a stale form writes nothing."""
    # The form checks this too; here for every other door (compare_and_set skips full_clean).
    if places_wanted is not None and not 1 <= places_wanted <= PLACES_MAX:
        raise ValidationError(
            {
                "places_wanted": _("A visit wants between 1 and %(max)s people.")
                % {"max": PLACES_MAX}
            }
        )
    return compare_and_set(
        visit,
        version=version,
        user=user,
        places_wanted=places_wanted,
        needs_driver=needs_driver,
        is_edited=True,
    )


@transaction.atomic
def centre_set_places_approval(
    *, centre: CentreSite, needs_approval: bool, user: AbstractBaseUser
) -> CentreSite:
    """Whether a volunteer's tap on an open place takes it or asks the coordinator."""
    centre.places_need_approval = needs_approval
    centre._history_user = user  # type: ignore[attr-defined]
    centre.save(update_fields=["places_need_approval"])
    return centre
