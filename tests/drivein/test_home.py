import pytest


def test_it_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_login_page_is_in_danish(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Log ind" in response.text
    assert 'lang="da"' in response.text


def test_a_wrong_password_gets_a_clear_message(client, coordinator):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.text


@pytest.mark.parametrize(
    ("user_fixture", "label"),
    [
        ("admin_user", "Administrator"),
        ("coordinator", "Koordinator"),
    ],
)
def test_the_home_page_says_which_role_you_have(client, request, user_fixture, label):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get("/")
    assert response.status_code == 200
    assert f"Du er logget ind som <strong>{label}</strong>" in response.text


def test_a_coordinator_sees_only_their_centre(client, coordinator, other_centre):
    client.force_login(coordinator)
    response = client.get("/")
    assert "Nykøbing Mors" in response.text
    assert "Skjern" not in response.text


def test_a_user_without_role_is_told_what_to_do(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody"))
    response = client.get("/")
    assert "har endnu ingen rolle" in response.text


def test_english_is_available(client, coordinator):
    client.force_login(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert "You are signed in as <strong>Coordinator</strong>" in response.text


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


def test_leadership_is_sent_to_the_reach_dashboard(client, leader):
    client.force_login(leader)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/reach/"
