"""
Where the demo's centres and stops stand: the programme's centre towns, made-up
village names for the national scale and its copies, and points near a centre on
the same land as it.
"""

from __future__ import annotations

import math
import random

from demo import data
from planning.geo import Point, island_of


class PlaceNames:
    """
    Plausible made-up village and town names (prefix, stem, suffix: "Nørre Salrup"),
    each given once, in a seeded random order. There are about 5,500; asking for
    more than are left is an error, never a repeat.
    """

    def __init__(self, rng: random.Random, taken: set[str]):
        prefixes = dict.fromkeys(data.VILLAGE_PREFIXES)  # "" once, in order
        names = [
            prefix + stem + suffix
            for prefix in prefixes
            for stem in data.VILLAGE_STEMS
            for suffix in data.VILLAGE_SUFFIXES
        ]
        rng.shuffle(names)
        self.left = [name for name in names if name not in taken]
        self.taken = taken

    def take(self, count: int) -> list[str]:
        if count > len(self.left):
            raise ValueError(f"Only {len(self.left)} more place names; {count} asked for.")
        names, self.left = self.left[:count], self.left[count:]
        self.taken.update(names)
        return names


def near(rng: random.Random, lat: float, lon: float) -> tuple[float, float]:
    """
    A point 6–28 km from (lat, lon) in a random direction, on the same land as it
    (Mors' stops on Mors, none at sea); nearer when the land is small.
    """
    home = island_of(Point(lat, lon))
    farthest = 28.0
    while True:
        for _try in range(50):
            distance = rng.uniform(min(6.0, farthest / 2), farthest)
            bearing = rng.uniform(0, 2 * math.pi)
            dlat = distance * math.cos(bearing) / 111.0
            dlon = distance * math.sin(bearing) / (111.0 * math.cos(math.radians(lat)))
            point = round(lat + dlat, 5), round(lon + dlon, 5)
            if home is None or island_of(Point(*point)) == home:
                return point
        farthest /= 2


def _spec(name, town, municipality, region, lat, lon, address, communities) -> dict:
    """One centre to seed, as centre_specs gives it."""
    return {
        "name": name,
        "town": town,
        "municipality": municipality,
        "region": region,
        "lat": lat,
        "lon": lon,
        "address": address,
        "communities": communities,
    }


def centre_specs(scale: str, rng: random.Random, times: int = 1) -> list[dict]:
    """
    The centres to seed, each with its communities. ``times`` (national only) adds
    that many copies of the national set less one: each copy's centre has a made-up
    town name, near the centre it copies and in its region, with its own villages.
    """
    specs = [_spec(*row) for row in data.CENTRES]
    if scale != "national":
        return specs
    names = PlaceNames(
        rng, {c for spec in specs for c in spec["communities"]} | {spec["town"] for spec in specs}
    )
    for name, town, municipality, region, lat, lon in data.NATIONAL_CENTRES:
        specs.append(
            _spec(name, town, municipality, region, lat, lon, f"Torvet 1, {town}", names.take(12))
        )
    national = list(specs)
    for _copy in range(times - 1):
        for base in national:
            town = names.take(1)[0]
            lat, lon = near(rng, base["lat"], base["lon"])
            specs.append(
                {
                    **base,
                    "name": town,
                    "town": town,
                    "lat": lat,
                    "lon": lon,
                    "address": f"Torvet 1, {town}",
                    "communities": names.take(len(base["communities"])),
                }
            )
    return specs
