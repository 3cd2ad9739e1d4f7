"""
The PDF's exact query budget: a fixed head, then the same few queries for each covered
centre (its stops as the dashboard's centre page reads them), never one per stop or week.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from stops.models import Funder

WEEK = {"week": "2025-W48"}
HEAD = (
    "the session",
    "the session's user",
    "the user's role",
    "the funder",
    "the funder's covered stops (ReachQuery.build)",
    "the funder's centres (home visits)",
    "the stops counted",
    "the grant has stops (check_request)",
    "the service types",
    "the rows' volunteers and referrals (one UNION)",
    "the regions' rows, home visits as a subquery",
    "the targets",
    "the covered stops with their centres",
)
PER_CENTRE = (
    "the centre's counted ids",
    "the funder's covered stops (ReachQuery.build)",
    "the funder's centres (home visits)",
    "the stops counted",
    "the service types",
    "the rows' volunteers and referrals (one UNION)",
    "the stops' rows",
    "the centre's home visits (the total's)",
    "the targets",
    "the stop × week rows (suppression)",
)
TAIL = (
    "the weekly trend",
    "completeness per centre",
    "timeliness",
)


def count(client, funder) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/funders/{funder.pk}/report/", WEEK)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_pdf_costs_a_fixed_head_and_the_same_queries_per_centre(leader_client, world):
    one = Funder.objects.create(name="Én", start_date=dt.date(2025, 1, 1))
    one.centres.add(world.mors)
    two = Funder.objects.create(name="To", start_date=dt.date(2025, 1, 1))
    two.centres.add(world.mors, world.skjern)
    first, second = count(leader_client, one), count(leader_client, two)
    assert len(first) == len(HEAD) + len(PER_CENTRE) + len(TAIL), first
    assert len(second) == len(first) + len(PER_CENTRE), second
