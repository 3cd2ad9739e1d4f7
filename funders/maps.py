"""
The covered stops on Denmark's outline, drawn as SVG geometry: the vendored Natural
Earth outline (static/vendor/denmark/, the maps' own), no tiles, nothing fetched.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from stops.models import Stop

OUTLINE = Path(settings.BASE_DIR) / "static" / "vendor" / "denmark" / "denmark.geojson"
WIDTH = 480
# Denmark's mainland and islands (Bornholm drawn in place, a little far east).
WEST, EAST, SOUTH, NORTH = 8.0, 15.25, 54.5, 57.8
# Degrees of longitude are shorter than those of latitude at 56° north.
X_SCALE = math.cos(math.radians(56.0))
HEIGHT = round(WIDTH * (NORTH - SOUTH) / ((EAST - WEST) * X_SCALE))


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class StopMap:
    width: int
    height: int
    outline: str  # the SVG path's d attribute
    dots: list[Dot]
    without_place: int  # covered stops with no coordinates (not drawn)


def _point(lon: float, lat: float) -> tuple[float, float]:
    x = (lon - WEST) / (EAST - WEST) * WIDTH
    y = (NORTH - lat) / (NORTH - SOUTH) * HEIGHT
    return round(x, 1), round(y, 1)


@cache
def outline_path() -> str:
    """Denmark's outline as one SVG path (read once a process)."""
    collection = json.loads(OUTLINE.read_text(encoding="utf-8"))
    parts = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                points = [_point(lon, lat) for lon, lat in ring]
                parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return " ".join(parts)


def stop_map(stops: list[Stop]) -> StopMap:
    """A dot for each covered stop with coordinates, on the outline."""
    dots = []
    missing = 0
    for stop in stops:
        if stop.latitude is None or stop.longitude is None:
            missing += 1
            continue
        x, y = _point(float(stop.longitude), float(stop.latitude))
        dots.append(Dot(x, y, stop.community))
    return StopMap(WIDTH, HEIGHT, outline_path(), dots, missing)
