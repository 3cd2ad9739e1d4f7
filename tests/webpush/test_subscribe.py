"""The profile's doors: this phone says yes to messages, or stops them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from notifications.models import Preference
from tests import factories as f
from tests.webpush.pushservice import Browser
from webpush.models import PushSubscription

pytestmark = pytest.mark.django_db

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH-phone-1"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"


def subscription_json(endpoint: str = FCM, browser: Browser | None = None) -> dict:
    browser = browser or Browser()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth_b64},
    }


def post(client: Client, url: str, body) -> object:
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json", headers={"User-Agent": ANDROID})


def subscribe(client: Client, body) -> object:
    return post(client, "/profile/push/subscribe/", body)


def test_it_keeps_the_phone_and_turns_push_on(client, volunteer_user, vera):
    client.force_login(volunteer_user)
    response = subscribe(client, subscription_json())
    assert response.status_code == 201
    assert response.json() == {"subscribed": True, "browser": "Chrome · Android"}
    subscription = PushSubscription.objects.get()
    assert (subscription.volunteer, subscription.endpoint) == (vera, FCM)
    assert Preference.objects.get(volunteer=vera).by_push is True


def test_the_same_phone_again_renews_its_keys_not_a_second_row(client, volunteer_user):
    client.force_login(volunteer_user)
    subscribe(client, subscription_json())
    renewed = Browser()
    response = subscribe(client, subscription_json(browser=renewed))
    assert response.status_code == 200
    assert PushSubscription.objects.get().p256dh == renewed.p256dh


def test_a_phone_another_volunteer_used_moves_to_the_one_who_subscribed(
    client, volunteer_user, vera, centre
):
    other = f.make_volunteer(centre, user=f.make_user("ole"))
    first = Client()
    first.force_login(other.user)
    subscribe(first, subscription_json())
    assert Preference.objects.get(volunteer=other).by_push is True
    client.force_login(volunteer_user)
    subscribe(client, subscription_json())
    assert PushSubscription.objects.get().volunteer == vera
    # Ole has no phone left for messages.
    assert Preference.objects.get(volunteer=other).by_push is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "ikke gyldig JSON"),
        ("[1, 2]", "Abonnementet er ikke gyldigt"),
        ({"keys": {}}, "Abonnementet har ingen adresse"),
        (subscription_json("http://127.0.0.1:8000/admin/"), "ikke en push-tjeneste"),
        (subscription_json("http://fcm.googleapis.com/fcm/send/x"), "ikke en push-tjeneste"),
        (subscription_json("https://evil.example/fcm.googleapis.com"), "ikke en push-tjeneste"),
        (subscription_json("https://user@fcm.googleapis.com/x"), "ikke en push-tjeneste"),
        (subscription_json("https://fcm.googleapis.com/" + "x" * 1000), "ikke en push-tjeneste"),
        ({"endpoint": FCM}, "nøgler er ikke gyldige"),
        ({"endpoint": FCM, "keys": {"p256dh": "!!", "auth": "AAAA"}}, "nøgler er ikke gyldige"),
        # 65 bytes that are no point on the curve.
        ({"endpoint": FCM, "keys": {"p256dh": "BA" + "A" * 85, "auth": "A" * 22}}, "nøgler"),
        ({"endpoint": FCM, "keys": {"p256dh": Browser().p256dh, "auth": "AAAA"}}, "nøgler"),
        ({"endpoint": FCM, "keys": {"p256dh": 42, "auth": None}}, "nøgler"),
    ],
)
def test_what_no_browser_would_send_is_refused_in_danish(client, volunteer_user, body, message):
    client.force_login(volunteer_user)
    response = subscribe(client, body)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not PushSubscription.objects.exists()
    assert not Preference.objects.filter(by_push=True).exists()


def test_it_is_for_volunteers(client, coordinator):
    client.force_login(coordinator)
    response = subscribe(client, subscription_json())
    assert response.status_code == 404
    assert "for frivillige" in response.json()["detail"]
    assert not PushSubscription.objects.exists()


def test_it_asks_the_logged_out_phone_to_log_in(client):
    assert subscribe(client, subscription_json()).status_code == 401
    assert client.post("/profile/push/subscribe/").status_code == 302


def test_it_needs_a_post_with_the_csrf_token(volunteer_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer_user)
    assert client.get("/profile/push/subscribe/").status_code == 405
    assert subscribe(client, subscription_json()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_without_keys_the_site_takes_no_subscription(client, volunteer_user, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    client.force_login(volunteer_user)
    response = subscribe(client, subscription_json())
    assert response.status_code == 404
    assert "ikke slået til" in response.json()["detail"]


def test_stop_removes_this_phone_and_turns_push_off_with_the_last(client, volunteer_user, vera):
    client.force_login(volunteer_user)
    subscribe(client, subscription_json())
    subscribe(client, subscription_json(FCM + "-tablet"))
    response = post(client, "/profile/push/unsubscribe/", {"endpoint": FCM})
    assert response.status_code == 200 and response.json() == {"subscribed": False}
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [FCM + "-tablet"]
    assert Preference.objects.get(volunteer=vera).by_push is True
    post(client, "/profile/push/unsubscribe/", {"endpoint": FCM + "-tablet"})
    assert not PushSubscription.objects.exists()
    assert Preference.objects.get(volunteer=vera).by_push is False
    # Stopping twice is no error.
    assert post(client, "/profile/push/unsubscribe/", {"endpoint": FCM}).status_code == 200


def test_stop_touches_only_the_own_phones(client, volunteer_user, centre):
    other = f.make_volunteer(centre, user=f.make_user("ole"))
    ole = Client()
    ole.force_login(other.user)
    subscribe(ole, subscription_json())
    client.force_login(volunteer_user)
    post(client, "/profile/push/unsubscribe/", {"endpoint": FCM})
    assert PushSubscription.objects.get().volunteer == other


def test_stop_refuses_a_body_that_is_no_json(client, volunteer_user):
    client.force_login(volunteer_user)
    response = post(client, "/profile/push/unsubscribe/", "{")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


def test_the_profile_offers_the_button_and_names_the_phones(client, volunteer_user):
    client.force_login(volunteer_user)
    page = client.get("/profile/").text
    assert "Få beskeder på telefonen" in page
    assert "Beskederne går til" not in page
    assert 'id="push-config"' in page and "js/push.js" in page
    subscribe(client, subscription_json())
    assert "Beskederne går til: Chrome · Android" in client.get("/profile/").text


def test_the_profile_says_so_when_push_is_off(client, volunteer_user, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    client.force_login(volunteer_user)
    page = client.get("/profile/").text
    assert "Få beskeder på telefonen" not in page
    assert "Beskeder på telefonen er ikke slået til for Drive-in." in page
