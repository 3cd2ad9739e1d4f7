"""
The three doors that log a home visit (the API, the phone's queue, the plain form)
call one service, home_visit_submit: the same sender with the same home visit gets
the same answer at each, and the same row is stored.
"""

import datetime as dt
import json
import uuid

import pytest
from django.test import Client

from tests import factories as f
from tests.api.conftest import client_for
from visits.models import HomeVisit

YESTERDAY = dt.date.today() - dt.timedelta(days=1)
DOORS = ["api", "phone queue", "phone form"]


def send(door: str, user, centre, **fields) -> tuple[int, str]:
    """Log a home visit through one door: (HTTP status, the answer's text)."""
    data = {
        "submission_id": str(uuid.uuid4()),
        "centre": centre.pk,
        "date": YESTERDAY.isoformat(),
        "duration_minutes": 60,
        "note": "",
        **fields,
    }
    if door == "api":
        response = client_for(user).post("/api/v1/home-visits/", data, format="json")
        return response.status_code, json.dumps(response.json(), ensure_ascii=False)
    client = Client()
    client.force_login(user)
    if door == "phone queue":
        response = client.post(
            "/home-visits/new/",
            json.dumps(data),
            content_type="application/json",
            headers={"accept": "application/json"},
        )
        return response.status_code, json.dumps(response.json(), ensure_ascii=False)
    response = client.post("/home-visits/new/", data)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("door", DOORS)
def test_a_closed_centre_is_refused_with_a_danish_400_at_every_door(door, coordinator, centre):
    centre.active = False
    centre.save()
    status, text = send(door, coordinator, centre)
    assert status == 400
    assert "Centret er lukket" in text
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize("door", DOORS)
def test_a_coordinator_with_a_volunteer_profile_is_recorded_as_who_went(door, coordinator, centre):
    profile = f.make_volunteer(centre, user=coordinator)
    status, _text = send(door, coordinator, centre)
    assert status in (201, 302)  # the plain form goes on to the next page
    assert HomeVisit.objects.get().volunteer == profile


@pytest.mark.parametrize("door", DOORS)
def test_a_coordinator_without_a_profile_records_nobody(door, coordinator, centre):
    status, _text = send(door, coordinator, centre)
    assert status in (201, 302)
    assert HomeVisit.objects.get().volunteer is None


@pytest.mark.parametrize("door", DOORS)
def test_a_volunteer_is_recorded_as_themselves(door, volunteer_user, centre):
    status, _text = send(door, volunteer_user, centre)
    assert status in (201, 302)
    assert HomeVisit.objects.get().volunteer.user == volunteer_user


@pytest.mark.parametrize("door", DOORS)
def test_another_centre_is_unknown_at_every_door(door, coordinator, other_centre):
    status, _text = send(door, coordinator, other_centre)
    assert status == 400
    assert not HomeVisit.objects.exists()


def test_the_api_lets_a_coordinator_name_another_of_the_centres_volunteers(coordinator, centre):
    """The one thing only the API can say (the form has no such field)."""
    f.make_volunteer(centre, user=coordinator)
    other = f.make_volunteer(centre)
    status, _text = send("api", coordinator, centre, volunteer=other.pk)
    assert status == 201
    assert HomeVisit.objects.get().volunteer == other
