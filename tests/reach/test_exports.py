"""CSV and XLSX exports: parsed back and compared with the page's figures."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

WEEK = {"week": "2025-W48"}
PEOPLE, NEW, MEALS, HELD, PLANNED = (
    "Mødte mennesker",
    "Heraf nye",
    "Måltider",
    "Afholdt",
    "Planlagte besøg",
)


def read_csv(response) -> list[dict]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))


def read_xlsx(response) -> openpyxl.Workbook:
    body = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(body), read_only=True)


def test_the_csv_has_a_row_per_stop_and_week_adding_up_to_the_page(leader_client, world):
    page = leader_client.get("/reach/", WEEK).context["data"]
    response = leader_client.get("/reach/export.csv", WEEK)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="drivein-reach-2025-W48.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert [(r["Centersted"], r["Stop"], r["Uge"]) for r in rows] == [
        ("Skjern", "Tarm", "2025-W48"),
        ("Brovst", "Skovsgaard", "2025-W48"),
        ("Mors", "Redsted", "2025-W48"),
        ("Mors", "Karby", "2025-W48"),
    ]
    for column, value in (
        (PEOPLE, page.total.people_met),
        (NEW, page.total.new_people),
        (MEALS, page.total.meals),
        (HELD, page.total.held),
        (PLANNED, page.total.planned),
        ("Frivilligminutter", page.total.volunteer_minutes),
        ("Henvisninger: Retshjælp", page.total.referrals[world.legal.pk]),
    ):
        assert sum(int(r[column]) for r in rows) == value, column
    redsted = rows[2]
    assert (redsted[PEOPLE], redsted["Henvisninger: Gældsrådgivning"]) == ("15", "2")


def test_the_exports_count_past_cafes_without_status_as_missing_reports(leader_client, world):
    rows = {r["Stop"]: r for r in read_csv(leader_client.get("/reach/export.csv", WEEK))}
    skovsgaard = rows["Skovsgaard"]  # f held and reported, e past and still planned
    assert (skovsgaard["Ingen status"], skovsgaard["Rapporter modtaget (%)"]) == ("1", "50")
    assert rows["Redsted"]["Rapporter modtaget (%)"] == "100"
    assert rows["Karby"]["Rapporter modtaget (%)"] == "0"  # c held without a report
    params = {**WEEK, "region": world.north.pk}
    overview = list(read_xlsx(leader_client.get("/reach/export.xlsx", params))["Oversigt"].values)
    header_at = next(i for i, row in enumerate(overview) if row[0] == "Navn")
    table = {row[0]: dict(zip(overview[header_at], row, strict=False)) for row in overview}
    assert table["Brovst"]["Rapporter modtaget (%)"] == 50
    assert table["I alt"]["Rapporter modtaget (%)"] == 60  # 3 of 5 due in Nordjylland


def test_a_month_export_cuts_weeks_at_the_months_end(leader_client, world):
    rows = read_csv(leader_client.get("/reach/export.csv", {"month": "2025-11"}))
    redsted = [(r["Uge"], r[PEOPLE]) for r in rows if r["Stop"] == "Redsted"]
    assert redsted == [("2025-W47", "100"), ("2025-W48", "15")]  # not W49's 1 December


def test_the_csv_for_publication_hides_small_stop_counts(leader_client, world):
    params = {**WEEK, "publication": "1"}
    response = leader_client.get("/reach/export.csv", params)
    assert "drivein-reach-2025-W48-publication.csv" in response["Content-Disposition"]
    rows = {r["Stop"]: r for r in read_csv(response)}
    assert rows["Skovsgaard"][PEOPLE] == "<3"  # 2 people
    assert rows["Skovsgaard"][NEW] == "<3"  # 1 new
    assert rows["Redsted"]["Henvisninger: Retshjælp"] == "<3"  # 1 referral
    assert rows["Redsted"][PEOPLE] == "15"
    assert rows["Karby"][PEOPLE] == "0"  # nobody points at no one
    assert rows["Skovsgaard"][HELD] == "1"  # cafés are not people


def test_an_empty_period_exports_just_the_headers(leader_client, world):
    response = leader_client.get("/reach/export.csv", {"week": "2030-W01"})
    assert response.status_code == 200
    assert read_csv(response) == []
    body = b"".join(leader_client.get("/reach/export.csv", {"week": "2030-W01"}).streaming_content)
    assert "Mødte mennesker".encode() in body
    book = read_xlsx(leader_client.get("/reach/export.xlsx", {"week": "2030-W01"}))
    detail = list(book["Stop pr. uge"].iter_rows(values_only=True))
    assert len(detail) == 1 and detail[0][0] == "Region"


def test_the_xlsx_has_the_overview_and_the_detail(leader_client, world):
    page = leader_client.get("/reach/", {**WEEK, "region": world.north.pk}).context["data"]
    response = leader_client.get("/reach/export.xlsx", {**WEEK, "region": world.north.pk})
    assert response.status_code == 200
    assert f"drivein-reach-2025-W48-region-{world.north.pk}.xlsx" in response["Content-Disposition"]
    book = read_xlsx(response)
    assert book.sheetnames == ["Oversigt", "Stop pr. uge"]
    overview = list(book["Oversigt"].iter_rows(values_only=True))
    assert overview[0][0] == "Rækkevidde: Region Nordjylland"
    header_at = next(i for i, row in enumerate(overview) if row[0] == "Navn")
    header = overview[header_at]
    table = {row[0]: dict(zip(header, row, strict=False)) for row in overview[header_at + 1 :]}
    assert table["Mors"][PEOPLE] == 15
    assert table["Brovst"]["Mål"] == 35
    assert table["I alt"][PEOPLE] == page.total.people_met == 17
    assert table["I alt"]["Frivillige"] == page.total.volunteers == 3
    assert table["I alt"]["Hjemmebesøg"] == page.total.home_visits == 1
    detail = list(book["Stop pr. uge"].iter_rows(values_only=True))
    header = detail[0]
    people = header.index(PEOPLE)
    assert sum(row[people] for row in detail[1:]) == page.total.people_met
    hours = header.index("Frivilligtimer")
    assert sum(row[hours] for row in detail[1:]) == pytest.approx(page.total.volunteer_hours)


def test_the_xlsx_for_publication_at_stop_level(leader_client, world):
    params = {**WEEK, "centre": world.brovst.pk, "publication": "1"}
    book = read_xlsx(leader_client.get("/reach/export.xlsx", params))
    overview = list(book["Oversigt"].iter_rows(values_only=True))
    skovsgaard = next(row for row in overview if row[0] == "Skovsgaard")
    assert "<3" in skovsgaard


@pytest.mark.parametrize("path", ["/reach/export.csv", "/reach/export.xlsx"])
def test_exports_follow_the_same_access_rules(client, world, volunteer_user, path):
    assert client.get(path, WEEK).status_code == 302
    client.force_login(volunteer_user)
    assert client.get(path, WEEK).status_code == 404


@pytest.mark.parametrize("path", ["/reach/export.csv", "/reach/export.xlsx"])
def test_exports_refuse_bad_input(leader_client, world, path):
    assert leader_client.get(path, {"week": "nonsense"}).status_code == 400
    assert leader_client.get(path, {**WEEK, "funder": "424242"}).status_code == 404


def test_a_coordinator_exports_only_their_centre(client, world):
    client.force_login(f.make_coordinator(world.skjern, "charlie"))
    rows = read_csv(client.get("/reach/export.csv", WEEK))
    assert [r["Stop"] for r in rows] == ["Tarm"]


def test_the_csv_export_runs_a_fixed_number_of_queries(leader_client, world):
    """Guards against N+1 in the export: the rows come from one streamed, grouped query."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            b"".join(leader_client.get("/reach/export.csv", {"year": "2025"}).streaming_content)
        return len(queries)

    small = count()
    for n in range(10):
        stop = f.make_stop(world.mors)
        visit = f.make_visit(stop, date=world.a.date, status="held")
        f.make_report(visit, people_met=n + 1).referrals.create(service_type=world.legal, count=1)
    assert count() == small


