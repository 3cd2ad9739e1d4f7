"""Distances and drive times between places, as the planning rules estimate them."""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import cache
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


class FromSource:
    """What a drive's source says of it (a Drive, a route's Leg)."""

    source: str

    @property
    def is_estimate(self) -> bool:
        return self.source != Source.ROAD

    @property
    def no_road(self) -> bool:
        return self.source == Source.NO_ROAD


@dataclass(frozen=True)
class Drive(FromSource):
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


# Denmark's land, Natural Earth 1:10m (static/vendor/denmark/README.md): about 300 m
# accurate, enough to tell a stop at sea or abroad from one on land.
OUTLINE = settings.BASE_DIR / "static" / "vendor" / "denmark" / "denmark.geojson"


@cache
def _land() -> list[list[list[tuple[float, float]]]]:
    """Denmark's islands: each a list of rings (outer first, then holes) of (lon, lat)."""
    geometry = json.loads(OUTLINE.read_text())["features"][0]["geometry"]
    return [[[tuple(c) for c in ring] for ring in polygon] for polygon in geometry["coordinates"]]


def _inside(ring: list[tuple[float, float]], x: float, y: float) -> bool:
    """Ray casting: whether (x, y) lies inside the closed ring."""
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def island_of(point: Point) -> int | None:
    """Which piece of Denmark's land the point stands on (an index), None at sea or abroad."""
    for index, (outer, *holes) in enumerate(_land()):
        if _inside(outer, point.lon, point.lat) and not any(
            _inside(hole, point.lon, point.lat) for hole in holes
        ):
            return index
    return None


def on_land(point: Point) -> bool:
    """Whether the point is on Danish land (not at sea, not abroad)."""
    return island_of(point) is not None


def place_off_land(place) -> bool:
    """Whether a place with coordinates lies at sea or abroad (no coordinates: no)."""
    point = point_of(place)
    return point is not None and not on_land(point)
