"""
The phone's three JSON doors (a report, a home visit, a check-in) answer a body
nested too deeply for Python's parser as the API does: 400 with a Danish message,
nothing written (it was a RecursionError, a server error).
"""

import pytest

from tests import factories as f
from visits.models import HomeVisit, VisitReport
from volunteers.models import Assignment

from .conftest import TODAY

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000


@pytest.fixture
def shift(stop, vera):
    return f.make_assignment(f.make_visit(stop, date=TODAY), vera)


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
@pytest.mark.parametrize("door", ["report", "home_visit", "check_in"])
def test_a_body_nested_too_deeply_is_a_400_and_nothing_is_written(
    client, volunteer_user, visit, shift, door, body
):
    url = {
        "report": f"/visits/{visit.pk}/report/",
        "home_visit": "/home-visits/new/",
        "check_in": f"/visits/{shift.visit.pk}/check-in/",
    }[door]
    client.force_login(volunteer_user)
    response = client.post(
        url, body, content_type="application/json", headers={"accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON-dataene er indlejret for dybt."
    assert not VisitReport.objects.exists() and not HomeVisit.objects.exists()
    assert not Assignment.objects.filter(checked_in_at__isnull=False).exists()


def test_the_api_answers_it_with_the_same_message(client, volunteer_user, visit):
    client.force_login(volunteer_user)
    response = client.put(
        f"/api/v1/visits/{visit.pk}/report/", DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON-dataene er indlejret for dybt."
