"""
Conflicts worth a warning (DESIGN.md), as pure functions over plain data, so that
each rule is tested without the database:

- a volunteer on two visits whose times overlap;
- one van at two stops whose times overlap, or whose drive from one to the next
  does not fit between them (visits without a van count as the centre's one van);
- a planned visit with fewer than two people assigned;
- a visit on a Danish public holiday.

Warnings never block anything by themselves: the grid and the save show them,
and the coordinator decides.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from planning.geo import Drive, Drives, Point

MIN_PEOPLE = 2


class Kind(enum.StrEnum):
    VOLUNTEER_OVERLAP = "volunteer_overlap"
    VAN_OVERLAP = "van_overlap"
    VAN_DRIVE = "van_drive"
    UNDERSTAFFED = "understaffed"
    HOLIDAY = "holiday"
    SPECIAL_DAY = "special_day"  # Christmas Eve and the like (settings.SPECIAL_DAYS)
    AWAY = "away"  # planning/people_warnings.py
    NO_LICENCE = "no_licence"  # planning/people_warnings.py


@dataclass(frozen=True)
class Slot:
    """What the rules need to know about one visit."""

    visit_id: int
    centre_id: int
    label: str  # the stop's community, for messages
    date: dt.date
    start: dt.time
    end: dt.time
    point: Point | None = None
    cancelled: bool = False
    planned: bool = True
    volunteers: tuple[tuple[int, str], ...] = ()  # (volunteer id, name)
    holiday_name: str = ""
    van_id: int | None = None
    special_day: str = ""  # visits.holidays.special_day_name

    @property
    def van_key(self) -> tuple[int, int | None]:
        """Whose van: the van's, or the centre's when the visit has none."""
        return (self.centre_id, self.van_id)

    def overlaps(self, other: Slot) -> bool:
        return self.date == other.date and self.start < other.end and other.start < self.end

    def minutes_between(self, later: Slot) -> float:
        """Minutes from this visit's end to the later visit's start (same date)."""
        end = dt.datetime.combine(self.date, self.end)
        return (dt.datetime.combine(later.date, later.start) - end).total_seconds() / 60


@dataclass(frozen=True)
class PlanningWarning:
    """One problem with one visit; ``other`` is the visit it clashes with, if any."""

    kind: Kind
    visit_id: int
    message: str
    other: int | None = None
    severity: str = field(default="warn")  # "warn" or "bad", for the badge colour


def volunteer_overlaps(slots: Iterable[Slot]) -> list[PlanningWarning]:
    """A volunteer on two visits at the same time (each visit gets a warning)."""
    by_volunteer: dict[int, list[tuple[Slot, str]]] = defaultdict(list)
    for slot in slots:
        if slot.cancelled:
            continue
        for volunteer_id, name in slot.volunteers:
            by_volunteer[volunteer_id].append((slot, name))
    warnings = []
    for visits in by_volunteer.values():
        for (a, name), (b, _name) in itertools.combinations(visits, 2):
            if a.overlaps(b):
                for this, other in ((a, b), (b, a)):
                    warnings.append(
                        PlanningWarning(
                            Kind.VOLUNTEER_OVERLAP,
                            this.visit_id,
                            _("%(name)s is also at %(stop)s %(start)s–%(end)s.")
                            % {
                                "name": name,
                                "stop": other.label,
                                "start": f"{other.start:%H:%M}",
                                "end": f"{other.end:%H:%M}",
                            },
                            other=other.visit_id,
                            severity="bad",
                        )
                    )
    return warnings


def van_clashes(slots: Iterable[Slot], road: Drives) -> list[PlanningWarning]:
    """A van at two stops at once, or without time to drive between them."""
    by_day: dict[tuple[tuple[int, int | None], dt.date], list[Slot]] = defaultdict(list)
    for slot in slots:
        if not slot.cancelled:
            by_day[slot.van_key, slot.date].append(slot)
    warnings = []
    for day in by_day.values():
        day.sort(key=lambda s: (s.start, s.end, s.visit_id))
        for a, b in itertools.combinations(day, 2):
            if a.overlaps(b):
                warnings += _both(
                    Kind.VAN_OVERLAP,
                    a,
                    b,
                    _("The van is also at %(stop)s %(start)s–%(end)s."),
                )
        for a, b in itertools.pairwise(day):
            if a.overlaps(b) or a.point is None or b.point is None:
                continue
            found, gap = road.drive(a.point, b.point), a.minutes_between(b)
            if found.minutes > gap:
                message = _drive_message(a, b, found, gap)
                warnings += [
                    PlanningWarning(Kind.VAN_DRIVE, a.visit_id, message, other=b.visit_id),
                    PlanningWarning(Kind.VAN_DRIVE, b.visit_id, message, other=a.visit_id),
                ]
    return warnings


def _drive_message(a: Slot, b: Slot, found: Drive, gap: float) -> str:
    """The drive that does not fit, saying whether it is on the road or estimated."""
    values = {"a": a.label, "b": b.label, "drive": round(found.minutes), "gap": round(gap)}
    if not found.is_estimate:
        return (
            _(
                "The drive between %(a)s and %(b)s takes %(drive)s min on the road; "
                "there are %(gap)s min."
            )
            % values
        )
    message = (
        _(
            "The drive between %(a)s and %(b)s takes ca. %(drive)s min (estimated); "
            "there are %(gap)s min."
        )
        % values
    )
    if found.no_road:
        message += " " + _("No road to the stop was found; check where it is placed.")
    return message


def _both(kind: Kind, a: Slot, b: Slot, template: str) -> list[PlanningWarning]:
    return [
        PlanningWarning(
            kind,
            this.visit_id,
            template
            % {"stop": other.label, "start": f"{other.start:%H:%M}", "end": f"{other.end:%H:%M}"},
            other=other.visit_id,
            severity="bad",
        )
        for this, other in ((a, b), (b, a))
    ]


def understaffed(slots: Iterable[Slot], minimum: int = MIN_PEOPLE) -> list[PlanningWarning]:
    """Planned visits with fewer than ``minimum`` people assigned."""
    return [
        PlanningWarning(
            Kind.UNDERSTAFFED,
            slot.visit_id,
            _("Only %(count)s of at least %(minimum)s people assigned.")
            % {"count": len(slot.volunteers), "minimum": minimum},
        )
        for slot in slots
        if slot.planned and not slot.cancelled and len(slot.volunteers) < minimum
    ]


def holidays(slots: Iterable[Slot]) -> list[PlanningWarning]:
    """Visits that fall on a Danish public holiday."""
    return [
        PlanningWarning(
            Kind.HOLIDAY,
            slot.visit_id,
            _("Public holiday: %(name)s.") % {"name": slot.holiday_name},
        )
        for slot in slots
        if slot.holiday_name and not slot.cancelled
    ]


def special_days(slots: Iterable[Slot]) -> list[PlanningWarning]:
    """Visits on a special day: no public holiday, but most cafés close (settings.SPECIAL_DAYS)."""
    return [
        PlanningWarning(
            Kind.SPECIAL_DAY,
            slot.visit_id,
            _("%(name)s: most cafés are closed. Is this one open?") % {"name": slot.special_day},
        )
        for slot in slots
        if slot.special_day and not slot.cancelled
    ]


def all_warnings(slots: Iterable[Slot], road: Drives) -> dict[int, list[PlanningWarning]]:
    """Every warning, by visit id (visits without warnings are absent)."""
    slots = list(slots)
    found: dict[int, list[PlanningWarning]] = defaultdict(list)
    for warning in (
        *volunteer_overlaps(slots),
        *van_clashes(slots, road),
        *understaffed(slots),
        *holidays(slots),
        *special_days(slots),
    ):
        if warning not in found[warning.visit_id]:
            found[warning.visit_id].append(warning)
    return dict(found)
