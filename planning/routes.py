"""
A day's route: the van leaves the centre, drives to each stop and comes home.

Pure functions over points and distance matrices, so that they are tested without
the database. ``shortest_tour`` is exact (Held–Karp dynamic programming) up to
``MAX_EXACT`` stops, far more than a van visits in one day; beyond that it falls
back to nearest neighbour improved by 2-opt and says so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from planning.geo import Drive, Drives, FromSource, Point, Source

MAX_EXACT = 12
# Orders whose lengths differ by less than this are the same to a driver (km).
SAME_KM = 0.05

Matrix = Sequence[Sequence[float]]


def tour_length(matrix: Matrix, order: Sequence[int]) -> float:
    """Length of home (index 0) → order … → home."""
    stops = [0, *order, 0]
    return sum(matrix[a][b] for a, b in itertools.pairwise(stops))


def _held_karp(matrix: Matrix) -> list[int]:
    n = len(matrix) - 1
    size = 1 << n
    inf = math.inf
    # cost[mask][j]: shortest path from home through the stops in mask, ending at stop j.
    cost = [[inf] * n for _ in range(size)]
    parent = [[-1] * n for _ in range(size)]
    for j in range(n):
        cost[1 << j][j] = matrix[0][j + 1]
    for mask in range(1, size):
        row = cost[mask]
        for j in range(n):
            here = row[j]
            if here == inf or not mask & (1 << j):
                continue
            for k in range(n):
                if mask & (1 << k):
                    continue
                grown = mask | (1 << k)
                candidate = here + matrix[j + 1][k + 1]
                if candidate < cost[grown][k]:
                    cost[grown][k] = candidate
                    parent[grown][k] = j
    full = size - 1
    last = min(range(n), key=lambda j: cost[full][j] + matrix[j + 1][0])
    order: list[int] = []
    mask, j = full, last
    while j != -1:
        order.append(j + 1)
        j, mask = parent[mask][j], mask ^ (1 << j)
    order.reverse()
    return order


def _nearest_neighbour_2opt(matrix: Matrix) -> list[int]:
    n = len(matrix) - 1
    left = set(range(1, n + 1))
    order, here = [], 0
    while left:
        here = min(left, key=lambda k: matrix[here][k])
        order.append(here)
        left.remove(here)
    improved = True
    while improved:
        improved = False
        for i in range(n - 1):
            for j in range(i + 1, n):
                candidate = order[:i] + order[i : j + 1][::-1] + order[j + 1 :]
                if tour_length(matrix, candidate) < tour_length(matrix, order) - 1e-9:
                    order, improved = candidate, True
    return order


def shortest_tour(matrix: Matrix) -> tuple[list[int], bool]:
    """
    The order of stops 1…n (index 0 is home) that makes the round trip shortest,
    and whether that order is proven best (exact) or only good (heuristic).
    """
    n = len(matrix) - 1
    if n <= 0:
        return [], True
    if n <= MAX_EXACT:
        return _held_karp(matrix), True
    return _nearest_neighbour_2opt(matrix), False


@dataclass(frozen=True)
class Leg(FromSource):
    """One drive: from a place to the next, on the road or estimated."""

    origin: str
    destination: str
    km: float
    minutes: float
    source: str = Source.ESTIMATE
    path: tuple[Point, Point] | None = None  # from and to, for the map
    shape: str = ""  # the road's path when the engine gave one


@dataclass(frozen=True)
class Route:
    """Home → stops → home, leg by leg."""

    legs: list[Leg]

    @property
    def total_km(self) -> float:
        return sum(leg.km for leg in self.legs)

    @property
    def total_minutes(self) -> float:
        return sum(leg.minutes for leg in self.legs)

    @property
    def is_estimate(self) -> bool:
        """Whether any leg is estimated (then so is the total)."""
        return any(leg.is_estimate for leg in self.legs)


def _leg(a_name: str, a: Point, b_name: str, b: Point, drive: Drive) -> Leg:
    return Leg(
        origin=a_name,
        destination=b_name,
        km=drive.km,
        minutes=drive.minutes,
        source=drive.source,
        path=(a, b),
        shape=drive.shape,
    )


def route_through(
    home: tuple[str, Point], stops: Sequence[tuple[str, Point]], road: Drives
) -> Route:
    """The legs of the round trip from home through ``stops`` in the order given."""
    places = [home, *stops, home]
    return Route(
        legs=[
            _leg(a_name, a, b_name, b, road.drive(a, b))
            for (a_name, a), (b_name, b) in itertools.pairwise(places)
        ]
    )


def road_matrix(home: Point, points: Sequence[Point], road: Drives) -> list[list[float]]:
    """Road kilometres between home (index 0) and every point (1…n)."""
    places = [home, *points]
    return [[road.drive(a, b).km for b in places] for a in places]


@dataclass(frozen=True)
class Suggestion:
    """The best order found (indices into the stops given) and whether it beats theirs."""

    order: list[int]
    exact: bool
    current_km: float
    best_km: float

    @property
    def saves_km(self) -> float:
        return self.current_km - self.best_km

    @property
    def is_better(self) -> bool:
        return self.saves_km > SAME_KM


def suggest_order(home: Point, points: Sequence[Point], road: Drives) -> Suggestion:
    """Compare the order given with the shortest round trip through the same points."""
    matrix = road_matrix(home, points, road)
    best, exact = shortest_tour(matrix)
    current = list(range(1, len(points) + 1))
    current_km, best_km = tour_length(matrix, current), tour_length(matrix, best)
    if best_km > current_km:  # the heuristic can lose to the coordinator's own order
        best, best_km = current, current_km
    return Suggestion(
        order=[i - 1 for i in best], exact=exact, current_km=current_km, best_km=best_km
    )
