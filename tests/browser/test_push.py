"""
Web Push in Chromium on a 360 px phone: the service worker's push handler, fed a
message through the DevTools protocol (ServiceWorker.deliverPushMessage), shows it
as a notification (read back with registration.getNotifications()); the profile's
button asks the browser's permission first and then hands the subscription to the
server.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PHONE
from volunteers.models import Volunteer
from webpush.models import PushSubscription

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOTIFICATIONS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }))"""


@pytest.fixture
def vera(volunteer_user):
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def phone(browser, live_server):
    """A phone whose browser has said yes to notifications from the site."""
    context = browser.new_context(**PHONE, locale="da-DK")
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def registration_id(page, live_server) -> str:
    """The service worker's registration id, as the DevTools protocol names it."""
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    session.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for registration in registrations:
            if registration["scopeURL"] == live_server.url + "/" and not registration["isDeleted"]:
                page.session = session  # kept for deliver()
                return registration["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError(f"no service worker registration: {registrations}")


def deliver(page, live_server, registration: str, message: dict) -> None:
    page.session.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration, "data": json.dumps(message)},
    )


def notifications_when(page, check, timeout: float = 10) -> list[dict]:
    deadline = time.monotonic() + timeout
    shown = []
    while time.monotonic() < deadline:
        shown = page.evaluate(NOTIFICATIONS)
        if check(shown):
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"notifications: {shown}")


def test_the_service_worker_shows_a_pushed_message_and_a_newer_one_replaces_it(
    phone, live_server, login, vera
):
    login(phone, vera.user)
    phone.goto(f"{live_server.url}/today/")
    phone.evaluate("async () => { await navigator.serviceWorker.ready; }")
    registration = registration_id(phone, live_server)

    deliver(
        phone,
        live_server,
        registration,
        {
            "title": "Caféen i Redsted er flyttet",
            "body": "Tirsdag kl. 17.00–19.00 (før 16.00).",
            "url": "/today/",
            "tag": "drivein-visit-7",
        },
    )
    [shown] = notifications_when(phone, lambda shown: len(shown) == 1)
    assert shown == {
        "title": "Caféen i Redsted er flyttet",
        "body": "Tirsdag kl. 17.00–19.00 (før 16.00).",
        "tag": "drivein-visit-7",
        "url": f"{live_server.url}/today/",
    }

    # The same visit again: it replaces the first on the phone, it does not pile up.
    deliver(
        phone,
        live_server,
        registration,
        {"title": "Caféen i Redsted er aflyst", "body": "Sne.", "tag": "drivein-visit-7"},
    )
    [shown] = notifications_when(
        phone, lambda shown: [n["title"] for n in shown] == ["Caféen i Redsted er aflyst"]
    )
    # No page named: a tap opens Today.
    assert shown["url"] == f"{live_server.url}/today/"

    # A page of another site is never opened from a message: Today instead.
    deliver(
        phone,
        live_server,
        registration,
        {"title": "Påmindelse", "body": "I morgen", "url": "https://evil.example/", "tag": "x"},
    )
    shown = notifications_when(phone, lambda shown: len(shown) == 2)
    assert {n["tag"]: n["url"] for n in shown}["x"] == f"{live_server.url}/today/"


FAKE_PUSH_SERVICE = """
(() => {
  // Chromium without Google's push service cannot subscribe for real: this stands in
  // for pushManager.subscribe() with what a browser gives back, keys included.
  const subscription = {
    endpoint: "https://fcm.googleapis.com/fcm/send/browser-test",
    options: { applicationServerKey: null },
    toJSON() { return { endpoint: this.endpoint, expirationTime: null, keys: KEYS }; },
    async unsubscribe() { localStorage.removeItem("fake-push"); return true; },
  };
  PushManager.prototype.subscribe = async function (options) {
    const key = options.applicationServerKey;
    if (!(key instanceof Uint8Array) || key.length !== 65) {
      throw new Error("no VAPID key");
    }
    localStorage.setItem("fake-push", "1");
    return subscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem("fake-push") ? subscription : null;
  };
})();
"""


def test_the_profile_asks_first_then_subscribes_and_stops(phone, live_server, login, vera):
    from tests.webpush.pushservice import Browser

    keys = Browser()
    phone.context.add_init_script(
        FAKE_PUSH_SERVICE.replace(
            "KEYS", json.dumps({"p256dh": keys.p256dh, "auth": keys.auth_b64})
        )
    )
    login(phone, vera.user)
    phone.goto(f"{live_server.url}/profile/")
    button = phone.get_by_role("button", name="Få beskeder på telefonen")
    expect(button).to_be_visible(timeout=15000)
    expect(phone.locator("#push-state")).to_have_text(
        "Beskeder er ikke slået til på denne telefon."
    )
    if os.environ.get("PUSH_SCREENSHOTS"):
        phone.locator("#push").scroll_into_view_if_needed()
        phone.screenshot(path=SCREENSHOTS / "profile-push-phone.png")

    button.tap()
    expect(phone.locator("#push-state")).to_have_text("Beskeder er slået til på denne telefon.")
    subscription = PushSubscription.objects.get()
    assert subscription.volunteer == vera
    assert subscription.endpoint == "https://fcm.googleapis.com/fcm/send/browser-test"
    assert subscription.p256dh == keys.p256dh

    # Opened again: it says so, and the server still has it.
    phone.reload()
    expect(phone.get_by_role("button", name="Stop beskeder på denne telefon")).to_be_visible(
        timeout=15000
    )
    expect(phone.locator("#push")).to_contain_text("Beskederne går til: Chrome")
    if os.environ.get("PUSH_SCREENSHOTS"):
        phone.locator("#push").scroll_into_view_if_needed()
        phone.screenshot(path=SCREENSHOTS / "profile-push-on-phone.png")

    phone.get_by_role("button", name="Stop beskeder på denne telefon").tap()
    expect(phone.locator("#push-state")).to_have_text(
        "Beskeder er ikke slået til på denne telefon."
    )
    assert not PushSubscription.objects.exists()


def test_a_phone_that_says_no_is_told_how_to_change_it(browser, live_server, login, vera):
    context = browser.new_context(**PHONE, locale="da-DK")
    page = context.new_page()
    # The browser's own question, answered no.
    page.add_init_script("Notification.requestPermission = async () => 'denied';")
    login(page, vera.user)
    page.goto(f"{live_server.url}/profile/")
    page.get_by_role("button", name="Få beskeder på telefonen").tap()
    expect(page.locator("#push-state")).to_contain_text("Du har sagt nej til beskeder")
    expect(page.get_by_role("button", name="Få beskeder på telefonen")).to_be_hidden()
    assert not PushSubscription.objects.exists()
    context.close()


def test_without_a_push_service_the_phone_says_it_could_not_sign_up(
    phone, live_server, login, vera
):
    """Chromium here has no push service to reach: the real subscribe() fails."""
    login(phone, vera.user)
    phone.goto(f"{live_server.url}/profile/")
    phone.get_by_role("button", name="Få beskeder på telefonen").tap()
    expect(phone.locator("#push-state")).to_have_text(
        "Telefonen kunne ikke tilmeldes beskeder. Prøv igen, når du har dækning.",
        timeout=20000,
    )
    assert not PushSubscription.objects.exists()
