"""Check in to my shift: records that I was there (volunteer hours); mine only; once."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests import factories as f
from visits.choices import VisitStatus
from volunteers.models import Assignment

from .conftest import TODAY


@pytest.fixture
def shift(stop, vera):
    visit = f.make_visit(stop, date=TODAY)
    return f.make_assignment(visit, vera)


def check_in(client, visit, body=None):
    if body is None:
        return client.post(f"/visits/{visit.pk}/check-in/")
    return client.post(
        f"/visits/{visit.pk}/check-in/",
        data=json.dumps(body),
        content_type="application/json",
        headers={"accept": "application/json"},
    )


def test_it_asks_anonymous_visitors_to_log_in(client, shift):
    response = check_in(client, shift.visit)
    assert response.status_code == 302
    assert check_in(client, shift.visit, {}).status_code == 401


def test_a_volunteer_checks_in_to_their_shift(client, volunteer_user, shift):
    client.force_login(volunteer_user)
    response = check_in(client, shift.visit)
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.checked_in_at is not None


def test_checking_in_twice_keeps_the_first_time(client, volunteer_user, shift):
    client.force_login(volunteer_user)
    check_in(client, shift.visit)
    first = Assignment.objects.get().checked_in_at
    response = check_in(client, shift.visit, {"at": timezone.now().isoformat()})
    assert response.status_code == 200
    assert Assignment.objects.get().checked_in_at == first


def test_the_phone_time_counts_when_it_waited_offline(client, volunteer_user, shift):
    client.force_login(volunteer_user)
    tapped = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    response = check_in(client, shift.visit, {"at": tapped.isoformat()})
    assert response.status_code == 200
    assert Assignment.objects.get().checked_in_at == tapped


@pytest.mark.parametrize("ahead", [None, dt.timedelta(minutes=5)])
def test_no_phone_time_or_a_clock_a_little_ahead_gives_way_to_now(
    client, volunteer_user, shift, ahead
):
    client.force_login(volunteer_user)
    before = timezone.now()
    at = (before + ahead).isoformat() if ahead else None
    assert check_in(client, shift.visit, {"at": at}).status_code == 200
    assert before <= Assignment.objects.get().checked_in_at <= timezone.now()


def test_a_phone_time_on_another_day_gives_way_to_now(client, volunteer_user, shift):
    client.force_login(volunteer_user)
    before = timezone.now()
    response = check_in(client, shift.visit, {"at": "2001-01-01T10:00:00+01:00"})
    assert response.status_code == 200
    assert Assignment.objects.get().checked_in_at >= before


@pytest.mark.parametrize(
    "at",
    [
        "2026-13-40T99:00",
        "2026-02-30T10:00:00+01:00",
        "abc",
        "",
        12,
        ["2026-11-24T10:00:00+01:00"],
        "2026-11-24T10:00:00",
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        "2099-01-01T10:00:00+01:00",
    ],
)
def test_a_malformed_or_impossible_phone_time_is_refused_with_400(
    client, volunteer_user, shift, at
):
    client.force_login(volunteer_user)
    response = check_in(client, shift.visit, {"at": at})
    assert response.status_code == 400
    assert "Tidspunktet" in response.json()["detail"]
    assert Assignment.objects.get().checked_in_at is None


def test_someone_not_on_the_team_gets_404(client, centre, shift):
    colleague = f.make_user("colleague")
    f.make_volunteer(centre, user=colleague)
    client.force_login(colleague)
    assert check_in(client, shift.visit).status_code == 404
    assert check_in(client, shift.visit, {}).status_code == 404
    assert Assignment.objects.get().checked_in_at is None


@pytest.mark.parametrize("user_fixture", ["other_coordinator", "coordinator", "leader"])
def test_people_without_a_shift_get_404(client, request, shift, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert check_in(client, shift.visit).status_code == 404
    assert Assignment.objects.get().checked_in_at is None


def test_a_future_shift_cannot_be_checked_in(client, volunteer_user, stop, vera):
    future = f.make_assignment(f.make_visit(stop, date=TODAY + dt.timedelta(days=1)), vera)
    client.force_login(volunteer_user)
    response = check_in(client, future.visit, {})
    assert response.status_code == 400
    assert "på dagen" in response.json()["detail"]
    future.refresh_from_db()
    assert future.checked_in_at is None


def test_a_cancelled_shift_cannot_be_checked_in(client, volunteer_user, shift):
    shift.visit.status = VisitStatus.CANCELLED
    shift.visit.save()
    client.force_login(volunteer_user)
    assert check_in(client, shift.visit, {}).status_code == 400
    assert Assignment.objects.get().checked_in_at is None


def test_get_is_refused(client, volunteer_user, shift):
    client.force_login(volunteer_user)
    assert client.get(f"/visits/{shift.visit.pk}/check-in/").status_code == 405


def test_an_administrator_without_a_shift_gets_404(client, admin_user, shift):
    client.force_login(admin_user)
    assert check_in(client, shift.visit, {}).status_code == 404
    assert Assignment.objects.get().checked_in_at is None
