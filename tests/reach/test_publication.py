"""Publication figures: small counts hidden, and never recoverable from a total."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from fractions import Fraction

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reach.publication import HIDDEN, SMALL, centre_hidden, suppress
from tests import factories as f

WEEK = {"week": "2025-W48"}


def test_one_small_cell_in_a_group_takes_the_next_smallest_with_it():
    values = {"a": 2, "b": 10, "c": 5, "d": 0, "total": 17}
    hidden = suppress(values, [(["a", "b", "c", "d"], "total")], exempt=["total"])
    # 0 is passed over: hiding it would give the 2 away all the same.
    assert hidden == {"a": SMALL, "c": HIDDEN}


def test_two_small_cells_need_nothing_more_and_a_lone_cell_hides_its_total():
    values = {"a": 1, "b": 2, "c": 9, "t": 12}
    assert suppress(values, [(["a", "b", "c"], "t")], exempt=["t"]) == {"a": SMALL, "b": SMALL}
    lone = {"a": 2, "t": 2}
    assert suppress(lone, [(["a"], "t")], exempt=["t"]) == {"a": SMALL, "t": HIDDEN}


def test_hiding_spreads_until_no_row_or_column_has_one_hidden_cell():
    # Two rows × two kinds, each row and column adding up to a published total.
    values = {(0, "x"): 1, (0, "y"): 8, (1, "x"): 6, (1, "y"): 9}
    groups = [
        ([(0, "x"), (0, "y")], None),
        ([(1, "x"), (1, "y")], None),
        ([(0, "x"), (1, "x")], None),
        ([(0, "y"), (1, "y")], None),
    ]
    hidden = suppress(values, groups)
    assert set(hidden) == set(values)  # every row and column has two hidden cells
    assert hidden[(0, "x")] == SMALL


@pytest.fixture
def karby_new(world):
    """Karby gets a held café with 4 new people: Mors's new people are Redsted 2, Karby 4."""
    visit = f.make_visit(world.karby, date=world.b.date, status="held")
    f.make_report(visit, people_met=7, new_people=4, meals=7)
    return visit


def test_the_dashboard_hides_the_cell_that_would_give_a_small_one_away(
    leader_client, world, karby_new
):
    params = {**WEEK, "centre": world.mors.pk, "publication": "1"}
    response = leader_client.get("/reach/", params)
    rows = {row.name: row for row in response.context["data"].rows}
    assert rows["Redsted"].hidden["new_people"] == "<3"
    # The total (6) minus Karby's 4 would say Redsted had 2: Karby's is hidden too.
    assert rows["Karby"].hidden["new_people"] == "x"
    karby_html = response.text.split(f'data-row="stop-{world.karby.pk}"')[1].split("</tr>")[0]
    assert '<td class="num">x</td>' in karby_html
    # Without publication every figure is shown.
    plain = leader_client.get("/reach/", {**WEEK, "centre": world.mors.pk}).context["data"]
    assert all(not row.hidden for row in plain.rows)


def test_a_centre_with_one_stop_hides_the_total_of_a_small_count(leader_client, world):
    params = {**WEEK, "centre": world.brovst.pk, "publication": "1"}
    response = leader_client.get("/reach/", params)
    total = response.context["data"].total
    assert total.hidden["people_met"] == "x"  # Skovsgaard's <3 is the whole centre
    assert '<td class="num strong" data-col="people_met">x</td>' in response.text


def test_the_exports_hide_the_complementary_cells(leader_client, world, karby_new):
    params = {**WEEK, "centre": world.mors.pk, "publication": "1"}
    response = leader_client.get("/reach/export.csv", params)
    body = b"".join(response.streaming_content).decode("utf-8")[1:]
    rows = {r["Stop"]: r for r in csv.DictReader(io.StringIO(body), delimiter=";")}
    # The week's stops of Mors add up to the centre's week on the region's page.
    assert (rows["Redsted"]["Heraf nye"], rows["Karby"]["Heraf nye"]) == ("<3", "x")
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(leader_client.get("/reach/export.xlsx", params).streaming_content)),
        read_only=True,
    )
    overview = list(book["Oversigt"].iter_rows(values_only=True))
    header = next(row for row in overview if row[0] == "Navn")
    table = {row[0]: dict(zip(header, row, strict=False)) for row in overview}
    assert (table["Redsted"]["Heraf nye"], table["Karby"]["Heraf nye"]) == ("<3", "x")
    assert table["I alt"]["Heraf nye"] == 6


# One centre's page, workbook and files set against each other ---------------------

PEOPLE_ONLY = ("new_people", "meals", "food_bags", "clothing_items", "other_items")


