"""The API for absences and qualifications (docs/people.md), through the same services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories as f
from volunteers.models import Absence, Qualification

TODAY = timezone.localdate()


def day(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def vera(volunteer_user):
    return volunteer_user.volunteer


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_volunteer_records_and_lists_their_own_absence(client, volunteer_user, vera, centre):
    Absence.objects.create(volunteer=f.make_volunteer(centre), starts_on=TODAY, ends_on=TODAY)
    client.force_login(volunteer_user)
    response = post(
        client, "/api/v1/absences/", {"starts_on": day(3), "ends_on": day(5), "category": "holiday"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["volunteer"] == vera.pk
    listed = client.get("/api/v1/absences/").json()
    assert [row["starts_on"] for row in listed["results"]] == [day(3)]


def test_an_absence_ending_before_it_starts_is_a_danish_400(client, volunteer_user):
    client.force_login(volunteer_user)
    response = post(
        client, "/api/v1/absences/", {"starts_on": day(5), "ends_on": day(3), "category": "other"}
    )
    assert response.status_code == 400
    assert response.json()["ends_on"] == ["Et fravær kan ikke slutte, før det begynder."]
    assert not Absence.objects.exists()


def test_an_overlapping_absence_is_a_400_naming_the_dates(client, volunteer_user, vera):
    Absence.objects.create(volunteer=vera, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=4))
    client.force_login(volunteer_user)
    response = post(
        client, "/api/v1/absences/", {"starts_on": day(4), "ends_on": day(9), "category": "other"}
    )
    assert response.status_code == 400
    assert "Det overlapper fraværet" in str(response.json())
    assert Absence.objects.count() == 1


def test_a_volunteer_cannot_record_for_someone_else(client, volunteer_user, centre):
    other = f.make_volunteer(centre)
    client.force_login(volunteer_user)
    response = post(
        client,
        "/api/v1/absences/",
        {"volunteer": other.pk, "starts_on": day(1), "ends_on": day(1), "category": "other"},
    )
    assert response.status_code == 400
    assert not Absence.objects.exists()


def test_a_coordinator_of_another_centre_neither_sees_nor_deletes(client, other_coordinator, vera):
    absence = Absence.objects.create(volunteer=vera, starts_on=TODAY, ends_on=TODAY)
    client.force_login(other_coordinator)
    assert client.get("/api/v1/absences/").json()["results"] == []
    assert client.delete(f"/api/v1/absences/{absence.pk}/").status_code == 404
    assert Absence.objects.exists()


def test_qualifications_are_set_by_coordinators_only(client, coordinator, volunteer_user, vera):
    client.force_login(volunteer_user)
    body = {"volunteer": vera.pk, "kind": "driving_licence", "valid_until": day(30)}
    assert post(client, "/api/v1/qualifications/", body).status_code == 403
    client.force_login(coordinator)
    assert post(client, "/api/v1/qualifications/", body).status_code == 201
    assert post(client, "/api/v1/qualifications/", {**body, "valid_until": None}).status_code == 200
    assert Qualification.objects.get().valid_until is None
    # the volunteer reads their own
    client.force_login(volunteer_user)
    assert client.get("/api/v1/qualifications/").json()["results"][0]["kind"] == "driving_licence"


def test_a_bad_volunteer_filter_is_a_400(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/api/v1/absences/?volunteer=abc").status_code == 400
    assert client.get("/api/v1/absences/?volunteer=١٢").status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/absences/", "/api/v1/qualifications/"])
def test_the_lists_cost_five_queries_however_many_rows(
    client, coordinator, centre, url, django_assert_num_queries
):
    for _n in range(10):
        person = f.make_volunteer(centre)
        Absence.objects.create(volunteer=person, starts_on=TODAY, ends_on=TODAY)
        Qualification.objects.create(volunteer=person, kind="food_hygiene")
    client.force_login(coordinator)
    # session, user, role_of, the page's count, the page's rows
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.json()["count"] == 10
