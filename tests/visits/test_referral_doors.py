"""
Referral counts are checked by one rule (visits.services.referrals_clean) whichever
door sends them: a report from the phone or the API, a home visit from the phone or
the API. A bad referral is a Danish 400 at each, and nothing is written.
"""

import json
import uuid

import pytest
from django.test import Client

from tests.api.conftest import client_for
from visits import limits
from visits.models import HomeVisit, VisitReport

from .conftest import YESTERDAY

DOORS = ["report: phone", "report: API", "home visit: phone", "home visit: API"]
UNKNOWN = 424242


def send(door: str, user, visit, referrals: list[dict]) -> tuple[int, str]:
    submission = str(uuid.uuid4())
    if door.startswith("report"):
        body = {"submission_id": submission, "people_met": 5, "referrals": referrals}
        url = f"/visits/{visit.pk}/report/"
    else:
        body = {
            "submission_id": submission,
            "centre": visit.stop.centre_id,
            "date": YESTERDAY.isoformat(),
            "duration_minutes": 60,
            "referrals": referrals,
        }
        url = "/home-visits/new/"
    if door.endswith("API"):
        api = client_for(user)
        if door.startswith("report"):
            response = api.put(f"/api/v1/visits/{visit.pk}/report/", body, format="json")
        else:
            response = api.post("/api/v1/home-visits/", body, format="json")
    else:
        if not door.startswith("report"):
            body["referrals"] = {str(r["service_type"]): r["count"] for r in referrals}
        client = Client()
        client.force_login(user)
        response = client.post(
            url, json.dumps(body), content_type="application/json",
            headers={"accept": "application/json"},
        )  # fmt: skip
    return response.status_code, json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("door", DOORS)
def test_an_unknown_service_type_is_a_danish_400_at_every_door(door, coordinator, visit):
    status, text = send(door, coordinator, visit, [{"service_type": UNKNOWN, "count": 1}])
    assert status == 400
    assert "Ukendt hjælpetilbud" in text
    assert not VisitReport.objects.exists() and not HomeVisit.objects.exists()


@pytest.mark.parametrize("door", DOORS)
def test_too_many_referrals_of_one_kind_is_a_danish_400_at_every_door(
    door, coordinator, visit, debt
):
    status, text = send(door, coordinator, visit, [{"service_type": debt.pk, "count": 10_000}])
    # One limit (visits.limits.MAX_REFERRALS); each door words it as its other fields'
    # limits are worded (the phone's form "Højst 100", the API's serializer).
    assert status == 400
    assert str(limits.MAX_REFERRALS) in text
    assert "Højst" in text or "mindre end eller lig med" in text
    assert not VisitReport.objects.exists() and not HomeVisit.objects.exists()
