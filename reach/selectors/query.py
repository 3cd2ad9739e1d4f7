"""
What a reach figure counts (``ReachQuery``): a period, a level, a funder and the
reader's centres, resolved into id lists; every selector of this package takes one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from core.access import ALL, CentreScope
from stops.models import CentreSite, Funder, Stop


class Level(StrEnum):
    """What the selection is; its rows are one level down (national → regions …)."""

    NATIONAL = "national"
    REGION = "region"
    CENTRE = "centre"


@dataclass(frozen=True)
class ReachQuery:
    """
    What to count: a date range (both ends included), at most one region or centre,
    at most one funder, and the centres the reader may see. Build it with
    ``ReachQuery.build``, which applies the grant's dates and resolves the centres
    and stops counted into id lists (a few small queries, whatever the data size;
    a list, because a ``FilteredRelation`` condition cannot hold a subquery).
    ``None`` for an id list means "all of them".
    """

    start: dt.date
    end: dt.date
    region_id: int | None = None
    centre_id: int | None = None
    funder_id: int | None = None
    scoped: bool = False  # the reader sees only some centres
    centres: tuple[int, ...] | None = None  # centres counted
    stops: tuple[int, ...] | None = None  # stops counted
    funded_stops: tuple[int, ...] | None = None  # stops the funder covers
    home_centres: tuple[int, ...] | None = None  # centres whose home visits count
    grant_start: dt.date | None = None  # the funder's first day
    grant_end: dt.date | None = None  # the funder's last day (None: open-ended)
    today: dt.date = field(default_factory=timezone.localdate)

    @classmethod
    def build(
        cls,
        *,
        start: dt.date,
        end: dt.date,
        region_id: int | None = None,
        centre_id: int | None = None,
        funder: Funder | None = None,
        centre_scope: CentreScope = ALL,
        centre_in_scope: bool = False,
        today: dt.date | None = None,
    ) -> ReachQuery:
        """
        A query for [start, end]. ``centre_scope`` is what
        ``core.access.visible_centre_ids(user)`` gives: ALL, a queryset of centre
        ids, or None (nothing). With a funder the dates shrink to the grant's.
        ``centre_in_scope``: the caller has read the centre (``centre_id``) within
        that scope already, so its id is the centres counted (not read again).
        """
        if funder is not None:
            start = max(start, funder.start_date)
            end = min(end, funder.end_date) if funder.end_date else end
        centres: tuple[int, ...] | None = None
        if centre_in_scope and centre_id is not None and region_id is None:
            centres = (centre_id,)
        elif centre_scope is not ALL or region_id is not None or centre_id is not None:
            found = CentreSite.objects.all()
            if centre_scope is None:
                found = found.none()
            elif centre_scope is not ALL:
                found = found.filter(pk__in=centre_scope)
            if region_id is not None:
                found = found.filter(region_id=region_id)
            if centre_id is not None:
                found = found.filter(pk=centre_id)
            centres = tuple(found.order_by("pk").values_list("pk", flat=True))
        funded = home = None
        if funder is not None:
            funded = tuple(funder.covered_stops().order_by("pk").values_list("pk", flat=True))
            home_qs = funder.centres.all()
            if centres is not None:
                home_qs = home_qs.filter(pk__in=centres)
            home = tuple(home_qs.order_by("pk").values_list("pk", flat=True))
        else:
            home = centres
        stops = None
        if centres is not None or funded is not None:
            found_stops = Stop.objects.all()
            if centres is not None:
                found_stops = found_stops.filter(centre__in=centres)
            if funded is not None:
                found_stops = found_stops.filter(pk__in=funded)
            stops = tuple(found_stops.order_by("pk").values_list("pk", flat=True))
        return cls(
            start=start,
            end=end,
            region_id=region_id,
            centre_id=centre_id,
            funder_id=funder.pk if funder else None,
            scoped=centre_scope is not ALL,
            centres=centres,
            stops=stops,
            funded_stops=funded,
            home_centres=home,
            grant_start=funder.start_date if funder else None,
            grant_end=funder.end_date if funder else None,
            today=today or timezone.localdate(),
        )

    @property
    def level(self) -> Level:
        if self.centre_id is not None:
            return Level.CENTRE
        if self.region_id is not None:
            return Level.REGION
        return Level.NATIONAL

    @property
    def weeks(self) -> float:
        """Weeks counted (0 when a grant does not overlap the period): targets scale by it."""
        return max(0, (self.end - self.start).days + 1) / 7

    @property
    def is_restricted(self) -> bool:
        """True when only part of the country is counted (scope, region, centre or funder)."""
        return self.centres is not None or self.funded_stops is not None

    def with_dates(self, start: dt.date, end: dt.date) -> ReachQuery:
        """The same selection over other dates."""
        return replace(self, start=start, end=end)

    def day_q(self, prefix: str = "", *, stops: bool = True) -> Q:
        """Summary rows (``reach.models.StopDay``) in the date range and on counted stops."""
        condition = Q(**{f"{prefix}day__gte": self.start, f"{prefix}day__lte": self.end})
        if stops and self.stops is not None:
            condition &= Q(**{f"{prefix}stop__in": self.stops})
        return condition

    def visit_q(self, prefix: str = "") -> Q:
        """Visits in the date range and on counted stops, seen through ``prefix``."""
        condition = Q(**{f"{prefix}date__gte": self.start, f"{prefix}date__lte": self.end})
        if self.stops is not None:
            condition &= Q(**{f"{prefix}stop__in": self.stops})
        return condition
