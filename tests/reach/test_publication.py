"""Publication figures: small counts hidden, and never recoverable from a total."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from reach.publication import HIDDEN, SMALL, suppress
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


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


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
