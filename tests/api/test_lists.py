"""The API lists: who sees which rows, filters, bad filter values, pages, query counts."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from visits.choices import VisitStatus
from visits.models import HomeVisit, ReportReferral

LISTS = ["/api/v1/centres/", "/api/v1/stops/", "/api/v1/visits/", "/api/v1/home-visits/"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def populate(centre, rows: int) -> None:
    """`rows` of everything the lists show, with every relation they render."""
    service_type = f.make_service_type()
    for _ in range(rows):
        f.make_centre()
        stop = f.make_stop(centre)
        visit = f.make_visit(stop, status=VisitStatus.HELD)
        report = f.make_report(visit)
        ReportReferral.objects.create(report=report, service_type=service_type, count=2)
        home_visit = HomeVisit.objects.create(
            centre=centre, date=visit.date, duration_minutes=45, submission_id=uuid.uuid4()
        )
        home_visit.referrals.create(service_type=service_type, count=1)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_api_lists_do_not_grow_a_query_per_row(api, admin_user, centre, url):
    """
    Guards against N+1: a list costs the same with 3 rows as with 9. The queries:
    the token and its user, the role, the count, the page (plus one prefetch of
    referrals for home visits).
    """
    client = api(admin_user)
    populate(centre, 3)
    few = count_queries(client, url)
    populate(centre, 6)
    assert count_queries(client, url) == few
    assert few <= 5


@pytest.mark.parametrize("url", LISTS)
def test_a_coordinators_lists_cost_the_same_few_queries(api, coordinator, centre, url):
    """The centre restriction is a subquery, not a query per centre or per row."""
    client = api(coordinator)
    populate(centre, 2)
    few = count_queries(client, url)
    populate(centre, 5)
    assert count_queries(client, url) == few


def test_each_role_sees_only_its_centres(
    api, coordinator, other_coordinator, volunteer_user, leader, centre, other_centre
):
    assert ids(api(coordinator).get("/api/v1/centres/")) == [centre.pk]
    assert ids(api(other_coordinator).get("/api/v1/centres/")) == [other_centre.pk]
    assert ids(api(volunteer_user).get("/api/v1/centres/")) == [centre.pk]
    assert sorted(ids(api(leader).get("/api/v1/centres/"))) == sorted([centre.pk, other_centre.pk])


def test_a_user_without_a_role_sees_empty_lists(api, db, stop):
    client = api(f.make_user("nobody"))
    for url in LISTS:
        assert ids(client.get(url)) == []


def test_visits_filter_by_centre_stop_week_and_status(api, leader, stop, other_stop):
    in_week = f.make_visit(stop, date=dt.date(2026, 11, 24))
    cancelled = f.make_visit(stop, date=dt.date(2026, 11, 26), status=VisitStatus.CANCELLED)
    next_week = f.make_visit(stop, date=dt.date(2026, 12, 1))
    elsewhere = f.make_visit(other_stop, date=dt.date(2026, 11, 24))
    client = api(leader)
    week = ids(client.get("/api/v1/visits/?week=2026-W48"))
    assert week == [in_week.pk, elsewhere.pk, cancelled.pk]
    assert ids(client.get(f"/api/v1/visits/?centre={stop.centre_id}&week=2026-W49")) == [
        next_week.pk
    ]
    assert ids(client.get(f"/api/v1/visits/?stop={other_stop.pk}")) == [elsewhere.pk]
    assert ids(client.get("/api/v1/visits/?status=cancelled")) == [cancelled.pk]


def test_visits_come_in_date_order(api, leader, stop):
    later = f.make_visit(stop, date=dt.date(2026, 11, 26))
    earlier = f.make_visit(stop, date=dt.date(2026, 11, 24))
    assert ids(api(leader).get("/api/v1/visits/")) == [earlier.pk, later.pk]


def test_another_centres_id_in_a_filter_matches_nothing(api, coordinator, stop, other_stop):
    f.make_visit(stop)
    f.make_visit(other_stop)
    client = api(coordinator)
    assert ids(client.get(f"/api/v1/visits/?centre={other_stop.centre_id}")) == []
    assert ids(client.get(f"/api/v1/visits/?stop={other_stop.pk}")) == []
    assert ids(client.get(f"/api/v1/stops/?centre={other_stop.centre_id}")) == []


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("week=2026-48", "week", "er ikke en uge"),
        ("week=2026-W54", "week", "har ingen uge 54"),
        ("week=1999-W10", "week", "mellem 2000 og 2100"),
        ("centre=abc", "centre", "heltal"),
        ("centre=0", "centre", "større end eller lig 1"),
        ("centre=99999999999999999999999", "centre", "mindre end eller lig"),
        ("stop=1.5", "stop", "heltal"),
        ("status=done", "status", "gyldig valgmulighed"),
    ],
)
def test_bad_filter_values_are_a_400_that_says_why(
    api, coordinator, stop, query, parameter, message
):
    response = api(coordinator).get(f"/api/v1/visits/?{query}")
    assert response.status_code == 400
    assert message in " ".join(response.json()[parameter])


def test_lists_are_paginated(api, leader, stop):
    for day in range(3):
        f.make_visit(stop, date=dt.date(2026, 11, 23) + dt.timedelta(days=day))
    data = api(leader).get("/api/v1/visits/?page_size=2").json()
    assert data["count"] == 3
    assert len(data["results"]) == 2
    assert data["next"].endswith("page=2&page_size=2")
    assert len(api(leader).get("/api/v1/visits/?page=2&page_size=2").json()["results"]) == 1


@pytest.mark.parametrize("page", ["2", "99999999999999999999999"])
def test_a_page_past_the_last_is_a_404(api, leader, stop, page):
    f.make_visit(stop)
    response = api(leader).get(f"/api/v1/visits/?page={page}")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=-1", "page=0", "page=", "page_size=0", "page_size=201", "page_size=x"],
)
def test_a_malformed_page_or_page_size_is_a_400(api, leader, stop, query):
    response = api(leader).get(f"/api/v1/visits/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_objects_outside_reach_are_404(api, coordinator, other_stop, other_visit):
    client = api(coordinator)
    assert client.get(f"/api/v1/centres/{other_stop.centre_id}/").status_code == 404
    assert client.get(f"/api/v1/stops/{other_stop.pk}/").status_code == 404
    assert client.get(f"/api/v1/visits/{other_visit.pk}/").status_code == 404


@pytest.mark.parametrize("bad_id", ["abc", "99999999999999999999999", "-1", "1.5"])
def test_malformed_ids_in_the_path_are_a_404_in_json(api, coordinator, bad_id):
    response = api(coordinator).get(f"/api/v1/visits/{bad_id}/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_visit_shows_its_stop_and_report_version(api, volunteer_user, visit):
    f.make_report(visit)
    data = api(volunteer_user).get(f"/api/v1/visits/{visit.pk}/").json()
    assert data["community"] == "Redsted"
    assert data["centre"] == visit.stop.centre_id
    assert data["report_version"] == 1
