"""Distances and drive times between places, as the planning rules estimate them."""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def point_of(obj) -> Point | None:
    """The point of anything with ``latitude`` and ``longitude`` (None when either is missing)."""
    if obj.latitude is None or obj.longitude is None:
        return None
    return Point(float(obj.latitude), float(obj.longitude))
