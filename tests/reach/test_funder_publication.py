"""
Suppression across every door a funder has: the dashboard, the CSV, the workbook,
the API and the share page hide exactly what the publication rules hide (one centre
as one linked table, reach.publication.centre_hidden), and all of it together still
gives no small number away: the linear-algebra test of test_publication.py.
"""

from __future__ import annotations

import csv
import html as markup
import io
import re

import openpyxl
import pytest
from django.test import Client

from reach.params import resolve_selection
from reach.publication import centre_hidden
from reach.selectors.export_rows import export_rows
from reach.selectors.figures import service_types
from stops.models import Funder
from tests import factories as f

from .test_publication import _worked_out
from .world import day

WEEK = {"week": "2025-W48"}
MARKERS = ("<3", "x")
PEOPLE = "Mødte mennesker"
PEOPLE_CELL = re.compile(r'data-col="people_met">(.*?)</td>')


@pytest.fixture
def mors_grant(world):
    """A grant of Mors whole; Karby's café of the 26th met 2 (Redsted met 10 + 5)."""
    f.make_report(world.c, people_met=2, new_people=1, meals=2)
    grant = Funder.objects.create(name="Morsfonden", start_date=day(1))
    grant.centres.add(world.mors)
    return grant


@pytest.fixture
def funder(mors_grant):
    user = f.make_user("morsfond")
    mors_grant.readers.add(user)
    return user


@pytest.fixture
def funder_client(funder) -> Client:
    client = Client()
    client.force_login(funder)
    return client


def _published(html: str, stops: dict[int, str]) -> dict[tuple, str]:
    """People met as the page shows it: each stop's row and the total."""
    html = markup.unescape(html)
    shown = {}
    for stop_id in stops:
        row = html.split(f'data-row="stop-{stop_id}"')[1].split("</tr>")[0]
        shown[("stop", stop_id, "people_met")] = PEOPLE_CELL.search(row)[1]
    total = html.split('data-row="total"')[1].split("</tr>")[0]
    shown[("total", "people_met")] = PEOPLE_CELL.search(total)[1]
    return shown


def _weekly(rows, records, names: dict[str, int]) -> dict[tuple, str]:
    """People met of the files' stop × week rows, keyed as centre_hidden keys them."""
    index = {(r["stop_id"], str(r["week"])): i for i, r in enumerate(records)}
    return {
        ("week", index[(names[stop], str(week))], "people_met"): str(people)
        for stop, week, people in rows
    }


def _expected(hidden: dict, shown: dict) -> dict:
    return {key: hidden[key] for key in shown if key in hidden}


def _true_figure(records: list[dict], key: tuple) -> int:
    """People met of a cell as counted: a stop's week, a stop's period or the total."""
    if key[0] == "week":
        return records[key[1]]["people_met"]
    return sum(r["people_met"] for r in records if key[0] == "total" or r["stop_id"] == key[1])


def _hidden(shown: dict) -> dict:
    return {key: value for key, value in shown.items() if value in MARKERS}


def test_every_door_of_a_funder_hides_what_the_rules_hide_and_nothing_is_given_away(
    funder_client, leader_client, funder, world, mors_grant
):
    params = {**WEEK, "centre": str(world.mors.pk)}
    sel = resolve_selection(funder, params)
    types = service_types()
    records = list(export_rows(sel.query, types=types))
    rules = centre_hidden(records, types)
    assert rules[("stop", world.karby.pk, "people_met")] == "<3"
    stops = {world.redsted.pk: "Redsted", world.karby.pk: "Karby"}
    names = {name: pk for pk, name in stops.items()}
    doors: dict[str, dict] = {}

    # The dashboard (no publication asked for: a funder always gets it).
    doors["dashboard"] = _published(funder_client.get("/reach/", params).text, stops)

    # The CSV: the stop × week rows.
    body = b"".join(funder_client.get("/reach/export.csv", params).streaming_content)
    lines = list(csv.DictReader(io.StringIO(body.decode("utf-8")[1:]), delimiter=";"))
    doors["csv"] = _weekly([(r["Stop"], r["Uge"], r[PEOPLE]) for r in lines], records, names)

    # The workbook: its overview (stops and total) and its stop × week sheet.
    response = funder_client.get("/reach/export.xlsx", params)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    overview = list(book["Oversigt"].iter_rows(values_only=True))
    header = next(row for row in overview if row[0] == "Navn")
    table = {row[0]: dict(zip(header, row, strict=False)) for row in overview}
    doors["workbook overview"] = {
        **{("stop", pk, "people_met"): str(table[name][PEOPLE]) for pk, name in stops.items()},
        ("total", "people_met"): str(table["I alt"][PEOPLE]),
    }
    detail = list(book["Stop pr. uge"].iter_rows(values_only=True))
    columns = detail[0]
    weekly = [dict(zip(columns, row, strict=False)) for row in detail[1:]]
    doors["workbook weeks"] = _weekly(
        [(r["Stop"], r["Uge"], r[PEOPLE]) for r in weekly], records, names
    )

    # The API: a hidden count is null, its marker under "suppressed".
    data = funder_client.get("/api/v1/reach/", params).json()

    def api_value(row) -> str:
        return row["suppressed"].get("people_met") or str(row["people_met"])

    doors["api"] = {
        **{("stop", row["id"], "people_met"): api_value(row) for row in data["rows"]},
        ("total", "people_met"): api_value(data["total"]),
    }

    # The share page, made by leadership for the same grant, period and centre.
    made = leader_client.post(
        "/reach/share/", {"funder": mors_grant.pk, "days": "7", "centre": world.mors.pk, **WEEK}
    )
    path = re.search(r'value="http://testserver(/shared/[^"]+)"', made.text)[1]
    doors["share page"] = _published(Client().get(path).text, stops)

    everything: dict = {}
    for door, shown in doors.items():
        assert _hidden(shown) == _expected(rules, shown), door
        for key, value in shown.items():  # what is not hidden is the true figure
            if value not in MARKERS:
                assert value == str(_true_figure(records, key)), (door, key)
        everything.update(_hidden(shown))
    assert everything, "the world has a small number to hide"
    # All doors together, with the centre's weekly trend published: nothing can be solved.
    assert _worked_out(records, everything) == []
