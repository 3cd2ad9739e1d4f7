"""A funder's login: its grants' stops and days only, always suppressed, nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from core.access import Role, role_of
from stops.models import Funder
from tests import factories as f

from .world import day

WEEK = {"week": "2025-W48"}


@pytest.fixture
def funder(grant):
    """Fonda, who reads the grant (Skjern whole and Karby, from 25 November 2025)."""
    user = f.make_user("fonda")
    grant.readers.add(user)
    return user


@pytest.fixture
def funder_client(funder) -> Client:
    client = Client()
    client.force_login(funder)
    return client


def test_a_funder_reads_only_the_grants_stops_on_the_grants_days(funder_client, world, grant):
    response = funder_client.get("/reach/", WEEK)
    assert response.status_code == 200
    data, sel = response.context["data"], response.context["sel"]
    # Tarm's 20 on the 25th; Karby's café of the 26th has no report; Redsted is not covered.
    assert data.total.raw.people_met == 20
    assert (sel.query.start, sel.query.end) == (day(25), day(30))
    assert {row.name for row in data.rows} == {"Region Nordjylland", "Region Midtjylland"}
    assert sel.publication and sel.grant_only
    assert "<h1>Landsbyfonden" in response.text


def test_a_funder_is_suppressed_even_when_asking_not_to_be(funder_client, world, grant):
    response = funder_client.get("/reach/", {**WEEK, "centre": world.mors.pk, "publication": "0"})
    assert response.context["sel"].publication is True
    assert [row.name for row in response.context["data"].rows] == ["Karby"]


def test_another_grant_or_a_centre_outside_the_grant_is_404(funder_client, world, grant):
    other = Funder.objects.create(name="Andenfonden", start_date=day(1))
    other.centres.add(world.mors)
    assert funder_client.get("/reach/", {**WEEK, "funder": other.pk}).status_code == 404
    assert funder_client.get("/reach/", {**WEEK, "centre": world.brovst.pk}).status_code == 404
    assert funder_client.get("/reach/export.csv", {"centre": world.brovst.pk}).status_code == 404
    api = funder_client.get("/api/v1/reach/", {**WEEK, "funder": other.pk})
    assert api.status_code == 404
    # A stop outside the grant, and even one inside: a funder reads no stop, visit or volunteer.
    for url in (
        f"/api/v1/stops/{world.skovsgaard.pk}/",
        f"/api/v1/stops/{world.karby.pk}/",
        f"/api/v1/visits/{world.c.pk}/",
        f"/api/v1/visits/{world.g.pk}/report/",
        f"/centres/{world.skjern.pk}/week/",
        f"/centres/{world.skjern.pk}/roster/",
        f"/centres/{world.skjern.pk}/volunteers/",
    ):
        assert funder_client.get(url).status_code == 404, url


def test_the_lists_of_the_api_are_empty_for_a_funder(funder_client, world, grant):
    for url in ("/api/v1/centres/", "/api/v1/stops/", "/api/v1/visits/", "/api/v1/home-visits/"):
        response = funder_client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert (body["results"] if isinstance(body, dict) else body) == [], url


def test_a_period_outside_the_grant_is_a_clear_danish_message(funder_client, world, grant):
    response = funder_client.get("/reach/", {"week": "2025-W40"})
    assert response.status_code == 400
    assert "ligger uden for bevillingen “Landsbyfonden”" in response.text
    assert "fra 25. november 2025" in response.text
    api = funder_client.get("/api/v1/reach/", {"week": "2025-W40"})
    assert api.status_code == 400 and "uden for bevillingen" in api.json()["detail"]


def test_a_grant_without_stops_says_so(world):
    empty = Funder.objects.create(name="Tomfonden", start_date=day(1))
    user = f.make_user("tom")
    empty.readers.add(user)
    client = Client()
    client.force_login(user)
    response = client.get("/reach/", WEEK)
    assert response.status_code == 400
    assert "Bevillingen “Tomfonden” dækker endnu ingen stop" in response.text


def test_without_a_period_a_funder_lands_on_a_week_of_the_grant(world):
    ended = Funder.objects.create(name="Gammelfonden", start_date=day(3), end_date=day(26))
    ended.stops.add(world.tarm)
    user = f.make_user("gammel")
    ended.readers.add(user)
    client = Client()
    client.force_login(user)
    sel = client.get("/reach/").context["sel"]
    assert (sel.period.key, sel.query.end) == ("2025-W48", day(26))


def test_the_trend_stops_on_the_grants_last_day(world):
    """Tarm's café of the 25th counts; had the grant ended the 24th, the week is empty."""
    ended = Funder.objects.create(name="Kortfonden", start_date=day(1), end_date=day(24))
    ended.stops.add(world.tarm)
    user = f.make_user("kort")
    ended.readers.add(user)
    client = Client()
    client.force_login(user)
    data = client.get("/reach/", WEEK).context["data"]
    assert data.trend12.weeks[-1].people_met == 0
    assert data.since_start.people_met == 0


def test_the_funders_page_shows_only_what_a_funder_may_open(funder_client, world, grant):
    html = funder_client.get("/reach/", WEEK).text
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert nav.count("<a ") == 2 and 'href="/reach/"' in nav and 'href="/"' in nav
    assert "/admin/" not in html and "/week/" not in html  # no café to chase, no admin link
    assert 'class="data to-fix"' not in html
    assert "Alle bevillinger" not in html and "Andenfonden" not in html
    assert "publication=1" in html and 'href="/reach/export.csv?week=2025-W48&amp;funder' in html
    assert 'action="/reach/share/"' not in html  # a funder shares nothing
    assert "Vol 1" not in html


def test_a_funder_lands_on_the_reach_and_is_labelled_a_funder(funder_client, funder):
    assert role_of(funder) == Role.FUNDER
    response = funder_client.get("/")
    assert (response.status_code, response.url) == (302, "/reach/")
    assert funder_client.get("/admin/").status_code == 302  # to the admin's login


def test_a_coordinator_who_also_reads_a_grant_stays_a_coordinator(world, grant):
    coordinator = f.make_coordinator(world.mors, "kaj")
    grant.readers.add(coordinator)
    assert role_of(coordinator) == Role.COORDINATOR


def test_the_command_gives_and_takes_a_grant(world, grant, capsys):
    call_command("funder_login", "trygfonden", "--grant", str(grant.pk), "--create")
    user = grant.readers.get()
    assert (user.username, user.has_usable_password(), role_of(user)) == (
        "trygfonden",
        False,
        Role.FUNDER,
    )
    call_command("funder_login", "trygfonden", "--grant", str(grant.pk), "--remove")
    assert not grant.readers.exists()
    with pytest.raises(CommandError, match="needs a login of its own"):
        call_command("funder_login", f.make_leader("lis").username, "--grant", str(grant.pk))
    with pytest.raises(CommandError, match="No grant with id 999"):
        call_command("funder_login", "trygfonden", "--grant", "999")
    assert not grant.readers.exists()


def test_the_admin_manages_a_grants_logins(admin_client, world, grant):
    response = admin_client.get(f"/admin/stops/funder/{grant.pk}/change/")
    assert response.status_code == 200 and 'name="readers"' in response.text


def test_a_funders_export_is_for_publication(funder_client, world, grant):
    response = funder_client.get("/reach/export.csv", WEEK)
    assert response.status_code == 200
    assert "publication" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "Redsted" not in body and "Skovsgaard" not in body
    assert "Tarm" in body and "Karby" in body
    assert dt.date.today()  # the file is made now: nothing else to compare
