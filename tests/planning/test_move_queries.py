"""
Moving a visit reads its row once: the service sets what it wrote on the instance
and the view renders from it (it used to read the row back twice: 15 queries).
"""

import datetime as dt

import pytest

from tests import factories as f
from tests.planning.helpers import next_week, on
from visits.models import Visit

HTMX = {"HX-Request": "true", "HX-Target": "editor-body"}


@pytest.fixture
def visit(stop):
    return f.make_visit(stop, date=on(2), start_time=dt.time(10), end_time=dt.time(12))


def test_moving_a_visit_costs_13_queries(
    client, coordinator, centre, visit, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get("/")  # the session is read once before the count
    payload = {
        "version": 1,
        "date": on(3).isoformat(),
        "start_time": "11:00",
        "end_time": "13:00",
        "week": str(next_week()),
    }
    # 1 session, 2 user, 3 is the user in leadership (role_of), 4 the centre, 5 the visit
    # within reach (with its stop); 6 savepoint, 7 compare-and-set UPDATE, 8 its
    # history row, 9 release; the editor: 10 the week's visits, 11 their teams,
    # 12 the centre's vans, 13 the centre's volunteers for the assign form.
    with django_assert_num_queries(13):
        response = client.post(
            f"/centres/{centre.pk}/visits/{visit.pk}/move/", payload, headers=HTMX
        )
    assert response.status_code == 200
    assert "11:00" in response.text
    assert 'name="version" value="2"' in response.text  # rendered from what was written
    stored = Visit.objects.get(pk=visit.pk)
    assert (stored.date, stored.start_time, stored.version) == (on(3), dt.time(11), 2)
    latest = stored.history.latest()
    assert (latest.date, latest.start_time, latest.version) == (on(3), dt.time(11), 2)
