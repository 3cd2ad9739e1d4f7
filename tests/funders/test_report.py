"""The funder report as PDF: the dashboard's figures, for whom, which periods, nothing fetched."""

from __future__ import annotations

import datetime as dt
import threading
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.utils import timezone

from funders.pdf import html_to_pdf, local_only_fetcher
from reach.selectors.timeliness import timeliness
from reach.templatetags.reach import num, pct
from stops.models import Funder
from tests import factories as f
from tests.reach.test_publication import _rank  # the publication rules' own algebra

from .pdftext import key_figure, needs_pdftotext, pdf_text, stop_tables

WEEK = {"week": "2025-W48"}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_url(funder: Funder) -> str:
    return f"/funders/{funder.pk}/report/"


def get_pdf(client: Client, funder: Funder, params: dict) -> bytes:
    response = client.get(report_url(funder), params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    return response.content


# The same figures as the dashboard -------------------------------------------------


@needs_pdftotext
def test_the_pdf_carries_the_dashboards_figures_for_the_grant_and_week(leader_client, world, grant):
    # Tarm's report was written at the stop an hour after the café: on time.
    report = world.g.report
    report.captured_at = timezone.make_aware(dt.datetime.combine(world.g.date, world.g.end_time))
    report.save()
    text = pdf_text(get_pdf(leader_client, grant, WEEK))
    dashboard = leader_client.get("/reach/", {**WEEK, "funder": grant.pk, "publication": "1"})
    total = dashboard.context["data"].total
    on_time = timeliness(dashboard.context["sel"].query)
    assert (on_time.reports, on_time.on_time) == (1, 1)
    assert key_figure(text, "Rapporteret til tiden") == pct(on_time.share) == "100 %"
    assert "1 af 1 rapporter skrevet inden for 24 timer" in text
    assert total.people_met == 20  # Tarm's 20 from the 25th on; Karby's café has no report
    expected = {
        "Mødte mennesker": num(total.people_met),
        "Heraf nye": num(total.new_people),
        "Måltider": num(total.meals),
        "Madposer": num(total.food_bags),
        "Afholdte caféer": num(total.held),
        "Rapporter modtaget": pct(total.completeness),
        "Frivillige": num(total.volunteers),
        "Hjemmebesøg": num(total.home_visits),
        "Henvisninger": num(total.referrals_total),
    }
    assert {label: key_figure(text, label) for label in expected} == expected
    assert f"målet for bevillingen på {num(total.target)} ({pct(total.target_share)})" in text
    assert "LF-2025-017" in text and "Landsbyfonden" in text
    assert "uge 48, 2025" in text and "25. november 2025 – 30. november 2025" in text


@needs_pdftotext
def test_each_centres_stops_are_the_dashboards_centre_page_under_the_grant(
    leader_client, world, grant
):
    text = pdf_text(get_pdf(leader_client, grant, WEEK))
    tables = stop_tables(text, ["Mors", "Skjern"])
    for centre in (world.mors, world.skjern):
        page = leader_client.get(
            "/reach/", {**WEEK, "funder": grant.pk, "centre": centre.pk, "publication": "1"}
        ).context["data"]
        printed = tables[centre.name]
        assert set(printed) == {row.name for row in page.rows} | {"I alt"}
        for row in [*page.rows, page.total]:
            cells = printed[row.name or "I alt"]
            assert cells["people_met"] == num(row.people_met)
            assert cells["new_people"] == num(row.new_people)
            assert cells["meals"] == num(row.meals)
            assert cells["held"] == num(row.held)
    assert "Redsted" not in text  # Mors's stop outside the grant


# Suppression holds in the PDF ------------------------------------------------------


@pytest.fixture
def small_grant(world):
    """Brovst (Skovsgaard's 2 people are its whole week) and Mors, both whole."""
    funder = Funder.objects.create(name="Småtalsfonden", start_date=dt.date(2025, 1, 1))
    funder.centres.add(world.brovst, world.mors)
    visit = f.make_visit(world.karby, date=world.b.date, status="held")
    f.make_report(visit, people_met=7, new_people=4, meals=7)  # Mors's new: Redsted 2, Karby 4
    return funder


@needs_pdftotext
def test_the_pdf_hides_what_the_exports_hide_and_nothing_can_be_worked_out(
    leader_client, world, small_grant
):
    text = pdf_text(get_pdf(leader_client, small_grant, WEEK))
    tables = stop_tables(text, ["Brovst", "Mors"])
    assert tables["Brovst"]["Skovsgaard"]["people_met"] == "<3"
    assert tables["Brovst"]["I alt"]["people_met"] == "x"  # the one stop is the whole centre
    assert (tables["Mors"]["Redsted"]["new_people"], tables["Mors"]["Karby"]["new_people"]) == (
        "<3",
        "x",
    )
    # Brovst's total is hidden and Mors's shown: the grant's total would give it back.
    assert key_figure(text, "Mødte mennesker") == "x"
    assert "(–)" in text  # nor its share of the target
    # The CSV for publication of each centre under the grant hides the same cells.
    exports = {}
    for centre in (world.brovst, world.mors):
        params = {**WEEK, "funder": small_grant.pk, "centre": centre.pk, "publication": "1"}
        body = b"".join(leader_client.get("/reach/export.csv", params).streaming_content)
        exports[centre.name] = body.decode("utf-8")
    assert ";<3;" in exports["Brovst"]
    # Everything published (the PDF's stop cells, its centre totals and grant total,
    # the stop × week cells of the exports, the centre's weeks in the trends): is any
    # hidden people-met figure in the span of those equations? As the publication
    # tests ask (tests/reach/test_publication.py), over every centre and the grant.
    people = {
        ("Brovst", "Skovsgaard"): 2,
        ("Mors", "Redsted"): 15,
        ("Mors", "Karby"): 7,
        ("Mors", "Vils"): 0,
    }
    hidden = {
        (centre, stop)
        for (centre, stop) in people
        if tables[centre][stop]["people_met"] in ("<3", "x")
    }
    hidden |= {(c, "I alt") for c in ("Brovst", "Mors") if tables[c]["I alt"]["people_met"] == "x"}
    hidden |= {("grant",)} if key_figure(text, "Mødte mennesker") == "x" else set()
    unknowns = sorted(hidden, key=str)
    index = {key: n for n, key in enumerate(unknowns)}
    equations = []
    for centre in ("Brovst", "Mors"):  # its stops add up to its total (one week: its week too)
        terms = [((centre, stop), 1) for (c, stop) in people if c == centre]
        equations.append([*terms, ((centre, "I alt"), -1)])
    equations.append([(("Brovst", "I alt"), 1), (("Mors", "I alt"), 1), (("grant",), -1)])
    matrix = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        for key, sign in equation:
            if key in index:
                row[index[key]] += sign
        matrix.append(row)
    rank = _rank(matrix)
    for key, n in index.items():
        unit = [Fraction(int(m == n)) for m in range(len(unknowns))]
        assert _rank([*matrix, unit]) != rank, f"{key} can be worked out from the PDF"


# Bad input ---------------------------------------------------------------------------


def test_a_period_outside_the_grant_is_refused_in_danish(leader_client, world, grant):
    response = leader_client.get(report_url(grant), {"week": "2025-W40"})
    assert response.status_code == 400
    assert "ligger uden for bevillingen" in response.content.decode()


def test_a_grant_without_stops_is_refused_in_danish(leader_client, world):
    empty = Funder.objects.create(name="Tomfonden", start_date=dt.date(2025, 1, 1))
    response = leader_client.get(report_url(empty), WEEK)
    assert response.status_code == 400
    assert "dækker endnu ingen stoppesteder" in response.content.decode()


def test_ten_years_are_refused_with_a_message(leader_client, world, grant):
    grant.start_date = dt.date(2015, 1, 1)
    grant.save()
    response = leader_client.get(report_url(grant), {"from": "2016-01-01", "to": "2025-12-31"})
    assert response.status_code == 400
    assert "højst tre år" in response.content.decode()


def test_a_malformed_period_is_a_400(leader_client, world, grant):
    assert leader_client.get(report_url(grant), {"month": "2025-13"}).status_code == 400


def test_an_unknown_grant_is_a_404(leader_client, world):
    assert leader_client.get("/funders/999999/report/", WEEK).status_code == 404


# Who may --------------------------------------------------------------------------


def test_a_coordinator_gets_grants_touching_their_centres_and_404_for_others(world, grant):
    other = Funder.objects.create(name="Brovstfonden", start_date=dt.date(2025, 1, 1))
    other.centres.add(world.brovst)
    mors = client_of(f.make_coordinator(world.mors))
    assert mors.get(report_url(grant), WEEK).status_code == 200  # Karby is Mors's
    assert mors.get(report_url(other), WEEK).status_code == 404


@needs_pdftotext
def test_a_coordinators_pdf_shows_only_their_centres_part(world, grant):
    mors = client_of(f.make_coordinator(world.mors))
    text = pdf_text(get_pdf(mors, grant, WEEK))
    assert "Karby" in text and "Tarm" not in text


def test_a_volunteer_gets_404(world, grant):
    volunteer = f.make_user()
    f.make_volunteer(world.mors, user=volunteer)
    assert client_of(volunteer).get(report_url(grant), WEEK).status_code == 404


def test_the_dashboard_links_the_pdf_when_a_funder_is_chosen(leader_client, world, grant):
    with_funder = leader_client.get("/reach/", {**WEEK, "funder": grant.pk}).text
    assert f'href="/funders/{grant.pk}/report/?week=2025-W48"' in with_funder
    assert "/funders/" not in leader_client.get("/reach/", WEEK).text


# Nothing from outside ------------------------------------------------------------


class Listener(BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self):
        type(self).asked.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_pdf_fetches_nothing_that_is_not_the_projects_own():
    server = ThreadingHTTPServer(("127.0.0.1", 9041), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fetcher = local_only_fetcher()
        html = (
            '<link rel="stylesheet" href="http://127.0.0.1:9041/style.css">'
            '<img src="http://127.0.0.1:9041/tile.png"><img src="file:///etc/hostname">'
            "<p>Hej</p>"
        )
        assert html_to_pdf(html, fetcher=fetcher).startswith(b"%PDF-")
    finally:
        server.shutdown()
        server.server_close()
    assert Listener.asked == []
    assert len(fetcher.refused) == 3, fetcher.refused
