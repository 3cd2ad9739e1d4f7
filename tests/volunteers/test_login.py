"""Volunteers log in with a phone number, or with a one-time link a coordinator sends."""

import datetime as dt
import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.utils import timezone

from tests import factories as f
from volunteers.backends import phone_variants
from volunteers.models import Volunteer


@pytest.mark.parametrize(
    "typed", ["12345678", "+45 12 34 56 78", "0045 12345678", "12 34 56 78", "12-34-56-78"]
)
def test_a_volunteer_logs_in_with_the_phone_number_written_any_way(
    client, volunteer_user, vera, typed
):
    vera.phone = "+45 12 34 56 78"
    vera.save()
    response = client.post("/accounts/login/", {"username": typed, "password": "pw"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(volunteer_user.pk)


def test_the_username_still_works(client, volunteer_user):
    response = client.post("/accounts/login/", {"username": "vera", "password": "pw"})
    assert response.status_code == 302


def test_a_wrong_password_with_a_phone_number_fails(volunteer_user, vera, rf):
    vera.phone = "12345678"
    vera.save()
    assert authenticate(rf.get("/"), username="12345678", password="wrong") is None


def test_an_inactive_volunteer_cannot_log_in_by_phone(volunteer_user, vera, rf):
    vera.phone, vera.active = "12345678", False
    vera.save()
    assert authenticate(rf.get("/"), username="12345678", password="pw") is None


def test_two_people_sharing_a_phone_are_told_apart_by_password(centre, rf):
    first = f.make_user("anna")
    second = f.make_user("bent")
    second.set_password("other")
    second.save()
    f.make_volunteer(centre, user=first, phone="12345678")
    f.make_volunteer(centre, user=second, phone="+45 12 34 56 78")
    assert authenticate(rf.get("/"), username="12345678", password="pw") == first
    assert authenticate(rf.get("/"), username="12345678", password="other") == second


def test_phone_variants():
    assert phone_variants("+45 12 34 56 78")[0] == "12345678"
    assert phone_variants("vera") is None
    assert phone_variants("1234") is None
    assert phone_variants("+46 70 123 45 67") == ["+46701234567"]


def test_the_login_page_asks_for_username_or_phone(client, db):
    assert "Brugernavn eller telefonnummer" in client.get("/accounts/login/").text


# One-time links ----------------------------------------------------------------


def send_link(client, coordinator, centre, volunteer):
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/volunteers/{volunteer.pk}/login-link/", follow=True
    )
    client.logout()
    url = re.search(r'id="login-link" value="([^"]+)"', response.text).group(1)
    return response, url.replace("&amp;", "&").removeprefix("http://testserver")


def test_a_coordinator_sends_a_link_by_email_and_sees_it_for_an_sms(
    client, coordinator, centre, vera
):
    vera.email, vera.phone = "vera@example.org", "+45 11 22 33 44"
    vera.save()
    response, url = send_link(client, coordinator, centre, vera)
    assert "Sendt på e-mail til vera@example.org" in response.text
    assert "+45 11 22 33 44" in response.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vera@example.org"]
    assert url in mail.outbox[0].body


def test_the_link_logs_in_once(client, coordinator, centre, vera, volunteer_user):
    _response, url = send_link(client, coordinator, centre, vera)
    # Opening the link (or a message app's preview of it) does not use it up.
    page = client.get(url)
    assert page.status_code == 200
    assert "Log ind som <strong>Vera Frivillig</strong>" in page.text or "vera" in page.text
    assert "_auth_user_id" not in client.session
    token = re.search(r'name="sesame" value="([^"]+)"', page.text).group(1)
    response = client.post("/accounts/link/", {"sesame": token})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(volunteer_user.pk)
    assert client.get("/").url == "/today/"
    client.logout()
    again = client.get(url)
    assert again.status_code == 403
    assert "Linket virker ikke" in again.text
    assert client.post("/accounts/link/", {"sesame": token}).status_code == 403


def test_the_link_expires_after_seven_days(client, coordinator, centre, vera, settings):
    _response, url = send_link(client, coordinator, centre, vera)
    later = timezone.now() + dt.timedelta(days=8)
    from unittest import mock

    with mock.patch("time.time", return_value=later.timestamp()):
        assert client.get(url).status_code == 403


def test_a_garbage_token_gets_the_clear_page(client, db):
    response = client.get("/accounts/link/?sesame=garbage")
    assert response.status_code == 403
    assert "Linket virker ikke" in response.text
    assert client.get("/accounts/link/").status_code == 403


def test_a_volunteer_without_a_login_gets_one(client, coordinator, centre):
    volunteer = f.make_volunteer(centre, name="Søren Østergård", phone="+45 20 30 40 50")
    response, url = send_link(client, coordinator, centre, volunteer)
    volunteer.refresh_from_db()
    assert volunteer.user.username == "soeren.oestergaard"
    assert not volunteer.user.has_usable_password()
    assert "ingen e-mailadresse" in response.text
    page = client.get(url)
    token = re.search(r'name="sesame" value="([^"]+)"', page.text).group(1)
    client.post("/accounts/link/", {"sesame": token})
    assert client.get("/today/").status_code == 200


def test_an_inactive_volunteer_gets_no_link(client, coordinator, centre):
    volunteer = f.make_volunteer(centre, active=False)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/volunteers/{volunteer.pk}/login-link/", follow=True
    )
    assert "ikke aktiv" in response.text
    assert 'id="login-link"' not in response.text


