"""
The drives the planning pages read: legs kept in RoadLeg, filled in the background
(planning.tasks) when a stop moves or the road network is rebuilt.

A page asks a LegBook for the drives between its places: one query reads the kept
legs; a leg still missing is asked of the engine then and kept (so a page waits on
the engine for missing legs only); without an engine, or when it cannot answer, the
straight-line estimate stands in and says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from planning import roads
from planning.geo import Drive, Point, RoadModel, Source, point_of
from planning.models import RoadLeg, e5
from stops.models import CentreSite, Stop


def _drive_of(leg: RoadLeg) -> Drive:
    return Drive(metres=leg.metres, seconds=leg.seconds, source=leg.source, shape=leg.shape)


class LegBook:
    """The drives between a set of places, for one page or one background job."""

    def __init__(self, points: Iterable[Point | None], road: RoadModel | None = None):
        self.road = road or RoadModel.from_settings()
        self.engine, self.problem = roads.engine_or_message()
        self._kept: dict[tuple[int, int, int, int], Drive] = {}
        self.computed = 0
        points = {p for p in points if p is not None}
        if self.engine is not None and points:
            lats, lons = {e5(p.lat) for p in points}, {e5(p.lon) for p in points}
            for leg in RoadLeg.objects.filter(
                network=self.engine.network,
                from_lat__in=lats,
                from_lon__in=lons,
                to_lat__in=lats,
                to_lon__in=lons,
            ):
                self._kept[leg.from_lat, leg.from_lon, leg.to_lat, leg.to_lon] = _drive_of(leg)

    @property
    def on_roads(self) -> bool:
        """Whether an engine answers (else every drive is the estimate)."""
        return self.engine is not None

    def drive(self, a: Point, b: Point) -> Drive:
        key = RoadLeg.key(a, b)
        if key[:2] == key[2:]:
            return Drive(0, 0, Source.ROAD if self.engine else Source.ESTIMATE)
        if key in self._kept:
            return self._kept[key]
        if self.engine is None:
            return self.road.drive(a, b)
        try:
            found = roads.drive(self.engine, a, b, self.road)
        except roads.RoadsUnavailable as problem:
            self.engine, self.problem = None, str(problem)
            return self.road.drive(a, b)
        self._keep(key, found)
        return found

    def _keep(self, key: tuple[int, int, int, int], found: Drive) -> None:
        from_lat, from_lon, to_lat, to_lon = key
        RoadLeg.objects.bulk_create(
            [
                RoadLeg(
                    from_lat=from_lat,
                    from_lon=from_lon,
                    to_lat=to_lat,
                    to_lon=to_lon,
                    metres=round(found.metres),
                    seconds=round(found.seconds),
                    source=found.source,
                    network=self.engine.network,
                    shape=found.shape,
                    computed_at=timezone.now(),
                )
            ],
            update_conflicts=True,
            unique_fields=["from_lat", "from_lon", "to_lat", "to_lon"],
            update_fields=["metres", "seconds", "source", "network", "shape", "computed_at"],
        )
        self._kept[key] = found
        self.computed += 1


@dataclass
class FillResult:
    centres: int = 0
    legs: int = 0
    computed: int = 0
    no_road: int = 0
    problem: str = ""


def legs_fill(*, centre_ids: Iterable[int] | None = None) -> FillResult:
    """
    Keep every leg between each active centre and its active stops (both ways), asking
    the engine for the missing and stale ones. Without an engine there is nothing to keep.
    """
    result = FillResult()
    centres = CentreSite.objects.active()
    if centre_ids is not None:
        centres = centres.filter(pk__in=list(centre_ids))
    for centre in centres:
        stops = Stop.objects.active().filter(centre=centre, latitude__isnull=False)
        places = {p for p in [point_of(centre), *map(point_of, stops)] if p is not None}
        book = LegBook(places)
        if not book.on_roads:
            result.problem = book.problem
            break
        result.centres += 1
        for a in places:
            for b in places - {a}:
                found = book.drive(a, b)
                result.legs += 1
                result.no_road += found.no_road
        result.computed += book.computed
        result.problem = book.problem
    if centre_ids is None and not result.problem:
        _forget_stale()
    return result


def _forget_stale() -> None:
    """Legs of an older road network are never read again: drop them."""
    engine, _problem = roads.engine_or_message()
    if engine is not None:
        with transaction.atomic():
            RoadLeg.objects.exclude(network=engine.network).delete()