def _records(table: dict[tuple[str, str], int]) -> list[dict]:
    """Stop × week records with people met from ``table`` and every other count 0."""
    return [
        {"stop_id": stop, "week": week, "people_met": people, **dict.fromkeys(PEOPLE_ONLY, 0)}
        for (stop, week), people in table.items()
    ]


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [row[:] for row in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _worked_out(records: list[dict], hidden: dict) -> list:
    """
    The hidden people-met figures someone could work out from everything shown: the
    stop × week cells, each stop's period figure (the sum of its weeks), the centre's
    total and each week's centre figure (its trends). A hidden figure is given away
    when its unit vector lies in the span of those equations over the hidden ones.
    """
    stops = sorted({r["stop_id"] for r in records})
    weeks = sorted({r["week"] for r in records})
    cells = {("week", i, "people_met"): (r["stop_id"], r["week"]) for i, r in enumerate(records)}
    unknowns = [k for k in hidden if k[-1] == "people_met"]
    index = {k: n for n, k in enumerate(unknowns)}
    equations = []
    for stop in stops:  # the stop's weeks minus the stop's period figure
        terms = [k for k, (s, _w) in cells.items() if s == stop] + [("stop", stop, "people_met")]
        signs = [1] * (len(terms) - 1) + [-1]
        equations.append(list(zip(terms, signs, strict=True)))
    equations.append(
        [(("stop", s, "people_met"), 1) for s in stops] + [(("total", "people_met"), -1)]
    )
    for week in weeks:
        equations.append([(k, 1) for k, (_s, w) in cells.items() if w == week])
    matrix = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        for key, sign in equation:
            if key in index:
                row[index[key]] += sign
        matrix.append(row)
    rank = _rank(matrix)
    given_away = []
    for key, n in index.items():
        unit = [Fraction(int(m == n)) for m in range(len(unknowns))]
        if _rank([*matrix, unit]) == rank:
            given_away.append(key)
    return given_away


def test_the_reviewers_month_no_longer_gives_the_small_number_away():
    """Week 1: A 2, H 10, I 11; week 2: B 5, J 6. Hiding B on the overview alone let
    A = 34 − 6 − 10 − 11 − 5 be worked out with the detail sheet."""
    records = _records(
        {("A", "W1"): 2, ("H", "W1"): 10, ("I", "W1"): 11, ("B", "W2"): 5, ("J", "W2"): 6}
    )
    hidden = centre_hidden(records, [])
    assert hidden[("stop", "A", "people_met")] == SMALL
    assert hidden[("week", 0, "people_met")] == SMALL
    assert _worked_out(records, hidden) == []


def test_page_and_files_of_a_small_centre_give_nothing_away():
    """Two weeks of three stops, small figures here and there."""
    records = _records(
        {
            ("A", "W1"): 1, ("B", "W1"): 9, ("C", "W1"): 4,
            ("A", "W2"): 6, ("B", "W2"): 2, ("C", "W2"): 7,
        }
    )  # fmt: skip
    hidden = centre_hidden(records, [])
    assert hidden[("week", 0, "people_met")] == SMALL
    assert hidden[("week", 4, "people_met")] == SMALL
    assert _worked_out(records, hidden) == []


def test_a_lone_small_figure_beside_stops_with_nothing_hides_the_total():
    records = _records({("A", "W1"): 2, ("B", "W1"): 0, ("C", "W1"): 0})
    hidden = centre_hidden(records, [])
    # A = total − 0 − 0: only the total hidden on this page keeps the 2 off it.
    assert hidden[("total", "people_met")] == HIDDEN


def test_the_publication_workbook_reads_the_centres_weeks_once(leader_client, world, karby_new):
    """The overview's suppression reads the centre's stop × week records; the detail
    sheet writes the same records instead of running the grouped query again."""
    params = {**WEEK, "centre": world.mors.pk, "publication": "1"}
    with CaptureQueriesContext(connection) as queries:
        b"".join(leader_client.get("/reach/export.xlsx", params).streaming_content)
    # export_rows is the one query that groups the stop-day summaries by week
    # (TruncWeek); the reports on time per stop-week group the reports, not these.
    by_week = [
        q["sql"]
        for q in queries.captured_queries
        if "trunc" in q["sql"].lower() and "reach_stopday" in q["sql"].lower()
    ]
    assert len(by_week) == 1, by_week


# Every reader reads the published rows: key figures, tables, files, the API -------


def _key_figures(html: str) -> dict[str, dict[str, str]]:
    """The dashboard's key-figure tiles: title → figure, target line and comparison."""
    section = html.split('<section class="kpis"')[1].split("</section>")[0]
    tiles = {}
    for tile in section.split("<article")[1:]:
        title = re.search(r"<h2>(.*?)</h2>", tile).group(1)
        tiles[title] = {
            "figure": re.search(r'<p class="figure">(.*?)</p>', tile).group(1),
            "target": (re.search(r'<p class="target-line">(.*?)</p>', tile) or [None, ""])[1],
            "compare": (re.search(r'<p class="compare">(.*?)</p>', tile, re.S) or [None, ""])[1],
        }
    return tiles


def _total_cells(html: str) -> list[str]:
    """The cells of the first table's total row, in order (people met at [3])."""
    row = html.split('<tr data-row="total">')[1].split("</tr>")[0]
    return re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', row)


def test_a_centre_with_one_stop_shows_no_key_figure_that_its_table_hides(leader_client, world):
    """Skovsgaard's 2 people are Brovst's whole week: the table's total hides it as
    "x", and so do the tile, its share of the target (2 of 35 would give the 2
    back) and its change from a year earlier."""
    # A year earlier Skovsgaard met 4: "-50 %" beside it would give the 2 back too.
    visit = f.make_visit(world.skovsgaard, date=dt.date(2024, 11, 26), status="held")
    f.make_report(visit, people_met=4, new_people=0, meals=0)
    params = {**WEEK, "centre": world.brovst.pk, "publication": "1"}
    html = leader_client.get("/reach/", params).text
    tiles = _key_figures(html)
    people = tiles["Mødte mennesker"]
    assert people["figure"] == "x" == _total_cells(html)[3]
    assert people["target"] == "af et mål på 35 (–)"
    assert people["compare"] == 'Et år før: 4 <span class="delta"></span>'  # was "−50 %"
    assert tiles["Heraf nye"]["figure"] == "x"  # 1 new: Skovsgaard's "<3", the total "x"
    assert 'width="0"' in html.split('<section class="kpis"')[1].split("</article>")[0]
    # Without publication the tile shows the figure and its share.
    plain = _key_figures(leader_client.get("/reach/", {**WEEK, "centre": world.brovst.pk}).text)
    assert (plain["Mødte mennesker"]["figure"], plain["Mødte mennesker"]["target"]) == (
        "2",
        "af et mål på 35 (6 %)",
    )
    assert plain["Mødte mennesker"]["compare"] == 'Et år før: 4 <span class="delta">−50 %</span>'


@pytest.mark.parametrize("centre", ["brovst", "mors"])
def test_every_key_figure_is_the_tables_total_as_published(leader_client, world, karby_new, centre):
    """The tiles and the total row read the same published row: one figure each."""
    params = {**WEEK, "centre": getattr(world, centre).pk, "publication": "1"}
    response = leader_client.get("/reach/", params)
    tiles, cells = _key_figures(response.text), _total_cells(response.text)
    # The total row: planned, held, cancelled, people met, new, meals, referrals, ...
    assert tiles["Mødte mennesker"]["figure"] == cells[3]
    assert tiles["Heraf nye"]["figure"] == cells[4]
    assert tiles["Måltider"]["figure"] == cells[5]
    assert tiles["Hjemmebesøg"]["compare"].startswith(f"{cells[6]} henvisninger")
    total = response.context["data"].total
    for name in ("people_met", "new_people", "meals", "referrals_total", "target_share"):
        if total.is_hidden(name):
            assert getattr(total, name) in ("x", "<3", None), name


def test_a_published_row_reads_as_its_markers_and_hides_what_gives_them_away():
    """The one layer (reach.publication.Published) over a row publication marked."""
    from reach.publication import Published
    from reach.selectors.figures import ReachRow

    row = ReachRow(id=1, name="Skovsgaard", kind="stop", people_met=2, new_people=1, meals=9)
    row.target, row.hidden = 35.0, {"people_met": "x", "new_people": SMALL}
    shown = Published(row)
    assert (shown.people_met, shown.new_people, shown.meals) == ("x", SMALL, 9)
    assert shown.target_share is None  # 2 / 35 would say it was 2
    assert shown.target_rounded == 35 and shown.name == "Skovsgaard"
    assert (
        Published(ReachRow(id=1, name="A", kind="stop", people_met=7, target=35.0)).target_share
        == 0.2
    )


def test_the_api_and_the_workbook_read_the_same_published_total(leader_client, api_leader, world):
    params = {**WEEK, "centre": world.brovst.pk, "publication": "1"}
    data = api_leader.get("/api/v1/reach/", params).json()
    assert (data["total"]["people_met"], data["total"]["suppressed"]["people_met"]) == (None, "x")
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(leader_client.get("/reach/export.xlsx", params).streaming_content)),
        read_only=True,
    )
    overview = list(book["Oversigt"].iter_rows(values_only=True))
    header = next(row for row in overview if row[0] == "Navn")
    table = {row[0]: dict(zip(header, row, strict=False)) for row in overview}
    people = "Mødte mennesker"
    assert (table["Skovsgaard"][people], table["I alt"][people]) == ("<3", "x")


@pytest.fixture
def api_leader(leader):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=leader).key}")
    return client
