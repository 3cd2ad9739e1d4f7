"""The conflict rules, on plain data: no database needed."""

import datetime as dt

from planning.conflicts import (
    Kind,
    Slot,
    all_warnings,
    holidays,
    understaffed,
    van_clashes,
    volunteer_overlaps,
)
from planning.geo import Point, RoadModel

DAY = dt.date(2026, 11, 24)
ROAD = RoadModel(road_factor=1.3, speed_kmh=60)
HOME = Point(56.0, 9.0)


def slot(visit_id, start, end, *, people=(), day=DAY, point=HOME, centre=1, **kw):
    return Slot(
        visit_id=visit_id,
        centre_id=centre,
        label=f"Stop {visit_id}",
        date=day,
        start=dt.time(*start),
        end=dt.time(*end),
        point=point,
        volunteers=tuple(people),
        **kw,
    )


ANNA = (7, "Anna")
BO = (8, "Bo")


def test_a_volunteer_on_two_overlapping_visits_is_warned_on_both():
    warnings = volunteer_overlaps(
        [slot(1, (10,), (12,), people=[ANNA]), slot(2, (11,), (13,), people=[ANNA])]
    )
    assert {(w.visit_id, w.other) for w in warnings} == {(1, 2), (2, 1)}
    assert "Anna" in warnings[0].message


def test_back_to_back_visits_do_not_overlap():
    assert (
        volunteer_overlaps(
            [slot(1, (10,), (12,), people=[ANNA]), slot(2, (12,), (14,), people=[ANNA])]
        )
        == []
    )


def test_visits_on_different_days_do_not_overlap():
    later = DAY + dt.timedelta(days=1)
    assert (
        volunteer_overlaps(
            [slot(1, (10,), (12,), people=[ANNA]), slot(2, (10,), (12,), people=[ANNA], day=later)]
        )
        == []
    )


def test_a_cancelled_visit_clashes_with_nothing():
    slots = [
        slot(1, (10,), (12,), people=[ANNA]),
        slot(2, (10,), (12,), people=[ANNA], cancelled=True),
    ]
    assert volunteer_overlaps(slots) == []
    assert van_clashes(slots, ROAD) == []


def test_different_volunteers_at_the_same_time_are_fine():
    assert (
        volunteer_overlaps(
            [slot(1, (10,), (12,), people=[ANNA]), slot(2, (10,), (12,), people=[BO])]
        )
        == []
    )


def test_the_van_cannot_be_at_two_stops_at_once():
    warnings = van_clashes(
        [slot(1, (10,), (12,)), slot(2, (11, 30), (13,), point=Point(56.2, 9.0))], ROAD
    )
    assert {w.kind for w in warnings} == {Kind.VAN_OVERLAP}
    assert {w.visit_id for w in warnings} == {1, 2}


def test_overlap_is_found_even_when_a_visit_lies_between():
    slots = [slot(1, (10,), (14,)), slot(2, (10, 30), (11,)), slot(3, (12,), (13,))]
    pairs = {(w.visit_id, w.other) for w in van_clashes(slots, ROAD) if w.kind == Kind.VAN_OVERLAP}
    assert (1, 3) in pairs and (1, 2) in pairs


def test_a_drive_that_does_not_fit_between_two_stops_is_warned():
    # 0.5° of latitude is ~55.6 km, ×1.3 = ~72 km road: ~72 minutes at 60 km/h.
    far = Point(56.5, 9.0)
    warnings = van_clashes([slot(1, (10,), (12,)), slot(2, (12, 30), (14,), point=far)], ROAD)
    assert [w.kind for w in warnings] == [Kind.VAN_DRIVE, Kind.VAN_DRIVE]
    assert "72" in warnings[0].message


def test_a_drive_that_fits_is_not_warned():
    far = Point(56.5, 9.0)
    assert van_clashes([slot(1, (10,), (12,)), slot(2, (13, 30), (15,), point=far)], ROAD) == []


def test_the_drive_is_not_checked_without_coordinates():
    assert van_clashes([slot(1, (10,), (12,)), slot(2, (12,), (14,), point=None)], ROAD) == []


def test_two_centres_each_have_their_own_van():
    assert van_clashes([slot(1, (10,), (12,)), slot(2, (10,), (12,), centre=2)], ROAD) == []


def test_fewer_than_two_people_is_understaffed():
    warnings = understaffed(
        [slot(1, (10,), (12,), people=[ANNA]), slot(2, (10,), (12,), people=[ANNA, BO])]
    )
    assert [w.visit_id for w in warnings] == [1]


def test_held_and_cancelled_visits_are_not_understaffed():
    slots = [slot(1, (10,), (12,), planned=False), slot(2, (10,), (12,), cancelled=True)]
    assert understaffed(slots) == []


def test_a_visit_on_a_public_holiday_is_warned():
    warnings = holidays([slot(1, (10,), (12,), holiday_name="Juledag"), slot(2, (10,), (12,))])
    assert [(w.visit_id, w.kind) for w in warnings] == [(1, Kind.HOLIDAY)]
    assert "Juledag" in warnings[0].message


def test_all_warnings_groups_by_visit():
    found = all_warnings(
        [slot(1, (10,), (12,), people=[ANNA, BO]), slot(2, (11,), (13,), people=[ANNA])], ROAD
    )
    kinds = {visit: {w.kind for w in ws} for visit, ws in found.items()}
    assert kinds[1] == {Kind.VOLUNTEER_OVERLAP, Kind.VAN_OVERLAP}
    assert kinds[2] == {Kind.VOLUNTEER_OVERLAP, Kind.VAN_OVERLAP, Kind.UNDERSTAFFED}
