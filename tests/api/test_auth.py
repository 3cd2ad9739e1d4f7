"""Who the API believes: tokens (issued in the admin or for a password), sessions, limits."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f
from visits.models import VisitReport

TOKEN_URL = "/api/v1/auth/token/"


def test_an_anonymous_call_is_a_401_that_asks_for_a_token(api, db):
    response = api().get("/api/v1/visits/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_a_token_lets_its_user_in(api, coordinator, centre):
    response = api(coordinator).get("/api/v1/centres/")
    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "Nykøbing Mors"


def test_an_unknown_token_is_a_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/visits/")
    assert response.status_code == 401
    assert "token" in response.json()["detail"].lower()


@pytest.mark.parametrize("header", ["Token", "Token a b", "Bearer abc", "Token ünïcødé"])
def test_malformed_authorization_headers_are_a_401_never_a_500(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/visits/").status_code in (401, 403)


def test_an_expired_token_is_a_401_that_says_so(api, coordinator, settings):
    client = api(coordinator)
    Token.objects.filter(user=coordinator).update(
        created=dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.API_TOKEN_DAYS + 1)
    )
    response = client.get("/api/v1/visits/")
    assert response.status_code == 401
    assert "udløbet" in response.json()["detail"]


def test_a_deactivated_users_token_is_a_401(api, coordinator):
    client = api(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert client.get("/api/v1/visits/").status_code == 401


def test_a_revoked_token_stops_working(api, coordinator):
    client = api(coordinator)
    Token.objects.filter(user=coordinator).delete()
    assert client.get("/api/v1/visits/").status_code == 401


def test_the_admin_issues_and_revokes_tokens(admin_client, coordinator):
    response = admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": coordinator.pk})
    assert response.status_code == 302
    token = Token.objects.get(user=coordinator)
    delete = f"/admin/authtoken/tokenproxy/{coordinator.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Token.objects.filter(key=token.key).exists()


def test_a_password_gets_the_users_token(coordinator):
    response = APIClient().post(TOKEN_URL, {"username": "alice", "password": "pw"}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=coordinator).key
    assert response.json()["expires_at"]


def test_an_expired_token_is_replaced_when_asked_for_with_a_password(coordinator, settings):
    old = Token.objects.create(user=coordinator)
    Token.objects.filter(pk=old.pk).update(
        created=dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.API_TOKEN_DAYS + 1)
    )
    response = APIClient().post(TOKEN_URL, {"username": "alice", "password": "pw"}, format="json")
    assert response.json()["token"] != old.key


def test_a_wrong_password_gets_no_token(coordinator):
    response = APIClient().post(TOKEN_URL, {"username": "alice", "password": "no"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Forkert brugernavn eller adgangskode."]
    assert not Token.objects.exists()


def test_repeated_wrong_passwords_lock_the_token_endpoint_too(coordinator, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "alice", "password": "no"}, format="json")
    response = client.post(TOKEN_URL, {"username": "alice", "password": "pw"}, format="json")
    assert response.status_code == 429
    assert "For mange mislykkede" in response.json()["detail"]
    assert not Token.objects.exists()


def test_session_writes_need_the_csrf_token(volunteer_user, visit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer_user)
    sent = {"submission_id": str(uuid.uuid4()), "people_met": 3}
    response = client.put(
        f"/api/v1/visits/{visit.pk}/report/", sent, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not VisitReport.objects.exists()


def test_session_writes_with_the_csrf_token_pass(volunteer_user, visit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer_user)
    client.get("/accounts/login/")  # sets the CSRF cookie, as any page does
    sent = {"submission_id": str(uuid.uuid4()), "people_met": 3}
    response = client.put(
        f"/api/v1/visits/{visit.pk}/report/",
        sent,
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 201


def test_reads_are_throttled_per_token_with_a_clear_429(api, coordinator, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"read": "3/minute", "write": "3/minute", "token": "3/minute"},
    }
    client = api(coordinator)
    statuses = [client.get("/api/v1/centres/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/centres/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("For mange forespørgsler. Prøv igen om")
    # Another user's token has its own allowance.
    assert api(f.make_leader("lena")).get("/api/v1/centres/").status_code == 200


def test_writes_have_their_own_allowance(api, volunteer_user, visit, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"read": "1/minute", "write": "2/minute", "token": "1/minute"},
    }
    client = api(volunteer_user)
    assert client.get("/api/v1/centres/").status_code == 200
    assert client.get("/api/v1/centres/").status_code == 429
    sent = {"submission_id": str(uuid.uuid4()), "people_met": 3}
    url = f"/api/v1/visits/{visit.pk}/report/"
    assert client.put(url, sent, format="json").status_code == 201
