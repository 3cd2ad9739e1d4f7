"""
The road network the benchmark's day route is measured on (docs/performance.md).

The bench has no map data (no network to fetch Denmark's extract), so it writes one
of its own with pyosmium: a road from the bench centre to each of its stops, bent
through a point off the straight line (so a road is longer than the line, as roads
are), joined at the centre. ``manage.py build_roads`` builds it into Valhalla tiles
like any extract, and the centre's legs are then kept in RoadLeg before the clock
starts, as the background worker keeps them in production: the route page reads
kept legs and never waits on the engine.
"""

from __future__ import annotations

import math
from pathlib import Path

import osmium
import psycopg
from osmium.osm.mutable import Node, Way

# How far off the straight line each road bends, as a share of the line's length.
BEND = 0.25


def places(database_url: str, centre_name: str) -> tuple[tuple[float, float], list]:
    """The centre's (lat, lon) and its active, placed stops' (lat, lon), from the database."""
    with psycopg.connect(database_url) as conn:
        centre = conn.execute(
            "SELECT id, latitude, longitude FROM stops_centresite WHERE name = %s", [centre_name]
        ).fetchone()
        stops = conn.execute(
            "SELECT latitude, longitude FROM stops_stop WHERE centre_id = %s AND active "
            "AND latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY id",
            [centre[0]],
        ).fetchall()
    return (float(centre[1]), float(centre[2])), [(float(a), float(b)) for a, b in stops]


def _bend(a: tuple[float, float], b: tuple[float, float], side: int) -> tuple[float, float]:
    """A point beside the middle of a–b, BEND of its length to one side."""
    mid_lat, mid_lon = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    # A degree of longitude is shorter than one of latitude by cos(latitude).
    scale = math.cos(math.radians(mid_lat))
    d_lat, d_lon = b[0] - a[0], (b[1] - a[1]) * scale
    return mid_lat - side * BEND * d_lon, mid_lon + side * BEND * d_lat / scale


def write_star(path: Path, centre: tuple[float, float], stops: list) -> Path:
    """An OpenStreetMap file with a bent road from ``centre`` to each stop."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    # Valhalla's builder wants the nodes sorted by id, then the ways.
    bends = [_bend(centre, stop, 1 if i % 2 else -1) for i, stop in enumerate(stops)]
    try:
        writer.add_node(Node(id=1, location=(centre[1], centre[0]), tags={}))
        for i, (lat, lon) in enumerate(bends):
            writer.add_node(Node(id=1000 + i, location=(lon, lat), tags={}))
        for i, (lat, lon) in enumerate(stops):
            writer.add_node(Node(id=2000 + i, location=(lon, lat), tags={}))
        for i in range(len(stops)):
            writer.add_way(
                Way(id=100 + i, nodes=[1, 1000 + i, 2000 + i], tags={"highway": "secondary"})
            )
    finally:
        writer.close()
    return path
