"""Away by date (issue 13, item 5): the phone's page, the coordinator's, the rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests import factories as f
from tests.concurrency import at_once, raised
from volunteers.models import Absence
from volunteers.people_services import absence_add

TODAY = timezone.localdate()


def on(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def vera(volunteer_user):
    return volunteer_user.volunteer


@pytest.fixture
def phone(client, volunteer_user):
    client.force_login(volunteer_user)
    return client


def test_a_volunteer_records_an_absence_on_the_phone(phone, vera):
    response = phone.post(
        "/profile/absences/", {"starts_on": on(10), "ends_on": on(14), "category": "holiday"}
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.volunteer, absence.starts_on, absence.ends_on) == (
        vera,
        TODAY + dt.timedelta(days=10),
        TODAY + dt.timedelta(days=14),
    )
    assert absence.created_by == vera.user
    page = phone.get("/profile/absences/")
    assert "Ferie" in page.content.decode()


def test_an_absence_that_ends_before_it_starts_is_refused_in_danish(phone):
    response = phone.post(
        "/profile/absences/", {"starts_on": on(10), "ends_on": on(9), "category": "illness"}
    )
    assert response.status_code == 400
    assert "Et fravær kan ikke slutte, før det begynder." in response.content.decode()
    assert not Absence.objects.exists()


def test_an_overlapping_absence_is_refused_with_the_dates_it_overlaps(phone, vera):
    Absence.objects.create(
        volunteer=vera,
        starts_on=TODAY + dt.timedelta(days=10),
        ends_on=TODAY + dt.timedelta(days=14),
    )
    response = phone.post(
        "/profile/absences/", {"starts_on": on(14), "ends_on": on(20), "category": "other"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Det overlapper fraværet" in body
    first = TODAY + dt.timedelta(days=10)
    assert f"{first:%d.%m.%Y}" in body
    assert Absence.objects.count() == 1


def test_an_absence_wholly_in_the_past_is_refused_but_one_from_yesterday_is_kept(vera):
    with pytest.raises(ValidationError) as refused:
        absence_add(
            volunteer=vera,
            starts_on=TODAY - dt.timedelta(days=5),
            ends_on=TODAY - dt.timedelta(days=2),
            category="illness",
            user=None,
        )
    assert "ends_on" in refused.value.error_dict
    kept = absence_add(
        volunteer=vera,
        starts_on=TODAY - dt.timedelta(days=3),
        ends_on=TODAY - dt.timedelta(days=1),
        category="illness",
        user=None,
    )
    assert kept.pk


def test_an_unknown_category_is_refused(phone):
    response = phone.post(
        "/profile/absences/", {"starts_on": on(1), "ends_on": on(2), "category": "funeral"}
    )
    assert response.status_code == 400
    assert not Absence.objects.exists()


def test_the_phone_tells_the_volunteer_about_their_shifts_inside(phone, vera, stop):
    f.make_assignment(f.make_visit(stop, date=TODAY + dt.timedelta(days=3)), vera)
    response = phone.post(
        "/profile/absences/",
        {"starts_on": on(2), "ends_on": on(4), "category": "holiday"},
        follow=True,
    )
    assert "Du er sat på 1 besøg i perioden" in response.content.decode()


def test_a_volunteer_deletes_only_their_own_absence(phone, vera, centre):
    mine = Absence.objects.create(volunteer=vera, starts_on=TODAY, ends_on=TODAY)
    someone = f.make_volunteer(centre)
    theirs = Absence.objects.create(volunteer=someone, starts_on=TODAY, ends_on=TODAY)
    assert phone.post(f"/profile/absences/{theirs.pk}/delete/").status_code == 404
    assert phone.post(f"/profile/absences/{mine.pk}/delete/").status_code == 302
    assert list(Absence.objects.all()) == [theirs]


def test_the_absences_list_costs_five_queries_however_many(phone, vera, django_assert_num_queries):
    for start in range(0, 30, 3):
        Absence.objects.create(
            volunteer=vera,
            starts_on=TODAY + dt.timedelta(days=start),
            ends_on=TODAY + dt.timedelta(days=start + 1),
        )
    # session, user, the volunteer profile (volunteer_of), the absences, and the
    # volunteer app's base template: role_of (one query for the menu).
    with django_assert_num_queries(5):
        response = phone.get("/profile/absences/")
    assert response.content.decode().count("/delete/") == 10


def test_the_phone_page_fits_a_phone_and_has_no_inline_script(phone):
    body = phone.get("/profile/absences/").content.decode()
    assert "<script>" not in body and "style=" not in body
    assert 'type="date"' in body


def test_a_coordinator_records_an_absence_and_sees_the_shifts_to_re_plan(
    client, coordinator, centre, vera, stop
):
    f.make_assignment(f.make_visit(stop, date=TODAY + dt.timedelta(days=3)), vera)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/volunteers/{vera.pk}/absences/",
        {"starts_on": on(1), "ends_on": on(7), "category": "illness"},
        follow=True,
    )
    body = response.content.decode()
    assert Absence.objects.get().created_by == coordinator
    assert "Vera Frivillig er sat på 1 besøg i perioden: Redsted" in body


def test_a_coordinator_of_another_centre_gets_404(client, other_coordinator, centre, vera):
    client.force_login(other_coordinator)
    response = client.post(
        f"/centres/{centre.pk}/volunteers/{vera.pk}/absences/",
        {"starts_on": on(1), "ends_on": on(7), "category": "illness"},
    )
    assert response.status_code == 404
    assert not Absence.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_absences_sent_at_once_store_exactly_one(volunteer_user):
    """The phone and the coordinator at the same moment: the volunteer's row lock decides."""
    vera_id = volunteer_user.volunteer.pk

    def send(start: int, end: int):
        from volunteers.models import Volunteer

        return absence_add(
            volunteer=Volunteer.objects.get(pk=vera_id),
            starts_on=TODAY + dt.timedelta(days=start),
            ends_on=TODAY + dt.timedelta(days=end),
            category="holiday",
            user=None,
        )

    results = at_once(lambda: send(3, 8), lambda: send(5, 10))
    errors = raised(results)
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "Det overlapper fraværet" in errors[0].messages[0]
    assert Absence.objects.count() == 1
