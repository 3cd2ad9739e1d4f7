"""A centre's vans: which van drives a visit, conflicts per van, the day route per van."""

import datetime as dt

import pytest

from planning.conflicts import Kind, Slot, van_clashes
from planning.geo import Point, RoadModel
from stops.models import Van
from tests import factories as f
from tests.planning.helpers import on
from visits.models import Visit
from visits.services import visits_generate

T = dt.time
ROAD = RoadModel(road_factor=1.3, speed_kmh=60)


@pytest.fixture
def two_vans(centre):
    return Van.objects.create(centre=centre, name="Bussen"), Van.objects.create(
        centre=centre, name="Lille bil"
    )


def slot(visit_id, start, end, van_id):
    return Slot(
        visit_id=visit_id,
        centre_id=1,
        label=f"Stop {visit_id}",
        date=dt.date(2026, 11, 24),
        start=T(*start),
        end=T(*end),
        point=Point(56.0, 9.0),
        van_id=van_id,
    )


def test_one_van_on_two_overlapping_visits_is_warned():
    warnings = van_clashes([slot(1, (10,), (12,), 5), slot(2, (11,), (13,), 5)], ROAD)
    assert {(w.kind, w.visit_id) for w in warnings} == {
        (Kind.VAN_OVERLAP, 1),
        (Kind.VAN_OVERLAP, 2),
    }


def test_two_vans_of_one_centre_may_be_out_at_the_same_time():
    assert van_clashes([slot(1, (10,), (12,), 5), slot(2, (11,), (13,), 6)], ROAD) == []


def test_a_far_drive_is_checked_per_van_only():
    far = Slot(**{**slot(2, (12,), (14,), 6).__dict__, "point": Point(56.5, 9.0)})
    assert van_clashes([slot(1, (10,), (12,), 5), far], ROAD) == []


def test_generated_visits_are_driven_by_the_centres_only_van(centre, stop):
    van = Van.objects.create(centre=centre, name="Bilen")
    f.make_pattern(stop, weekday=2, start_time=T(10), duration_minutes=90)
    visits_generate(weeks=1, today=dt.date(2026, 11, 23))
    assert set(Visit.objects.values_list("van", flat=True)) == {van.pk}


def test_with_two_vans_the_coordinator_chooses(centre, stop, two_vans):
    f.make_pattern(stop, weekday=2, start_time=T(10), duration_minutes=90)
    visits_generate(weeks=1, today=dt.date(2026, 11, 23))
    assert set(Visit.objects.values_list("van", flat=True)) == {None}


def test_the_coordinator_puts_a_visit_in_another_van(client, coordinator, centre, stop, two_vans):
    visit = f.make_visit(stop, date=on(2), van=two_vans[0])
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/van/", {"van": two_vans[1].pk, "version": 1}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.van == two_vans[1] and visit.version == 2


def test_a_van_of_another_centre_is_404_and_nothing_changes(
    client, coordinator, centre, stop, other_centre, two_vans
):
    visit = f.make_visit(stop, date=on(2), van=two_vans[0])
    theirs = Van.objects.create(centre=other_centre, name="Skjerns bil")
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/van/", {"van": theirs.pk, "version": 1}
    )
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.van == two_vans[0] and visit.version == 1


def test_a_stale_van_change_is_a_409(client, coordinator, centre, stop, two_vans):
    visit = f.make_visit(stop, date=on(2), van=two_vans[0], version=3)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/visits/{visit.pk}/van/", {"van": two_vans[1].pk, "version": 2}
    )
    assert response.status_code == 409
    assert Visit.objects.get(pk=visit.pk).van == two_vans[0]


def test_the_week_warns_of_one_van_at_two_places_not_of_two_vans(
    client, coordinator, centre, two_vans
):
    day = on(2)
    a, b, c = (f.make_stop(centre, community=name) for name in ("Alby", "Bøgeby", "Cirkby"))
    f.make_visit(a, date=day, start_time=T(10), end_time=T(12), van=two_vans[0])
    f.make_visit(b, date=day, start_time=T(11), end_time=T(13), van=two_vans[0])
    f.make_visit(c, date=day, start_time=T(11), end_time=T(13), van=two_vans[1])
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/week/?week={day:%G-W%V}").text
    assert "Bilen er også i Bøgeby" in text and "Bilen er også i Alby" in text
    assert "Bilen er også i Cirkby" not in text


def test_the_route_is_the_chosen_vans_day(client, coordinator, centre, two_vans):
    day = on(2)
    a, b = f.make_stop(centre, community="Alby"), f.make_stop(centre, community="Bøgeby")
    f.make_visit(a, date=day, van=two_vans[0])
    f.make_visit(b, date=day, van=two_vans[1])
    client.force_login(coordinator)
    first = client.get(f"/centres/{centre.pk}/route/{day}/").text
    second = client.get(f"/centres/{centre.pk}/route/{day}/?van={two_vans[1].pk}").text
    assert "Alby" in first and "Bøgeby" not in first.split("van-tabs")[-1]
    assert "Bøgeby" in second and "Alby" not in second


def test_the_route_of_another_centres_van_is_404(client, coordinator, centre, other_centre):
    theirs = Van.objects.create(centre=other_centre, name="Skjerns bil")
    client.force_login(coordinator)
    response = client.get(f"/centres/{centre.pk}/route/{on(2)}/?van={theirs.pk}")
    assert response.status_code == 404
    assert client.get(f"/centres/{centre.pk}/route/{on(2)}/?van=x").status_code == 404


def test_applying_an_order_reorders_only_that_vans_visits(client, coordinator, centre, two_vans):
    day = on(3)
    far = f.make_stop(centre, community="Fjernby", latitude=56.3, longitude=9.0)
    near = f.make_stop(centre, community="Nærby", latitude=56.05, longitude=9.0)
    other = f.make_stop(centre, community="Andenby", latitude=56.2, longitude=9.0)
    v_far = f.make_visit(far, date=day, start_time=T(9), end_time=T(10), van=two_vans[0])
    v_near = f.make_visit(near, date=day, start_time=T(11), end_time=T(12), van=two_vans[0])
    v_other = f.make_visit(other, date=day, start_time=T(8), end_time=T(9), van=two_vans[1])
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/route/{day}/",
        {"order": f"{v_near.pk}:1,{v_far.pk}:1", "van": two_vans[0].pk},
    )
    assert response.status_code == 302 and f"van={two_vans[0].pk}" in response["Location"]
    assert Visit.objects.get(pk=v_near.pk).start_time == T(9)
    assert Visit.objects.get(pk=v_other.pk).start_time == T(8)
    # The other van's visit is not part of this van's day.
    response = client.post(
        f"/centres/{centre.pk}/route/{day}/",
        {"order": f"{v_other.pk}:1,{v_far.pk}:2", "van": two_vans[0].pk},
    )
    assert response.status_code == 409


def test_the_editor_offers_the_centres_vans_only(client, coordinator, centre, stop, other_centre):
    mine = Van.objects.create(centre=centre, name="Bussen")
    Van.objects.create(centre=other_centre, name="Skjerns bil")
    visit = f.make_visit(stop, date=on(2), van=mine)
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/visits/{visit.pk}/").text
    assert "Køres af" in text and "Bussen (3 pladser)" in text and "Skjerns bil" not in text
