"""The dashboard page: figures on the page, levels, bad input and who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stops.models import Funder
from tests import factories as f

URL = "/reach/"
WEEK = {"week": "2025-W48"}


def test_anonymous_visitors_are_asked_to_log_in(client, world):
    response = client.get(URL, WEEK)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_leadership_sees_the_national_figures(leader_client, world):
    response = leader_client.get(URL, WEEK)
    assert response.status_code == 200
    data = response.context["data"]
    assert (data.total.people_met, data.total.held, data.total.target) == (37, 5, 189)
    assert "Hele landet" in response.text
    assert "uge 48, 2025" in response.text
    assert "Region Nordjylland" in response.text
    assert 'data-row="total"' in response.text
    assert data.to_fix_count == 2
    assert data.since_start.people_met == 137
    assert data.year_earlier.people_met == 0


def test_the_page_shows_the_figures_it_computed(leader_client, world):
    response = leader_client.get(URL, WEEK)
    html = response.text
    # The total row's people met, the region's, and the target bar's share.
    assert '<td class="num strong" data-col="people_met">37</td>' in html
    assert '<td class="num strong" data-col="people_met">17</td>' in html
    assert "20 %" in html  # 37 of 189 is 20 %
    assert "<svg" in html and 'class="line s-people"' in html


def test_leadership_drills_down_to_a_region_and_a_centre(leader_client, world):
    region = leader_client.get(URL, {**WEEK, "region": world.north.pk})
    assert [r.name for r in region.context["data"].rows] == ["Brovst", "Mors"]
    assert f"?week=2025-W48&amp;centre={world.mors.pk}" in region.text
    centre = leader_client.get(URL, {**WEEK, "centre": world.mors.pk})
    assert [r.name for r in centre.context["data"].rows] == ["Redsted", "Karby", "Vils"]
    assert centre.context["data"].total.people_met == 15


def test_the_stop_level_can_be_shown_for_publication(leader_client, world):
    centre = leader_client.get(URL, {**WEEK, "centre": world.brovst.pk, "publication": "1"})
    assert '<td class="num strong" data-col="people_met">&lt;3</td>' in centre.text


def test_a_funder_filter_narrows_the_figures(leader_client, world, grant):
    response = leader_client.get(URL, {**WEEK, "funder": grant.pk})
    assert response.context["data"].total.people_met == 20
    assert "Landsbyfonden" in response.text


@pytest.mark.parametrize(
    ("params", "people"),
    [
        ({"month": "2025-11"}, 137),  # W47's 100 and the week's 37
        ({"from": "2025-11-01", "to": "2025-11-30"}, 137),
        ({"quarter": "2025-Q4"}, 187),  # and 1 December's 50
        ({"year": "2025"}, 187),
        ({"from": "2025-11-24", "to": "2025-11-26"}, 30),  # a, c and g only
    ],
)
def test_every_kind_of_period_counts_its_own_days(leader_client, world, params, people):
    response = leader_client.get(URL, params)
    assert response.status_code == 200
    assert response.context["data"].total.people_met == people


def test_an_admin_sees_everything(client, admin_user, world):
    client.force_login(admin_user)
    response = client.get(URL, WEEK)
    assert response.status_code == 200
    assert response.context["data"].total.people_met == 37


@pytest.fixture
def mors_coordinator(world):
    return f.make_coordinator(world.mors, "alice")


def test_a_coordinator_sees_only_their_centres_labelled_as_such(client, world, mors_coordinator):
    client.force_login(mors_coordinator)
    response = client.get(URL, WEEK)
    assert response.status_code == 200
    assert response.context["data"].total.people_met == 15
    assert "Dine centersteder" in response.text
    assert "Region Midtjylland" not in response.text
    own = client.get(URL, {**WEEK, "centre": world.mors.pk})
    assert own.status_code == 200


@pytest.mark.parametrize("param", ["region", "centre", "funder"])
def test_a_coordinator_gets_404_outside_their_reach(client, world, mors_coordinator, param):
    client.force_login(mors_coordinator)
    only_skjern = Funder.objects.create(name="Kun Skjern", start_date=world.a.date)
    only_skjern.centres.add(world.skjern)
    value = {"region": world.mid.pk, "centre": world.skjern.pk, "funder": only_skjern.pk}[param]
    assert client.get(URL, {**WEEK, param: value}).status_code == 404


def test_a_coordinator_may_filter_by_a_funder_of_their_stops(
    client, world, mors_coordinator, grant
):
    client.force_login(mors_coordinator)
    response = client.get(URL, {**WEEK, "funder": grant.pk})
    assert response.status_code == 200
    assert response.context["data"].total.planned == 2  # Karby's two cafés only


def test_volunteers_and_users_without_role_get_404(
    client, world, volunteer_user, django_user_model
):
    client.force_login(volunteer_user)
    assert client.get(URL, WEEK).status_code == 404
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get(URL, WEEK).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"week": "2025-48"}, "er ikke en uge"),
        ({"week": "2025-W99"}, "har ingen uge 99"),
        ({"month": "2025-13"}, "er ikke en måned"),
        ({"from": "2025-12-01", "to": "2025-11-01"}, "ligger efter den sidste dag"),
        ({"from": "2000-01-01", "to": "2025-12-31"}, "højst være ti år"),
        ({"week": "2025-W48", "year": "2025"}, "Vælg én periode"),
        ({"region": "abc"}, "er ikke et gyldigt id"),
        ({"centre": "1; DROP TABLE"}, "er ikke et gyldigt id"),
        # str.isdigit() is true for these; int("²") was a 500, "٣" was read as 3.
        ({"centre": "²"}, "er ikke et gyldigt id"),
        ({"region": "٣"}, "er ikke et gyldigt id"),
        ({"year": "²"}, "er ikke et år"),
        ({"year": "٢٠٢٥"}, "er ikke et år"),
        ({"month": "٢٠٢٥-11"}, "er ikke en måned"),
        ({"quarter": "٢٠٢٥-Q4"}, "er ikke et kvartal"),
        ({"week": "٢٠٢٥-W48"}, "er ikke en uge"),
    ],
)
def test_malformed_input_gets_400_with_a_danish_message(leader_client, world, params, message):
    response = leader_client.get(URL, params)
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize("param", ["region", "centre", "funder"])
def test_unknown_ids_get_404(leader_client, world, param):
    assert leader_client.get(URL, {**WEEK, param: "999999"}).status_code == 404


def test_a_centre_with_a_region_it_is_not_in_gets_404(leader_client, world):
    params = {**WEEK, "centre": world.mors.pk, "region": world.mid.pk}
    assert leader_client.get(URL, params).status_code == 404


def test_an_empty_period_is_a_valid_page(leader_client, world):
    response = leader_client.get(URL, {"week": "2030-W01"})
    assert response.status_code == 200
    assert response.context["data"].total.people_met == 0


def test_leadership_lands_on_the_dashboard(leader_client):
    response = leader_client.get("/")
    assert response.status_code == 302
    assert response.url == "/reach/"


@pytest.mark.parametrize("who", ["leader", "admin_user", "coordinator"])
def test_the_navigation_links_to_reach_for_those_who_may_see_it(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert 'href="/reach/"' in client.get("/reach/").text


def test_volunteers_have_no_reach_link(client, volunteer_user):
    client.force_login(volunteer_user)
    assert 'href="/reach/"' not in client.get("/").text


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def _grow(world, extra: int) -> None:
    """More centres, stops, cafés, reports, referrals and volunteers in the same week."""
    for n in range(extra):
        centre = f.make_centre(region=world.north if n % 2 else world.mid)
        stop = f.make_stop(centre)
        volunteer = f.make_volunteer(centre)
        for weekday in range(3):
            visit = f.make_visit(stop, date=world.a.date.replace(day=24 + weekday), status="held")
            report = f.make_report(visit, people_met=5)
            report.referrals.create(service_type=world.debt, count=1)
            f.make_assignment(visit, volunteer)
        world.mors.home_visits.create(date=world.a.date, duration_minutes=30)


@pytest.mark.parametrize("level", ["national", "region", "centre", "funder", "range"])
def test_the_number_of_queries_does_not_grow_with_the_data(leader_client, world, grant, level):
    """
    Guards against N+1: every figure comes from a fixed set of aggregate queries.
    At most: session, user, role; the centre/region/funder asked for; the centre and
    stop ids counted (and the funder's stops and centres); service types; the rows
    (one query); distinct volunteers for the total; home visits (centre level);
    the target basis; the year-earlier totals; the 52-week trend; the totals since
    the start; completeness per centre; the list to fix; the funders for the menu.
    """
    params = {
        "national": WEEK,
        "region": {**WEEK, "region": world.north.pk},
        "centre": {**WEEK, "centre": world.mors.pk},
        "funder": {**WEEK, "funder": grant.pk},
        "range": {"from": "2025-01-01", "to": "2025-12-31"},
    }[level]
    small = _count_queries(leader_client, params)
    _grow(world, 12)
    f.make_stop(world.mors)  # one more stop row at the centre level
    assert _count_queries(leader_client, params) == small
    assert small <= 18


def test_a_funder_covering_nothing_gives_an_empty_page(leader_client, world):
    empty = Funder.objects.create(name="Tom pulje", start_date=world.a.date)
    response = leader_client.get(URL, {**WEEK, "funder": empty.pk})
    assert response.status_code == 200
    assert response.context["data"].total.people_met == 0
    assert response.context["data"].rows == []
    export = leader_client.get("/reach/export.csv", {**WEEK, "funder": empty.pk})
    assert export.status_code == 200


def test_a_coordinator_of_a_centre_without_stops_sees_zeros(client, db):
    centre = f.make_centre(name="Ny")
    client.force_login(f.make_coordinator(centre, "nina"))
    response = client.get(URL, WEEK)
    assert response.status_code == 200
    assert response.context["data"].total.planned == 0
    assert client.get(URL, {**WEEK, "centre": centre.pk}).status_code == 200


def test_reports_in_counts_a_past_cafe_without_status_as_missing(leader_client, world):
    """Café e (Skovsgaard, 24/11) was never marked held: it is due a report, not ignored."""
    response = leader_client.get(URL, WEEK)
    total = response.context["data"].total
    assert (total.reported, total.reports_due) == (4, 6)
    assert "4 af 6 tidligere caféer (afholdte eller uden status)" in response.text
    assert '<td class="num">67 %</td>' in response.text  # the total row: 4 of 6, not 4 of 5
    completeness = response.context["data"].completeness
    assert [(c.centre_name, round(c.completeness * 100)) for c in completeness] == [
        ("Brovst", 50),
        ("Mors", 67),
        ("Skjern", 100),
    ]


def test_the_two_counts_of_reports_not_in_read_differently(leader_client, world):
    """Per centre the held cafés without a report; above the list, every café to fix."""
    danish = leader_client.get(URL, WEEK).text
    completeness = danish[danish.index('id="completeness"') :]
    assert '<th scope="col" class="num">Uden rapport</th>' in completeness
    assert '<th scope="col" class="num">Uden status</th>' in completeness
    assert "2 tidligere caféer uden rapport eller status" in completeness
    assert "Mangler" not in completeness
    english = leader_client.get(URL, WEEK, headers={"accept-language": "en"}).text
    assert "2 past cafés without a report or a status" in english
    assert ">Without report<" in english


def test_volunteer_hours_are_named_in_danish_and_in_english(leader_client, world):
    danish = leader_client.get(URL, WEEK).text
    assert '<th scope="col" class="num">Frivilligtimer</th>' in danish
    assert "12,0 frivilligtimer" in danish
    assert "Frivillige timer" not in danish and "frivillige timer" not in danish
    english = leader_client.get(URL, WEEK, headers={"Accept-Language": "en"}).text
    assert '<th scope="col" class="num">Volunteer hours</th>' in english
    assert "12.0 volunteer hours" in english


THURSDAY = dt.date(2025, 11, 27)  # in 2025-W48, which runs Monday 24 to Sunday 30 November


@pytest.fixture
def on_thursday(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: THURSDAY)


def test_without_parameters_the_page_shows_the_last_complete_week(
    leader_client, world, on_thursday
):
    response = leader_client.get(URL)
    assert response.context["sel"].period.key == "2025-W47"  # not the running W48
    assert "uge 47, 2025" in response.text
    assert response.context["data"].elapsed_days is None
    assert "?week=2025-W48" in response.text  # "This week" is one click away


def test_a_running_week_is_compared_with_the_same_days_a_year_earlier(
    leader_client, world, on_thursday
):
    stop = world.redsted
    for date, people in ((dt.date(2024, 11, 26), 10), (dt.date(2024, 11, 30), 100)):
        visit = f.make_visit(stop, date=date, status="held")
        f.make_report(visit, people_met=people)
    response = leader_client.get(URL, WEEK)
    data = response.context["data"]
    assert data.elapsed_days == 4
    # 2024-W48 Monday to Thursday only: Saturday's 100 are days this week has not had yet.
    assert data.year_earlier.people_met == 10
    assert "Perioden er ikke slut: tallene dækker dens første 4 dage indtil nu, af 7" in (
        response.text
    )
    # A week that is over compares whole weeks.
    over = leader_client.get(URL, {"week": "2025-W47"}).context["data"]
    assert over.elapsed_days is None
