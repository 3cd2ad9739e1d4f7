"""
The role and the session are read by precompiled statements (core/precompiled.py):
the same answers as the ORM's queries, asked once per request, and a change counts
at once.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.access import Role, role_of
from core.precompiled import Precompiled
from tests import factories as f


def fresh(user):
    """The user as the next request loads it (nothing cached on the object)."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.django_db
def test_every_role_is_answered_as_before(coordinator, volunteer_user, leader, admin_user):
    nobody = f.make_user("nobody")
    retired = f.make_user("retired")
    f.make_volunteer(user=retired, active=False)
    assert role_of(fresh(coordinator)) == Role.COORDINATOR
    assert role_of(fresh(volunteer_user)) == Role.VOLUNTEER
    assert role_of(fresh(leader)) == Role.LEADERSHIP
    assert role_of(fresh(admin_user)) == Role.ADMIN
    assert role_of(fresh(nobody)) == Role.NONE
    assert role_of(fresh(retired)) == Role.NONE


@pytest.mark.django_db
def test_it_asks_once_per_request(coordinator):
    user = fresh(coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert role_of(user) == Role.COORDINATOR
        assert role_of(user) == Role.COORDINATOR
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_new_membership_counts_on_the_next_request(centre, other_centre):
    user = f.make_user("newcomer")
    assert role_of(fresh(user)) == Role.NONE
    f.make_volunteer(centre, user=user)
    assert role_of(fresh(user)) == Role.VOLUNTEER
    other_centre.coordinators.add(user)
    assert role_of(fresh(user)) == Role.COORDINATOR
    other_centre.coordinators.remove(user)
    assert role_of(fresh(user)) == Role.VOLUNTEER


@pytest.mark.django_db
def test_it_reads_values_as_the_orm_does(coordinator, leader):
    users = get_user_model()._default_manager
    query = Precompiled(
        lambda pk, name: users.filter(pk=pk, username=name).values_list(
            "is_active", models.Value(True, output_field=models.BooleanField())
        ),
        [int, str],
    )
    assert query.rows(coordinator.pk, "alice") == [(True, True)]
    assert query.rows(leader.pk, "lea") == [(True, True)]
    assert query.rows(leader.pk, "alice") == []


def test_an_argument_that_does_not_reach_the_sql_is_refused(db):
    users = get_user_model()._default_manager
    query = Precompiled(lambda pk: users.filter(pk=1), [int])
    with pytest.raises(ValueError, match="reach its SQL"):
        query.rows(5)


@pytest.mark.django_db
def test_a_live_session_signs_in_and_an_expired_one_does_not(client, coordinator, centre):
    week = reverse("planning:week", args=[centre.pk])
    client.force_login(coordinator)
    assert client.get(week).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(week)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
