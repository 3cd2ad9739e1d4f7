"""Distances and drive times between places, as the planning rules estimate them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    """A place on the map (degrees)."""

    lat: float
    lon: float


def great_circle_km(a: Point, b: Point) -> float:
    """The haversine distance between two points, in kilometres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Source:
    """Where a drive's numbers come from."""

    ROAD = "road"  # the routing engine, on the road network
    ESTIMATE = "estimate"  # the straight line × road factor (no engine, or it is down)
    NO_ROAD = "no_road"  # the engine found no road: the estimate stands in, with a warning


@dataclass(frozen=True)
class Drive:
    """One drive from a point to another, one way."""

    metres: float
    seconds: float
    source: str = Source.ESTIMATE
    shape: str = ""  # the road's path, Valhalla's encoded polyline (precision 6)

    @property
    def km(self) -> float:
        return self.metres / 1000

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    @property
    def is_estimate(self) -> bool:
        return self.source != Source.ROAD

    @property
    def no_road(self) -> bool:
        return self.source == Source.NO_ROAD


class Drives(Protocol):
    """Anything that answers the drive between two points (RoadModel, planning.legs.LegBook)."""

    def drive(self, a: Point, b: Point) -> Drive: ...


@dataclass(frozen=True)
class RoadModel:
    """Road distance = great-circle distance × road factor, driven at an average speed."""

    road_factor: float
    speed_kmh: float

    @classmethod
    def from_settings(cls) -> RoadModel:
        return cls(road_factor=settings.ROAD_FACTOR, speed_kmh=settings.RURAL_SPEED_KMH)

    def road_km(self, a: Point, b: Point) -> float:
        return great_circle_km(a, b) * self.road_factor

    def drive_minutes(self, a: Point, b: Point) -> float:
        return self.road_km(a, b) / self.speed_kmh * 60

    def drive(self, a: Point, b: Point, *, no_road: bool = False) -> Drive:
        """The estimate as a drive (``no_road``: the engine found none, this stands in)."""
        return Drive(
            metres=self.road_km(a, b) * 1000,
            seconds=self.drive_minutes(a, b) * 60,
            source=Source.NO_ROAD if no_road else Source.ESTIMATE,
        )


def point_of(obj) -> Point | None:
    """The point of anything with ``latitude`` and ``longitude`` (None when either is missing)."""
    if obj.latitude is None or obj.longitude is None:
        return None
    return Point(float(obj.latitude), float(obj.longitude))
