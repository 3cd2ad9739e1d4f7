"""Login throttling (django-axes): a username is locked from an address after failures."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from tests import factories as f

LOGIN = "/accounts/login/"


def fail(client, username="alice", times=1, address="10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(
            LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def log_in(client, username="alice", address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "pw"}, REMOTE_ADDR=address)


def test_a_wrong_password_shows_the_login_page_again(client, coordinator):
    response = fail(client)
    assert response.status_code == 200
    assert "Log ind" in response.text


def test_the_right_password_still_logs_in(client, coordinator):
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_repeated_failures_lock_out_with_a_clear_danish_message(client, coordinator, settings):
    response = fail(client, times=settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.text
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # Even the right password is refused while locked.
    locked = log_in(client)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_from_that_address_only(client, coordinator, settings):
    f.make_user("bob")
    fail(client, times=settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "bob").status_code == 302
    client.logout()
    assert log_in(client, "alice", address="10.0.0.2").status_code == 302


def test_a_success_before_the_limit_forgets_the_failures(client, coordinator, settings):
    fail(client, times=settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client).status_code == 302
    client.logout()
    assert fail(client).status_code == 200


def test_axes_reset_unlocks(client, coordinator, settings):
    fail(client, times=settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "alice")
    assert log_in(client).status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, admin_client, coordinator, settings):
    fail(client, times=settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="alice")
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "alice" in listing.text
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert log_in(client).status_code == 302


@pytest.mark.parametrize("forwarded", ["1.2.3.4", "1.2.3.4, 10.0.0.9"])
def test_behind_a_proxy_the_forwarded_address_is_the_client(
    client, coordinator, settings, forwarded
):
    settings.NUM_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    expected = forwarded.split(",")[-1].strip()
    assert AccessAttempt.objects.get().ip_address == expected


def test_a_login_in_code_without_a_request_still_works(client, coordinator):
    from django.contrib.auth import authenticate

    assert authenticate(username="alice", password="pw") == coordinator
    assert client.login(username="alice", password="pw")


@pytest.mark.parametrize("forwarded", ["garbage", "1.2.3.4, not-an-address", ""])
def test_a_malformed_forwarded_address_falls_back_to_the_connection(
    client, coordinator, settings, forwarded
):
    settings.NUM_PROXIES = 1
    client.post(
        LOGIN,
        {"username": "alice", "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


def test_a_login_without_any_address_is_still_counted(client, coordinator):
    response = client.post(LOGIN, {"username": "alice", "password": "wrong"}, REMOTE_ADDR="")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address is None


SPELLINGS = ["12345678", "12 34 56 78", "+45 12345678", "0045 12 34 56 78", "+4512345678"]


def test_spelling_a_phone_number_differently_does_not_dodge_the_lockout(
    client, volunteer_user, settings
):
    """The phone login accepts every spelling of a number: all count as one username."""
    from volunteers.models import Volunteer

    Volunteer.objects.filter(user=volunteer_user).update(phone="12 34 56 78")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = fail(client, SPELLINGS[attempt % len(SPELLINGS)])
    assert response.status_code == 429
    # Locked whichever way the number is written, even with the right password.
    for spelling in SPELLINGS:
        assert log_in(client, spelling).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().username == "vera"
    # Other logins from the same address are not caught by it.
    f.make_user("bob")
    assert log_in(client, "bob").status_code == 302


def test_the_username_and_the_phone_number_of_one_login_share_one_lock(
    client, volunteer_user, settings
):
    """Alternating the username and the phone number gets 5 guesses in all, not 5 + 5."""
    from volunteers.models import Volunteer

    Volunteer.objects.filter(user=volunteer_user).update(phone="12 34 56 78")
    typed = ["vera", "12345678", "+45 12 34 56 78", "vera", "0045 12345678"]
    responses = [fail(client, name) for name in typed[: settings.AXES_FAILURE_LIMIT]]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    for name in ["vera", "12345678", "+4512345678"]:
        assert log_in(client, name).status_code == 429, name
    assert "_auth_user_id" not in client.session
    # One lock, under the login's username: unlocking it unlocks every spelling.
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["vera"]
    call_command("axes_reset_username", "vera")
    assert log_in(client, "12 34 56 78").status_code == 302


def test_a_phone_number_shared_by_a_household_counts_as_its_digits(
    client, volunteer_user, centre, settings
):
    from volunteers.models import Volunteer

    Volunteer.objects.filter(user=volunteer_user).update(phone="12345678")
    f.make_volunteer(centre, user=f.make_user("viggo"), phone="12 34 56 78")
    fail(client, "+45 12345678", times=settings.AXES_FAILURE_LIMIT)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["12345678"]


def test_the_api_token_counts_phone_spellings_as_one_username(client, volunteer_user, settings):
    from volunteers.models import Volunteer

    Volunteer.objects.filter(user=volunteer_user).update(phone="12345678")

    def token(username: str, password: str):
        return client.post(
            "/api/v1/auth/token/",
            {"username": username, "password": password},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.1",
        )

    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert token(SPELLINGS[attempt % len(SPELLINGS)], "wrong").status_code == 400
    assert token("+45 12 34 56 78", "wrong").status_code == 429
    assert token("12345678", "pw").status_code == 429
