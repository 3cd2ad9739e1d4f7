"""Timeliness beside completeness in the CSV, the workbook and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY = dt.date(2026, 3, 9)
WEEK = {"week": "2026-W11"}


@pytest.fixture
def reports(centre):
    """At Redsted, Monday's report came on time, Wednesday's three days late."""
    stop = f.make_stop(centre, community="Redsted")
    for day, delay in ((MONDAY, 0), (MONDAY + dt.timedelta(days=2), 3)):
        visit = f.make_visit(stop, date=day, status="held")
        captured = dt.datetime.combine(day + dt.timedelta(days=delay), dt.time(13), tzinfo=CPH)
        f.make_report(visit, captured_at=captured, submitted_at=captured)
    return stop


def test_the_csv_gives_the_share_on_time_per_stop_and_week(leader_client, reports):
    body = b"".join(leader_client.get("/reach/export.csv", WEEK).streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8")[1:]), delimiter=";"))
    redsted = next(r for r in rows if r["Stop"] == "Redsted")
    assert (redsted["Rapporter modtaget (%)"], redsted["Rapporter til tiden (%)"]) == ("100", "50")
    assert "Frivilligminutter" in rows[0]  # the CSV counts time in minutes


def test_the_workbook_says_how_many_came_on_time(leader_client, reports):
    body = b"".join(leader_client.get("/reach/export.xlsx", WEEK).streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    lines = [row[0] for row in book["Oversigt"].iter_rows(values_only=True) if row[0]]
    assert "Rapporter til tiden: 1 af 2 (50 %) skrevet inden for 24 timer" in lines
    header = next(book["Stop pr. uge"].iter_rows(values_only=True))
    assert "Rapporter til tiden (%)" in header
    assert "Frivilligtimer" in header  # the workbook counts time in hours


def test_the_api_and_the_dashboard_give_timeliness(leader_client, reports):
    answer = leader_client.get("/api/v1/reach/", WEEK).json()
    assert answer["timeliness"] == {"reports": 2, "on_time": 1, "share": 0.5}
    page = leader_client.get("/reach/", WEEK)
    assert page.context["data"].timeliness.share == 0.5
    assert "Rapporter til tiden" in page.text
