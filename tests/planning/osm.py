"""
Small road networks for the routing tests, written as OpenStreetMap files with
pyosmium and built into Valhalla tiles by the project's own command.

The fjord: the centre (Vestby) and Østby face each other across 2.5 km of water; the
one road from one to the other runs 11 km north to a bridge and back. Øen is an
island with its own road and no bridge or ferry; Heden is 5 km from any road.
"""

from __future__ import annotations

from pathlib import Path

import osmium
from django.core.management import call_command
from osmium.osm.mutable import Node, Way

from planning.geo import Point

VESTBY = Point(56.80, 8.80)
OSTBY = Point(56.80, 8.84)
BRIDGE = (56.90, 56.90)  # latitude of both bridge ends
OEN = Point(56.70, 9.005)
HEDEN = Point(56.60, 8.60)


def write_fjord(path: Path) -> Path:
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    nodes = [
        (1, 56.80, 8.80),
        (2, 56.85, 8.80),
        (3, 56.90, 8.80),
        (4, 56.90, 8.84),
        (5, 56.85, 8.84),
        (6, 56.80, 8.84),
        (10, 56.70, 9.00),
        (11, 56.70, 9.01),
    ]
    for node_id, lat, lon in nodes:
        writer.add_node(Node(id=node_id, location=(lon, lat), tags={}))
    road = {"highway": "secondary"}
    writer.add_way(Way(id=100, nodes=[1, 2, 3], tags={**road, "name": "Vestvej"}))
    writer.add_way(Way(id=101, nodes=[3, 4], tags={**road, "bridge": "yes", "layer": "1"}))
    writer.add_way(Way(id=102, nodes=[4, 5, 6], tags={**road, "name": "Østvej"}))
    writer.add_way(Way(id=103, nodes=[10, 11], tags={"highway": "residential"}))
    writer.close()
    return path


def build_fjord(folder: Path) -> Path:
    """The fjord's road network, built into ``folder/roads``."""
    extract = write_fjord(folder / "fjord.osm.pbf")
    call_command("build_roads", str(extract), "--into", str(folder / "roads"), "--concurrency", "1")
    return folder / "roads"