@pytest.fixture
def formula_stop(world):
    """A stop whose names a spreadsheet would run as formulas, with one held café."""
    stop = f.make_stop(
        world.mors, community='=HYPERLINK("http://evil.example","Klik")', slug="evil"
    )
    world.mors.name = "-2+3"
    world.mors.save()
    visit = f.make_visit(stop, date=world.a.date, status="held")
    f.make_report(visit, people_met=4)
    return stop


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(leader_client, world, formula_stop):
    rows = read_csv(leader_client.get("/reach/export.csv", WEEK))
    evil = next(r for r in rows if "HYPERLINK" in r["Stop"])
    assert evil["Stop"] == '\'=HYPERLINK("http://evil.example","Klik")'
    assert evil["Centersted"] == "'-2+3"
    assert evil[PEOPLE] == "4"  # numbers stay numbers
    assert all(not r["Region"].startswith("'") for r in rows)  # ordinary text is untouched


def test_the_xlsx_writes_formula_like_names_as_text(leader_client, world, formula_stop):
    import zipfile

    response = leader_client.get("/reach/export.xlsx", {**WEEK, "centre": world.mors.pk})
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = b"".join(archive.read(name) for name in sheets)
    assert b"<f>" not in xml  # no formula anywhere
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    detail = list(book["Stop pr. uge"].iter_rows(values_only=True))
    evil = next(row for row in detail if row[2] and "HYPERLINK" in row[2])
    assert evil[2] == '=HYPERLINK("http://evil.example","Klik")'  # shown, as text
    assert evil[1] == "-2+3"  # not the number 1
    assert evil[detail[0].index(PEOPLE)] == 4
