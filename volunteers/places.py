"""
How many people a visit wants, and which of its places are open (for the shifts and
the messages about them; here, below both, so that each can use it). The rule is
written twice on purpose, in the same words: as SQL annotations for lists
(``with_places``) and in Python on one locked visit (``places_of``), and the
tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from visits.models import Visit
from volunteers.choices import AssignmentAnswer, VolunteerRole
from volunteers.models import Assignment

# Who holds a place: everyone on the team who has not declined.
HOLDING_ANSWERS = (AssignmentAnswer.NONE, AssignmentAnswer.CONFIRMED)
HOLDING = Q(answer__in=HOLDING_ANSWERS)


@dataclass(frozen=True)
class Places:
    """A visit's places: wanted, filled, and what is open (a driver's place first)."""

    wanted: int
    needs_driver: bool
    filled: int
    drivers: int

    @property
    def open(self) -> int:
        return max(0, self.wanted - self.filled)

    @property
    def driver_open(self) -> bool:
        return self.needs_driver and self.drivers == 0 and self.open > 0

    @property
    def host_open(self) -> int:
        """Open places anyone may take: the open ones but the driver's."""
        return self.open - (1 if self.driver_open else 0)

    def open_for(self, role: str) -> bool:
        if role == VolunteerRole.DRIVER:
            # A driver may fill any open place; the driver's place only a driver.
            return self.open > 0
        return self.host_open > 0

    def open_roles(self) -> list[str]:
        roles = [VolunteerRole.DRIVER] if self.driver_open else []
        if self.host_open > 0:
            roles.append(VolunteerRole.HOST)
        return roles


def with_places(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits with ``wanted``, ``wants_driver``, ``filled`` and ``drivers`` (in SQL)."""
    holding = Q(assignments__answer__in=HOLDING_ANSWERS)
    return queryset.annotate(
        wanted=Coalesce("places_wanted", "pattern__places_wanted", "stop__places_wanted"),
        wants_driver=Coalesce("needs_driver", "pattern__needs_driver", "stop__needs_driver"),
        filled=Count("assignments", filter=holding, distinct=True),
        drivers=Count(
            "assignments",
            filter=holding & Q(assignments__role=VolunteerRole.DRIVER),
            distinct=True,
        ),
    )


def places_annotated(visit: Visit) -> Places:
    """The Places of a visit that came through ``with_places``."""
    return Places(visit.wanted, bool(visit.wants_driver), visit.filled, visit.drivers)


def places_of(visit: Visit) -> Places:
    """The Places of one visit, read now (call it with the visit locked). Two queries at most."""
    pattern = visit.pattern if visit.pattern_id else None

    def first(name: str):
        for source in (visit, pattern, visit.stop):
            value = getattr(source, name, None) if source is not None else None
            if value is not None:
                return value
        return None

    team = Assignment.objects.filter(HOLDING, visit=visit)
    counts = team.aggregate(
        filled=Count("pk"), drivers=Count("pk", filter=Q(role=VolunteerRole.DRIVER))
    )
    return Places(
        first("places_wanted"), bool(first("needs_driver")), counts["filled"], counts["drivers"]
    )