@pytest.mark.parametrize("user_fixture", ["other_coordinator", "leader", "volunteer_user"])
def test_only_the_centres_coordinators_send_links(client, request, centre, vera, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(f"/centres/{centre.pk}/volunteers/").status_code == 404
    response = client.post(f"/centres/{centre.pk}/volunteers/{vera.pk}/login-link/")
    assert response.status_code == 404
    assert len(mail.outbox) == 0


def test_a_volunteer_of_another_centre_is_404(client, coordinator, centre, other_centre):
    stranger = f.make_volunteer(other_centre)
    client.force_login(coordinator)
    response = client.post(f"/centres/{centre.pk}/volunteers/{stranger.pk}/login-link/")
    assert response.status_code == 404


def test_the_administrator_may_send_links(client, admin_user, centre, vera):
    client.force_login(admin_user)
    assert client.get(f"/centres/{centre.pk}/volunteers/").status_code == 200


def test_anonymous_visitors_are_asked_to_log_in(client, centre):
    assert client.get(f"/centres/{centre.pk}/volunteers/").status_code == 302


def test_the_menu_leads_a_coordinator_to_their_centre(client, coordinator, centre):
    client.force_login(coordinator)
    response = client.get("/volunteers/")
    assert response.url == f"/centres/{centre.pk}/volunteers/"


@pytest.mark.parametrize("user_fixture", ["volunteer_user", "leader"])
def test_the_menu_entry_to_the_lists_is_404_for_those_who_plan_nothing(
    client, request, centre, user_fixture
):
    """A volunteer or leadership got an empty "choose a centre" page (200); outside reach is 404."""
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get("/volunteers/").status_code == 404


def test_the_list_of_volunteers_costs_the_same_queries_for_more_people(
    client, coordinator, centre, django_assert_max_num_queries
):
    """Guards the coordinator's volunteer list against one query per volunteer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/centres/{centre.pk}/volunteers/")
        return len(queries)

    for n in range(3):
        f.make_volunteer(centre, user=f.make_user(f"v{n}"))
    few = count()
    for n in range(3, 10):
        f.make_volunteer(centre, user=f.make_user(f"v{n}"))
    assert count() == few
    assert Volunteer.objects.count() == 10


@pytest.mark.parametrize("login", ["other_coordinator", "leader", "admin_user"])
def test_a_login_link_never_opens_a_login_that_is_more_than_a_volunteers(
    client, request, coordinator, centre, login
):
    """
    A coordinator could make a login link for any volunteer of their centre, also one
    whose login is another centre's coordinator, leadership or an administrator
    (local staff have volunteer profiles), and so log in as them. Links are for
    volunteers only; the others log in with their password.
    """
    user = request.getfixturevalue(login)
    volunteer = f.make_volunteer(centre, user=user, name="Lokal Medarbejder", is_local_staff=True)
    client.force_login(coordinator)
    response = client.post(
        f"/centres/{centre.pk}/volunteers/{volunteer.pk}/login-link/", follow=True
    )
    assert response.status_code == 200
    assert 'id="login-link"' not in response.text
    assert "adgangskode" in response.text
    assert len(mail.outbox) == 0
    # Nor does a link made some other way (say before a volunteer became a coordinator).
    from sesame.utils import get_query_string

    client.logout()
    query = get_query_string(user)
    assert client.get(f"/accounts/link/{query}").status_code == 403
    token = query.removeprefix("?sesame=")
    assert client.post("/accounts/link/", {"sesame": token}).status_code == 403
    assert "_auth_user_id" not in client.session
