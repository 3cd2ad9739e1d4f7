"""The roster page: stops in order, reorder, add and edit stops and patterns."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stops.models import Stop
from tests import factories as f
from tests.planning.helpers import on
from visits.models import Visit, VisitPattern


def test_the_roster_lists_stops_with_patterns_and_next_visit(client, coordinator, centre, stop):
    f.make_pattern(stop, weekday=2, every_n_weeks=2)
    f.make_visit(stop, date=on(2))
    client.force_login(coordinator)
    text = client.get(f"/centres/{centre.pk}/roster/").text.lower()
    assert "redsted" in text and "tirsdag 10:00–12:00" in text and "hver 2. uge" in text
    assert on(2).strftime("%d").lstrip("0") in text
    assert "aktiv" in text


def _roster_queries(client, centre):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/centres/{centre.pk}/roster/").status_code == 200
    return len(queries)


def test_the_roster_costs_the_same_queries_for_few_or_many_stops(client, coordinator, centre):
    """Guards against N+1 queries on the roster: patterns and next visits come in bulk."""
    client.force_login(coordinator)
    for _ in range(2):
        stop = f.make_stop(centre)
        f.make_pattern(stop)
        f.make_visit(stop, date=on(2))
    few = _roster_queries(client, centre)
    for _ in range(12):
        stop = f.make_stop(centre)
        f.make_pattern(stop)
        f.make_pattern(stop, weekday=4)
        f.make_visit(stop, date=on(3))
    assert _roster_queries(client, centre) == few


def test_moving_a_stop_down_with_htmx_returns_the_table(client, coordinator, centre):
    a, b = f.make_stop(centre), f.make_stop(centre)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/roster/move/",
        {"stop": a.pk, "direction": "down"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response.text.lstrip().startswith(
        '<div id="roster-table"'
    )
    assert list(Stop.objects.filter(centre=centre).order_by("roster_position")) == [b, a]


def test_a_bad_move_is_a_400(client, coordinator, centre, stop):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/roster/move/", {"stop": stop.pk, "direction": "sideways"}
    )
    assert response.status_code == 400


def test_a_coordinator_adds_a_stop(client, coordinator, centre, stop):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/new/",
        {
            "community": "Øster Assels",
            "venue_name": "Forsamlingshuset",
            "venue_kind": "village_hall",
            "coverage": "good",
            "latitude": "56.7",
            "longitude": "8.7",
        },
    )
    assert response.status_code == 302
    new = Stop.objects.get(community="Øster Assels")
    assert (new.centre, new.roster_position, new.slug) == (centre, 2, "oester-assels")


def test_a_stop_with_a_latitude_out_of_range_is_refused(client, coordinator, centre):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/new/",
        {
            "community": "X",
            "venue_name": "Y",
            "venue_kind": "other",
            "coverage": "good",
            "latitude": "123",
        },
    )
    assert response.status_code == 400
    assert not Stop.objects.filter(community="X").exists()


def test_a_coordinator_edits_a_stop(client, coordinator, centre, stop):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/",
        {
            "community": "Redsted",
            "venue_name": "Den nye hal",
            "venue_kind": "other",
            "coverage": "weak",
            "slug": "redsted",
        },
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.venue_name == "Den nye hal"


def test_deactivating_a_stop_from_its_page(client, coordinator, centre, stop):
    f.make_visit(stop, date=on(2))
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/active/", {"active": "0"}, follow=True
    )
    assert "1 kommende besøg blev aflyst" in response.text
    stop.refresh_from_db()
    assert not stop.active
    assert client.get(f"/s/{stop.slug}/").status_code == 404


def test_putting_a_stop_back_brings_its_coming_visits_back_and_says_how_many(
    client, coordinator, centre, stop
):
    coming = f.make_visit(stop, date=on(2))
    storm = f.make_visit(stop, date=on(4), status="cancelled", cancel_reason="Storm")
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/stops/{stop.pk}/active/"
    client.post(url, {"active": "0"})

    response = client.post(url, {"active": "1"}, follow=True)

    assert "Redsted er på stoplisten igen: 1 kommende besøg" in response.text
    assert "1 kommende besøg, der blev aflyst i hånden, er stadig aflyst" in response.text
    coming.refresh_from_db()
    storm.refresh_from_db()
    assert (coming.status, storm.status) == ("planned", "cancelled")
    week = client.get(f"/centres/{centre.pk}/week/?week={on(2):%G-W%V}")
    assert week.text.count("Aflyst") == 1 and "Storm" in week.text
    page = client.get(f"/s/{stop.slug}/")
    assert page.status_code == 200
    assert page.text.count("Aflyst") == 1  # the storm, not the visit that came back


def test_a_coordinator_adds_a_pattern_and_the_weeks_are_planned(client, coordinator, centre, stop):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/",
        {
            "weekday": 3,
            "start_time": "13:30",
            "duration_minutes": 90,
            "every_n_weeks": 1,
            "valid_from": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert "Mønsteret er gemt" in response.text
    assert Visit.objects.filter(stop=stop).count() >= 8


def test_an_overlapping_pattern_is_shown_as_an_error(client, coordinator, centre, stop):
    f.make_pattern(stop, weekday=3, valid_from=timezone.localdate())
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/stops/{stop.pk}/patterns/new/",
        {
            "weekday": 3,
            "start_time": "13:30",
            "duration_minutes": 90,
            "every_n_weeks": 1,
            "valid_from": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "overlappende" in response.text or "overlap" in response.text
    assert VisitPattern.objects.count() == 1


def test_a_pattern_of_another_centres_stop_is_404(client, coordinator, centre, other_stop):
    pattern = f.make_pattern(other_stop)
    client.force_login(coordinator)
    url = f"/centres/{centre.pk}/stops/{other_stop.pk}/patterns/{pattern.pk}/"
    assert client.get(url).status_code == 404
