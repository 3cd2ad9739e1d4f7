"""Route ordering: exact, checked against trying every order on random cases."""

import itertools
import random

import pytest

from planning.geo import Point, RoadModel, great_circle_km
from planning.routes import (
    MAX_EXACT,
    route_through,
    shortest_tour,
    suggest_order,
    tour_length,
)

ROAD = RoadModel(road_factor=1.3, speed_kmh=60)


def brute_force(matrix):
    n = len(matrix) - 1
    return min(tour_length(matrix, order) for order in itertools.permutations(range(1, n + 1)))


def random_matrix(rng, n, symmetric=True):
    points = [(rng.uniform(0, 50), rng.uniform(0, 50)) for _ in range(n + 1)]
    matrix = [[((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for b in points] for a in points]
    if not symmetric:
        matrix = [[d * rng.uniform(0.8, 1.2) for d in row] for row in matrix]
    return matrix


@pytest.mark.parametrize("seed", range(60))
def test_the_shortest_tour_matches_brute_force(seed):
    rng = random.Random(seed)
    matrix = random_matrix(rng, rng.randint(1, 7), symmetric=seed % 3 != 0)
    order, exact = shortest_tour(matrix)
    assert exact
    assert sorted(order) == list(range(1, len(matrix)))
    assert tour_length(matrix, order) == pytest.approx(brute_force(matrix))


def test_ten_stops_are_solved_exactly_and_beat_every_sampled_order():
    rng = random.Random(10)
    matrix = random_matrix(rng, 10)
    order, exact = shortest_tour(matrix)
    best = tour_length(matrix, order)
    assert exact
    for _ in range(2000):
        sample = rng.sample(range(1, 11), 10)
        assert best <= tour_length(matrix, sample) + 1e-9


def test_more_stops_than_the_exact_limit_get_a_good_order_and_say_so():
    matrix = random_matrix(random.Random(3), MAX_EXACT + 2)
    order, exact = shortest_tour(matrix)
    assert not exact
    assert sorted(order) == list(range(1, MAX_EXACT + 3))


def test_no_stops_is_an_empty_route():
    assert shortest_tour([[0.0]]) == ([], True)


def test_great_circle_distance_is_right():
    # Copenhagen to Aarhus is about 157 km as the crow flies.
    assert great_circle_km(Point(55.6761, 12.5683), Point(56.1629, 10.2039)) == pytest.approx(
        157, abs=3
    )


def test_a_route_has_a_leg_to_each_stop_and_one_home():
    home = ("Centre", Point(56.0, 9.0))
    stops = [("A", Point(56.1, 9.0)), ("B", Point(56.1, 9.2))]
    route = route_through(home, stops, ROAD)
    assert [(leg.origin, leg.destination) for leg in route.legs] == [
        ("Centre", "A"),
        ("A", "B"),
        ("B", "Centre"),
    ]
    assert route.total_km == pytest.approx(sum(leg.km for leg in route.legs))
    assert route.total_minutes == pytest.approx(route.total_km)  # 60 km/h


def test_a_zigzag_day_gets_a_shorter_suggestion():
    home = Point(56.0, 9.0)
    # Planned as near, far, near-ish, far: a zigzag.
    points = [Point(56.05, 9.0), Point(56.3, 9.0), Point(56.1, 9.0), Point(56.25, 9.0)]
    suggestion = suggest_order(home, points, ROAD)
    assert suggestion.is_better
    assert suggestion.best_km < suggestion.current_km
    assert sorted(suggestion.order) == [0, 1, 2, 3]


def test_an_order_that_is_already_shortest_is_left_alone():
    home = Point(56.0, 9.0)
    points = [Point(56.1, 9.0), Point(56.2, 9.0), Point(56.3, 9.0)]
    assert not suggest_order(home, points, ROAD).is_better
