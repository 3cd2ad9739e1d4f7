"""GET /api/v1/reach/: the dashboard's figures for programs, read through the same selectors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.reach.world import build_world

URL = "/api/v1/reach/"
WEEK = {"week": "2025-W48"}


@pytest.fixture
def world(db):
    return build_world()


def test_leadership_gets_the_national_rows_and_total(api, leader, world):
    response = api(leader).get(URL, WEEK)
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {
        "kind": "week",
        "key": "2025-W48",
        "start": "2025-11-24",
        "end": "2025-11-30",
        "elapsed_days": None,  # the week is over: its figures are whole
    }
    assert data["level"] == "national"
    assert data["place"] == "Hele landet"
    rows = {row["name"]: row for row in data["rows"]}
    assert sorted(rows) == ["Region Midtjylland", "Region Nordjylland"]
    total = data["total"]
    assert (total["people_met"], total["held"], total["target"]) == (37, 5, 189)
    north = rows["Region Nordjylland"]
    assert (north["people_met"], north["kind"]) == (17, "region")
    # Referrals per service type, zeros included, in the service types' order.
    assert [r["count"] for r in total["referrals"]] == [2, 4]


def test_a_centre_gives_its_stops(api, leader, world):
    data = api(leader).get(URL, {**WEEK, "centre": world.mors.pk}).json()
    assert data["level"] == "centre"
    assert [row["name"] for row in data["rows"]] == ["Redsted", "Karby", "Vils"]
    assert data["total"]["people_met"] == 15
    assert data["rows"][1]["completeness"] == 0.0  # Karby: held, no report


def test_completeness_counts_past_cafes_nobody_marked_held(api, leader, world):
    """The dashboard's definition: reports / (held + past and still planned)."""
    total = api(leader).get(URL, WEEK).json()["total"]
    assert (total["reported"], total["reports_due"]) == (4, 6)
    assert total["completeness"] == pytest.approx(4 / 6)
    brovst = api(leader).get(URL, {**WEEK, "centre": world.brovst.pk}).json()["rows"][0]
    assert (brovst["name"], brovst["open_past"], brovst["completeness"]) == ("Skovsgaard", 1, 0.5)


def test_the_figures_are_the_dashboards(api, client, leader, world):
    client.force_login(leader)
    page = client.get("/reach/", {**WEEK, "region": world.north.pk}).context["data"]
    data = api(leader).get(URL, {**WEEK, "region": world.north.pk}).json()
    assert [(r["name"], r["people_met"], r["meals"]) for r in data["rows"]] == [
        (r.name, r.people_met, r.meals) for r in page.rows
    ]


def test_a_coordinator_sees_only_their_centres(api, world):
    coordinator = f.make_coordinator(world.mors, "mors-coordinator")
    data = api(coordinator).get(URL, WEEK).json()
    assert data["place"] == "Dine centersteder"
    assert data["total"]["people_met"] == 15
    assert api(coordinator).get(URL, {**WEEK, "centre": world.skjern.pk}).status_code == 404


def test_volunteers_and_anonymous_callers_get_nothing(api, world):
    volunteer = f.make_user("volunteer")
    f.make_volunteer(world.mors, user=volunteer)
    assert api(volunteer).get(URL, WEEK).status_code == 404
    assert api().get(URL, WEEK).status_code == 401


@pytest.mark.parametrize(
    "params",
    [{"week": "2025-48"}, {"from": "2026-02-01", "to": "2026-01-01"}, {"centre": "x"}],
)
def test_malformed_input_is_a_400_with_a_danish_message(api, leader, world, params):
    response = api(leader).get(URL, params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_an_unknown_funder_is_a_404(api, leader, world):
    assert api(leader).get(URL, {**WEEK, "funder": 999999}).status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_data(api, leader, world):
    """Guards the one-query-per-level rule: more centres and stops, the same queries."""
    client = api(leader)
    client.get(URL, WEEK)  # the token and the role are looked up once either way
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {**WEEK, "region": world.north.pk})
    for _ in range(4):
        centre = f.make_centre(region=world.north)
        f.make_visit(f.make_stop(centre), date=world.a.date, status="held")
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {**WEEK, "region": world.north.pk})
    assert len(many) == len(few)


@pytest.fixture
def karby_new(world):
    """Karby gets a held café with 4 new people: Mors's new people are Redsted 2, Karby 4."""
    visit = f.make_visit(world.karby, date=world.b.date, status="held")
    f.make_report(visit, people_met=7, new_people=4, meals=7)
    return visit


def test_the_api_applies_the_same_suppression(api, leader, world, karby_new):
    params = {**WEEK, "centre": world.mors.pk, "publication": "1"}
    data = api(leader).get("/api/v1/reach/", params).json()
    rows = {row["name"]: row for row in data["rows"]}
    assert (rows["Redsted"]["new_people"], rows["Redsted"]["suppressed"]["new_people"]) == (
        None,
        "<3",
    )
    assert (rows["Karby"]["new_people"], rows["Karby"]["suppressed"]["new_people"]) == (None, "x")
    assert rows["Karby"]["people_met"] == 7
    assert rows["Redsted"]["people_met"] == 15  # large counts stay
    debt = next(r for r in rows["Redsted"]["referrals"] if r["service_type"] == world.debt.pk)
    assert (debt["count"], debt["suppressed"]) == (None, "<3")
    assert data["total"]["new_people"] == 6
    plain = api(leader).get("/api/v1/reach/", {**WEEK, "centre": world.mors.pk}).json()
    assert {row["name"]: row["new_people"] for row in plain["rows"]}["Redsted"] == 2
    assert all(row["suppressed"] == {} for row in plain["rows"])


def test_the_api_documents_the_publication_parameter(api, leader):
    schema = api(leader).get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/reach/"]["get"]["parameters"]
    publication = next(p for p in parameters if p["name"] == "publication")
    assert "next-smallest" in publication["description"]
