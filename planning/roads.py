"""
Drive times on the road network, from a routing engine (Valhalla), or the straight-line
estimate (planning.geo) when there is none.

Valhalla runs in-process (``valhalla.Actor``, from the pyvalhalla package) on tiles that
``manage.py build_roads`` makes from an OpenStreetMap extract into ROUTING_TILES_DIR, or
answers over HTTP from a Valhalla server at ROUTING_URL. The pages never call it
directly: they read the legs kept in planning.models.RoadLeg (planning.legs).

A tiles folder holds ``tiles/`` (Valhalla's graph) and ``drivein-roads.json``, written
last by the build, with every tile's size: a folder without it is half built, a tile
whose size differs is damaged, and either way the engine is off with a message and the
estimate stands in.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

import valhalla
from django.conf import settings
from django.utils.translation import gettext as _

from planning.geo import Drive, Point, RoadModel, Source

logger = logging.getLogger(__name__)

MANIFEST = "drivein-roads.json"
GRAPH = "tiles"
# Valhalla's error codes for "this pair has no road between them": unconnected
# regions, no road near a location, no path found.
NO_ROAD_CODES = {170, 171, 172, 442, 443}
HTTP_TIMEOUT = 5


class RoadsUnavailable(Exception):
    """The engine cannot answer (tiles missing, half built, damaged; server down)."""


class NoRoad(Exception):
    """The engine answered: there is no road between these two points."""


class Engine:
    """A routing engine; ``network`` names the road data, so legs from older data are stale."""

    network: str = ""

    def drive(self, a: Point, b: Point) -> Drive:  # pragma: no cover - interface
        raise NotImplementedError

    def _request(self, a: Point, b: Point) -> dict:
        cutoff = settings.ROUTING_SNAP_METRES
        return {
            "locations": [
                {"lat": p.lat, "lon": p.lon, "search_cutoff": cutoff, "radius": 0} for p in (a, b)
            ],
            "costing": "auto",
            "directions_type": "none",
        }

    @staticmethod
    def _drive_of(answer: dict) -> Drive:
        trip = answer["trip"]
        return Drive(
            metres=trip["summary"]["length"] * 1000,
            seconds=trip["summary"]["time"],
            source=Source.ROAD,
            shape=trip["legs"][0].get("shape", "") if trip.get("legs") else "",
        )


def tiles_problem(folder: Path) -> tuple[str, dict]:
    """What is wrong with a tiles folder ('' when nothing) and its manifest."""
    if not folder.is_dir():
        return _("There is no road network in %(dir)s yet.") % {"dir": folder}, {}
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        sizes = manifest["tiles"]
    except FileNotFoundError:
        return _("The road network in %(dir)s is not finished (a build stopped half-way).") % {
            "dir": folder
        }, {}
    except (ValueError, KeyError, TypeError):
        return _("The road network's description in %(dir)s is damaged.") % {"dir": folder}, {}
    for name, size in sizes.items():
        tile = folder / GRAPH / name
        if not tile.is_file() or tile.stat().st_size != size:
            return _("The road network in %(dir)s is damaged (%(tile)s).") % {
                "dir": folder,
                "tile": name,
            }, manifest
    if not sizes:
        return _("The road network in %(dir)s has no roads.") % {"dir": folder}, manifest
    return "", manifest


class LocalValhalla(Engine):
    """Valhalla in this process, on the tiles in ``folder``."""

    def __init__(self, folder: Path):
        problem, manifest = tiles_problem(folder)
        if problem:
            raise RoadsUnavailable(problem)
        self.network = manifest.get("network", "")
        config = valhalla.get_config(tile_extract="", tile_dir=folder / GRAPH)
        try:
            self._actor = valhalla.Actor(config)
        except (valhalla.ValhallaError, RuntimeError) as error:
            raise RoadsUnavailable(
                _("The road network in %(dir)s cannot be read: %(error)s")
                % {"dir": folder, "error": error}
            ) from error

    def drive(self, a: Point, b: Point) -> Drive:
        try:
            return self._drive_of(self._actor.route(self._request(a, b)))
        except valhalla.ValhallaError as error:
            if error.code in NO_ROAD_CODES:
                raise NoRoad(error.message) from error
            raise RoadsUnavailable(str(error)) from error


class HttpValhalla(Engine):
    """A Valhalla server (``valhalla_service``) at ``url``."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.network = f"url:{self.url}"

    def drive(self, a: Point, b: Point) -> Drive:
        body = json.dumps(self._request(a, b)).encode()
        request = urllib.request.Request(
            f"{self.url}/route", data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                return self._drive_of(json.load(response))
        except urllib.error.HTTPError as error:
            try:
                answer = json.load(error)
            except ValueError:
                answer = {}
            if answer.get("error_code") in NO_ROAD_CODES:
                raise NoRoad(answer.get("error", "")) from error
            raise RoadsUnavailable(
                _("The route server answered %(status)s.") % {"status": error.code}
            ) from error
        except (OSError, ValueError, KeyError) as error:
            raise RoadsUnavailable(
                _("The route server at %(url)s does not answer.") % {"url": self.url}
            ) from error


_engines: dict[tuple, Engine] = {}


def engine() -> Engine | None:
    """
    The configured engine, or None when there is none (the estimate is the default).
    Raises RoadsUnavailable, with a message for the coordinator, when one is set up
    but cannot answer. The in-process engine is made once per process and tiles build.
    """
    if settings.ROUTING_URL:
        return HttpValhalla(settings.ROUTING_URL)
    if not settings.ROUTING_TILES_DIR:
        return None
    folder = Path(settings.ROUTING_TILES_DIR)
    try:
        stamp = (folder / MANIFEST).stat().st_mtime_ns
    except OSError:
        stamp = None
    key = (str(folder.resolve()), stamp)
    if key not in _engines:
        _engines.clear()
        _engines[key] = LocalValhalla(folder)
    return _engines[key]


def engine_or_message() -> tuple[Engine | None, str]:
    """The engine and '' or, when it cannot answer, None and why (logged once per call)."""
    try:
        return engine(), ""
    except RoadsUnavailable as problem:
        logger.warning("Road network unavailable: %s", problem)
        return None, str(problem)


def drive(found: Engine | None, a: Point, b: Point, road: RoadModel | None = None) -> Drive:
    """The drive on the road, or the estimate when no road joins the two points."""
    road = road or RoadModel.from_settings()
    if found is None:
        return road.drive(a, b)
    try:
        return found.drive(a, b)
    except NoRoad:
        return road.drive(a, b, no_road=True)


def decode_polyline(encoded: str, precision: int = 6) -> list[tuple[float, float]]:
    """Valhalla's encoded shape as (lat, lon) pairs."""
    points, index, lat, lon = [], 0, 0, 0
    while index < len(encoded):
        deltas = []
        for _axis in range(2):
            shift = result = 0
            while True:
                byte = ord(encoded[index]) - 63
                index += 1
                result |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            deltas.append(~(result >> 1) if result & 1 else result >> 1)
        lat, lon = lat + deltas[0], lon + deltas[1]
        points.append((lat / 10**precision, lon / 10**precision))
    return points
