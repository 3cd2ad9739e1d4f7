"""POST /api/v1/visits/{id}/check-in/: the phone's queue checks in through the API."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories as f
from volunteers.models import Assignment, Volunteer

TODAY = timezone.localdate()


@pytest.fixture
def shift(stop, volunteer_user):
    visit = f.make_visit(stop, date=TODAY, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
    return f.make_assignment(visit, Volunteer.objects.get(user=volunteer_user))


def url(visit) -> str:
    return f"/api/v1/visits/{visit.pk}/check-in/"


def test_a_volunteer_checks_in_with_the_time_the_phone_says(api, volunteer_user, shift):
    tapped = timezone.localtime().replace(second=0, microsecond=0)
    if tapped.date() != TODAY:  # pragma: no cover - only just after midnight
        tapped = timezone.now()
    response = api(volunteer_user).post(url(shift.visit), {"at": tapped.isoformat()})
    assert response.status_code == 200, response.json()
    shift.refresh_from_db()
    assert shift.checked_in_at == tapped
    assert response.json()["visit"] == shift.visit_id
    # Again: the first check-in stands.
    again = api(volunteer_user).post(url(shift.visit), {})
    assert again.json()["checked_in_at"] == response.json()["checked_in_at"]


def test_someone_not_on_the_team_gets_404(api, volunteer_user, stop, centre):
    visit = f.make_visit(stop, date=TODAY)
    response = api(volunteer_user).post(url(visit), {})
    assert response.status_code == 404
    assert not Assignment.objects.filter(visit=visit).exists()


def test_anonymous_is_401_and_a_bad_time_is_400(api, volunteer_user, shift):
    assert api().post(url(shift.visit), {}).status_code == 401
    response = api(volunteer_user).post(url(shift.visit), {"at": "snart"})
    assert response.status_code == 400
    assert "at" in response.json()
    shift.refresh_from_db()
    assert shift.checked_in_at is None


def test_the_session_needs_its_csrf_token(client, volunteer_user, shift):
    """The phone's queue uses the session: without the CSRF header it is refused."""
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(volunteer_user)
    assert session.post(url(shift.visit), {}, format="json").status_code == 403
    session.get("/today/")
    token = session.cookies["csrftoken"].value
    response = session.post(url(shift.visit), {}, format="json", headers={"x-csrftoken": token})
    assert response.status_code == 200
