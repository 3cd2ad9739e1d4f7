import pytest

from core.access import Role, role_of
from stops.models import CentreSite, Stop
from tests import factories as f
from visits.models import Visit
from volunteers.models import Volunteer


@pytest.fixture
def two_visits(stop, other_stop):
    return f.make_visit(stop), f.make_visit(other_stop)


def test_roles(admin_user, leader, coordinator, volunteer_user, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert role_of(admin_user) == Role.ADMIN
    assert role_of(leader) == Role.LEADERSHIP
    assert role_of(coordinator) == Role.COORDINATOR
    assert role_of(volunteer_user) == Role.VOLUNTEER
    assert role_of(f.make_user()) == Role.NONE
    assert role_of(AnonymousUser()) == Role.NONE


def test_an_inactive_volunteer_has_no_role(volunteer_user):
    Volunteer.objects.filter(user=volunteer_user).update(active=False)
    assert role_of(volunteer_user) == Role.NONE


def test_the_role_takes_one_query_and_is_cached(coordinator, django_assert_num_queries):
    with django_assert_num_queries(1):
        role_of(coordinator)
        role_of(coordinator)


def test_administrator_and_leadership_read_every_centre(admin_user, leader, two_visits):
    for user in (admin_user, leader):
        assert Visit.objects.for_user(user).count() == 2
        assert CentreSite.objects.for_user(user).count() == 2


def test_a_coordinator_reads_and_edits_only_their_centre(coordinator, two_visits, stop):
    own, _other = two_visits
    assert list(Visit.objects.for_user(coordinator)) == [own]
    assert list(Visit.objects.editable_by(coordinator)) == [own]
    assert list(Stop.objects.for_user(coordinator)) == [stop]


def test_a_coordinator_of_two_centres_reaches_both(coordinator, other_centre, two_visits):
    other_centre.coordinators.add(coordinator)
    assert Visit.objects.for_user(coordinator).count() == 2


def test_leadership_edits_nothing(leader, two_visits):
    assert not Visit.objects.editable_by(leader).exists()
    assert not Stop.objects.editable_by(leader).exists()


def test_a_volunteer_reads_their_centre_and_edits_no_plans(volunteer_user, two_visits):
    own, _other = two_visits
    assert list(Visit.objects.for_user(volunteer_user)) == [own]
    assert not Visit.objects.editable_by(volunteer_user).exists()


def test_a_user_without_a_role_reaches_nothing(db, two_visits):
    from django.contrib.auth.models import AnonymousUser

    for user in (f.make_user(), AnonymousUser()):
        assert not Visit.objects.for_user(user).exists()
        assert not CentreSite.objects.for_user(user).exists()
