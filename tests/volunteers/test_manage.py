"""The coordinator manages the centre's volunteers in the app (issue 13, items 6 and 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tests import factories as f
from volunteers.models import Absence, Qualification, Volunteer

TODAY = timezone.localdate()


@pytest.fixture
def vera(volunteer_user):
    return volunteer_user.volunteer


@pytest.fixture
def alice(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_coordinator_adds_a_volunteer_with_roles_and_weekdays(alice, centre):
    response = alice.post(
        f"/centres/{centre.pk}/volunteers/new/",
        {
            "name": "Nina Ny",
            "phone": "20 30 40 50",
            "is_driver": "on",
            "weekdays": ["2", "4"],
            "active": "on",
        },
    )
    nina = Volunteer.objects.get(name="Nina Ny")
    assert response.status_code == 302
    assert response.url == f"/centres/{centre.pk}/volunteers/{nina.pk}/"
    assert (nina.home_centre, nina.is_driver, nina.is_host, nina.available_weekdays) == (
        centre,
        True,
        False,
        "24",
    )
    assert nina.history.get().history_user.username == "alice"


def test_a_volunteer_without_a_name_is_refused_and_nothing_is_stored(alice, centre):
    response = alice.post(f"/centres/{centre.pk}/volunteers/new/", {"name": "", "active": "on"})
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.text
    assert not Volunteer.objects.exists()


def test_a_coordinator_edits_and_deactivates_a_volunteer(alice, centre, vera):
    response = alice.post(
        f"/centres/{centre.pk}/volunteers/{vera.pk}/edit/",
        {"name": "Vera Frivillig", "is_adviser": "on", "weekdays": ["1"]},
    )
    assert response.status_code == 302
    vera.refresh_from_db()
    assert (vera.active, vera.is_adviser, vera.is_host, vera.available_weekdays) == (
        False,
        True,
        False,
        "1",
    )
    page = alice.get(f"/centres/{centre.pk}/volunteers/{vera.pk}/").text
    assert "Seneste ændringer" in page and "aktiv" in page and "alice" in page


def test_another_centres_volunteer_is_404_on_every_manage_page(alice, other_centre, centre):
    ole = f.make_volunteer(other_centre, name="Ole")
    base = f"/centres/{centre.pk}/volunteers/{ole.pk}/"
    assert alice.get(base).status_code == 404
    assert alice.get(f"{base}edit/").status_code == 404
    assert alice.post(f"{base}qualifications/", {"kind": "food_hygiene"}).status_code == 404
    # and through the other centre's own address: not the coordinator's centre
    assert alice.get(f"/centres/{other_centre.pk}/volunteers/{ole.pk}/").status_code == 404
    assert not Qualification.objects.exists()


def test_a_coordinator_records_a_licence_with_its_expiry(alice, centre, vera):
    until = TODAY + dt.timedelta(days=20)
    response = alice.post(
        f"/centres/{centre.pk}/volunteers/{vera.pk}/qualifications/",
        {"kind": "driving_licence", "valid_until": until.isoformat()},
    )
    assert response.status_code == 302
    assert vera.holds_valid_licence(until) and not vera.holds_valid_licence(
        until + dt.timedelta(days=1)
    )
    # the same kind again changes the one row
    alice.post(
        f"/centres/{centre.pk}/volunteers/{vera.pk}/qualifications/",
        {"kind": "driving_licence", "valid_until": ""},
    )
    assert Qualification.objects.get().valid_until is None


def test_a_qualification_that_expires_before_it_was_issued_is_refused(alice, centre, vera):
    response = alice.post(
        f"/centres/{centre.pk}/volunteers/{vera.pk}/qualifications/",
        {"kind": "food_hygiene", "issued_on": "2026-05-01", "valid_until": "2026-04-01"},
    )
    assert response.status_code == 400
    assert "Den kan ikke udløbe, før den er udstedt." in response.text
    assert not Qualification.objects.exists()


def test_the_list_shows_what_expires_in_the_next_30_days(alice, centre, vera, other_centre):
    soon = f.make_volunteer(centre, name="Snart Udløb")
    Qualification.objects.create(
        volunteer=soon, kind="driving_licence", valid_until=TODAY + dt.timedelta(days=12)
    )
    Qualification.objects.create(
        volunteer=vera, kind="food_hygiene", valid_until=TODAY + dt.timedelta(days=60)
    )
    elsewhere = f.make_volunteer(other_centre, name="Andet Center")
    Qualification.objects.create(
        volunteer=elsewhere, kind="driving_licence", valid_until=TODAY + dt.timedelta(days=3)
    )
    text = alice.get(f"/centres/{centre.pk}/volunteers/").text
    section = text[text.index("Udløber inden for 30 dage") :]
    section = section[: section.index("</section>")]
    assert "Snart Udløb" in section and "Kørekort" in section
    assert "Vera" not in section and "Andet Center" not in section


def test_the_list_costs_six_queries_however_many_volunteers(
    alice, centre, django_assert_num_queries
):
    for n in range(12):
        person = f.make_volunteer(centre, name=f"Person {n}")
        Qualification.objects.create(
            volunteer=person, kind="driving_licence", valid_until=TODAY + dt.timedelta(days=n)
        )
        Absence.objects.create(volunteer=person, starts_on=TODAY, ends_on=TODAY)
    # session, user, role_of, the centre, the expiring qualifications, the volunteers
    # with their no-shows and away-today (one query, aggregates in SQL).
    with django_assert_num_queries(6):
        text = alice.get(f"/centres/{centre.pk}/volunteers/").text
    assert text.count("væk i dag") == 12


def test_the_volunteer_page_costs_eleven_queries_however_much_it_shows(
    alice, centre, vera, stop, django_assert_num_queries
):
    for n in range(8):
        f.make_assignment(f.make_visit(stop, date=TODAY - dt.timedelta(days=n + 1)), vera)
        Absence.objects.create(
            volunteer=vera,
            starts_on=TODAY + dt.timedelta(days=3 * n),
            ends_on=TODAY + dt.timedelta(days=3 * n + 1),
        )
    Qualification.objects.create(volunteer=vera, kind="food_hygiene")
    # session, user, role_of, the centre, the volunteer (no-shows, away today, login),
    # the assignments with visit and stop, the absences, the qualifications, and the
    # histories of the volunteer, the absences and the qualifications.
    with django_assert_num_queries(11):
        text = alice.get(f"/centres/{centre.pk}/volunteers/{vera.pk}/").text
    assert text.count("Kom ikke") == 8


def test_the_login_link_from_the_volunteer_page_goes_by_the_existing_mail_path(alice, centre, vera):
    vera.email = "vera@example.org"
    vera.save()
    text = alice.get(f"/centres/{centre.pk}/volunteers/{vera.pk}/").text
    assert f'action="/centres/{centre.pk}/volunteers/{vera.pk}/login-link/"' in text
    response = alice.post(f"/centres/{centre.pk}/volunteers/{vera.pk}/login-link/", follow=True)
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["vera@example.org"]]


def test_leadership_and_volunteers_get_404(client, leader, volunteer_user, centre, vera):
    for user in (leader, volunteer_user):
        client.force_login(user)
        assert client.get(f"/centres/{centre.pk}/volunteers/{vera.pk}/").status_code == 404
        assert client.get(f"/centres/{centre.pk}/volunteers/new/").status_code == 404
