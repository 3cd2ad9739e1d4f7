"""The API's shifts doors: the same rules as the pages, in Danish, with 4xx statuses."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from shifts.models import Offer
from tests import factories as f
from tests.shifts.conftest import NEXT_WEEK
from volunteers.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def call(user, method, url, body=None):
        client.force_login(user)
        return client.generic(
            method,
            url,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
        )

    return call


def test_the_phones_queued_decline_counts_once(api, volunteer_user, vera_on, dan_on, hans):
    body = {"answer": "declined", "reason": "plans", "submission_id": str(uuid.uuid4())}
    first = api(volunteer_user, "POST", f"/api/v1/shifts/{vera_on.pk}/answer/", body)
    again = api(volunteer_user, "POST", f"/api/v1/shifts/{vera_on.pk}/answer/", body)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["answer"] == "declined" and again.json() == first.json()
    assert Offer.objects.count() == 1


def test_declining_a_passed_shift_is_a_danish_400(api, volunteer_user, stop, vera):
    past = f.make_assignment(
        f.make_visit(stop, date=timezone.localdate() - dt.timedelta(days=2)), vera
    )
    response = api(
        volunteer_user, "POST", f"/api/v1/shifts/{past.pk}/answer/", {"answer": "declined"}
    )
    assert response.status_code == 400
    assert "begyndt eller er forbi" in response.content.decode()


def test_taking_the_last_place_after_someone_else_is_409(api, volunteer_user, visit, dan_on, hans):
    visit.places_wanted = 2
    visit.save()
    f.make_assignment(visit, hans)
    response = api(
        volunteer_user, "POST", "/api/v1/open-places/take/", {"visit": visit.pk, "role": "host"}
    )
    assert response.status_code == 409
    assert "taget af en anden" in response.json()["detail"]


def test_taking_a_place_of_another_centre_is_404(api, volunteer_user, other_stop):
    other = f.make_visit(other_stop, date=NEXT_WEEK)
    response = api(
        volunteer_user, "POST", "/api/v1/open-places/take/", {"visit": other.pk, "role": "host"}
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_a_drivers_place_without_a_licence_is_a_danish_400(api, volunteer_user, visit, vera):
    vera.is_driver = True
    vera.save()
    response = api(
        volunteer_user, "POST", "/api/v1/open-places/take/", {"visit": visit.pk, "role": "driver"}
    )
    assert response.status_code == 400
    assert "kørekort" in response.content.decode()


def test_a_hand_over_to_another_centre_is_a_400(api, volunteer_user, vera_on, olga):
    response = api(
        volunteer_user, "POST", f"/api/v1/shifts/{vera_on.pk}/hand-over/", {"to_volunteer": olga.pk}
    )
    assert response.status_code == 400
    assert "dit center" in response.content.decode()


def test_an_offer_accepted_after_it_was_taken_is_409(api, vera_on, dan_on, hans, centre):
    ida = f.make_volunteer(
        centre, user=f.make_user("ida"), name="Ida", available_weekdays="1234567"
    )
    api(
        vera_on.volunteer.user,
        "POST",
        f"/api/v1/shifts/{vera_on.pk}/answer/",
        {"answer": "declined"},
    )
    first = api(
        hans.user, "POST", f"/api/v1/offers/{Offer.objects.get(volunteer=hans).pk}/accept/", {}
    )
    late = api(
        ida.user, "POST", f"/api/v1/offers/{Offer.objects.get(volunteer=ida).pk}/accept/", {}
    )
    assert (first.status_code, late.status_code) == (200, 409)
    assert "En anden har taget denne plads" in late.json()["detail"]


def test_the_open_places_list_has_an_exact_query_budget(
    client, volunteer_user, stop, django_assert_num_queries
):
    for day in range(1, 6):
        f.make_visit(stop, date=timezone.localdate() + dt.timedelta(days=day))
    client.force_login(volunteer_user)
    client.get("/api/v1/open-places/")
    # session, user, the volunteer, visits with places counted, my licence, my shifts,
    # my pending requests
    with django_assert_num_queries(7):
        response = client.get("/api/v1/open-places/")
    assert response.json()["count"] == 5


def test_my_shifts_list_costs_the_same_queries_for_one_shift_or_five(
    client, volunteer_user, stop, django_assert_num_queries
):
    client.force_login(volunteer_user)

    def shifts_then_count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/shifts/")
        assert response.status_code == 200
        return len(queries)

    f.make_assignment(
        f.make_visit(stop, date=timezone.localdate() + dt.timedelta(days=1)),
        volunteer_user.volunteer,
    )
    one = shifts_then_count()
    for day in range(2, 6):
        f.make_assignment(
            f.make_visit(stop, date=timezone.localdate() + dt.timedelta(days=day)),
            volunteer_user.volunteer,
        )
    # session, user, the volunteer, the page's count, the page's shifts with visit and stop
    assert one == 5
    with django_assert_num_queries(5):
        response = client.get("/api/v1/shifts/")
    assert len(response.json()["results"] if "results" in response.json() else response.json()) == 5
