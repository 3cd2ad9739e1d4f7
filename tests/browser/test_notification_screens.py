"""
A day-before reminder through the whole machinery, as the volunteer gets it, and the
profile's choices, on a 360 px phone (the screenshots in docs/notifications.md).

The tick records the reminder; the push channel encrypts it to a phone whose keys the
test holds and POSTs it to the test's own push service, which decrypts it; that very
payload is handed to the service worker in Chromium (ServiceWorker.deliverPushMessage)
and the notification it shows is read back (registration.getNotifications()). Headless
Chromium has no notification tray to photograph, so the picture of the phone is drawn
from what the service worker showed: its title, text and icon, nothing else. The e-mail
and the SMS of the same reminder are drawn from what the mail and SMS backends got.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from notifications import sms
from notifications.choices import Status
from notifications.models import Notification, Preference
from notifications.services import notify_tick
from notifications.tasks import deliver_all
from tests import factories as f
from tests.browser.test_push import deliver, notifications_when, registration_id
from tests.conftest import PHONE
from tests.webpush.pushservice import PushService
from volunteers.models import Volunteer
from webpush.services import subscription_save

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOWN = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => ({ title: n.title, body: n.body, icon: n.icon, tag: n.tag, lang: n.lang,
                 url: n.data && n.data.url }))"""


@pytest.fixture
def phone(browser, live_server):
    # Debian's Chromium has only its English locale: time fields read "06:30 PM" here,
    # where a Danish phone shows 18:30 (the value is the same: asserted below).
    context = browser.new_context(**PHONE, locale="da-DK", timezone_id="Europe/Copenhagen")
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def push_service(settings):
    settings.WEBPUSH_ENDPOINT_HOSTS = ["http://127.0.0.1:*"]
    with PushService(
        public_key=settings.VAPID_PUBLIC_KEY, subject=settings.VAPID_SUBJECT
    ) as service:
        yield service


@pytest.fixture
def reminder(settings, push_service, volunteer_user, stop, centre, live_server):
    """Vera's day-before reminder, recorded by the tick and sent on all three channels."""
    settings.SMS_URL = "locmem://"
    settings.SITE_URL = live_server.url
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    sms.outbox.clear()
    vera = Volunteer.objects.get(user=volunteer_user)
    vera.email, vera.phone = "vera@example.org", "20304050"
    vera.save()
    endpoint, keys = push_service.browser("/push/vera")
    subscription_save(
        volunteer=vera, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth_b64, user_agent=""
    )
    stop.access_notes = "Nøglen hænger i skabet ved døren."
    stop.venue_name = "Redsted Forsamlingshus"
    stop.save()
    day = timezone.localdate() + dt.timedelta(days=2)
    visit = f.make_visit(stop, date=day, start_time=dt.time(10), end_time=dt.time(12))
    f.make_assignment(visit, vera)
    f.make_assignment(visit, f.make_volunteer(centre, name="Bo Bager"), role="driver")
    eve = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), dt.time(17)))
    notify_tick(now=eve)
    due = Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=eve)
    deliver_all(list(due.values_list("pk", flat=True)), now=eve)
    sent = Notification.objects.filter(volunteer=vera, status=Status.SENT)
    assert set(sent.values_list("channel", flat=True)) == {"email", "sms", "push"}
    yield vera
    sms.outbox.clear()


def _draw(page, body: str, path: Path) -> None:
    page.goto("about:blank")  # not the site's page: its CSP would refuse the inline style
    page.set_content(
        "<!doctype html><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'><style>"
        "body{margin:0;font:15px/1.4 system-ui,sans-serif;background:#1f2a30;color:#fff;"
        "min-height:740px}"
        ".bar{display:flex;justify-content:space-between;padding:8px 16px;font-size:13px}"
        ".clock{font-size:56px;font-weight:300;text-align:center;margin:24px 0 4px}"
        ".date{text-align:center;font-size:14px;margin-bottom:24px}"
        ".card{background:#f4f1ea;color:#1b1b1b;border-radius:20px;margin:0 10px;padding:14px}"
        ".app{display:flex;align-items:center;gap:8px;font-size:12px;color:#555}"
        ".app img{width:20px;height:20px;border-radius:50%}"
        ".title{font-weight:600;margin:8px 0 4px}"
        ".text{font-size:14px;overflow-wrap:anywhere}"
        ".bubble{background:#e4e6eb;color:#111;border-radius:18px;padding:10px 14px;"
        "margin:8px 40px 8px 12px;overflow-wrap:anywhere}"
        ".from{text-align:center;font-size:13px;margin:12px 0}"
        ".caption{position:absolute;bottom:8px;left:12px;right:12px;font-size:11px;"
        "color:#c8d0d4;text-align:center}"
        f"</style>{body}"
    )
    page.wait_for_load_state("load")
    page.screenshot(path=path)


def test_the_reminder_on_the_phone_is_what_the_service_worker_shows(
    phone, live_server, login, reminder, push_service
):
    [received] = push_service.received
    assert received.problems == []  # signed by the site, decrypted with the phone's keys
    login(phone, reminder.user)
    phone.goto(f"{live_server.url}/today/")
    phone.evaluate("async () => { await navigator.serviceWorker.ready; }")
    registration = registration_id(phone, live_server)
    deliver(phone, live_server, registration, received.payload)
    notifications_when(phone, lambda shown: len(shown) == 1)
    [shown] = phone.evaluate(SHOWN)

    assert shown["title"] == received.payload["title"]
    assert shown["title"].startswith("Påmindelse: café i Redsted")
    assert shown["body"] == received.payload["body"]
    assert "Redsted" in shown["body"] and "10.00" in shown["body"]
    assert f"{live_server.url}/today/" in shown["body"]  # the link to Today
    assert "Slå fra" in shown["body"]  # how to turn it off
    assert shown["url"] == f"{live_server.url}/today/"  # a tap opens Today
    assert shown["icon"].startswith(live_server.url) and shown["icon"].endswith(".png")
    assert shown["lang"] == "da"

    eve = timezone.localtime(Notification.objects.get(channel="push").sent_at)
    icon = phone.request.get(shown["icon"])
    assert icon.ok and icon.headers["content-type"] == "image/png"
    icon_src = "data:image/png;base64," + base64.b64encode(icon.body()).decode()
    _draw(
        phone,
        f"<div class=bar><span>17.00</span><span>▂▄▆ 4G</span></div>"
        f"<div class=clock>17.00</div><div class=date>{eve:%d.%m.%Y}</div>"
        f"<div class=card><div class=app><img src='{icon_src}' alt=''>"
        f"Drive-in · nu</div>"
        f"<div class=title>{html.escape(shown['title'])}</div>"
        f"<div class=text>{html.escape(shown['body'])}</div></div>"
        "<div class=caption>Tegnet ud fra notifikationen, som Drive-ins service worker viste "
        "i Chromium (titel, tekst og ikon).</div>",
        SCREENSHOTS / "notifications-reminder-push.png",
    )

    [text] = [m for m in sms.outbox if m.to == "4520304050"]
    assert text.text == shown["body"]  # SMS and push carry the same minimum
    _draw(
        phone,
        "<div class=bar><span>17.00</span><span>▂▄▆ 4G</span></div>"
        "<div class=from>DriveOut</div>"
        f"<div class=bubble>{html.escape(text.text)}</div>"
        "<div class=caption>Tegnet ud fra den SMS, SMS-backenden fik.</div>",
        SCREENSHOTS / "notifications-reminder-sms.png",
    )

    [message] = [m for m in mail.outbox if m.to == ["vera@example.org"]]
    [(page_html, kind)] = message.alternatives
    assert kind == "text/html" and "Nøglen hænger i skabet ved døren." in page_html
    phone.goto("about:blank")
    phone.set_content(page_html)
    phone.screenshot(path=SCREENSHOTS / "notifications-reminder-email.png", full_page=True)


def test_the_profile_shows_the_volunteers_choices_on_a_phone(phone, live_server, login, centre):
    user = f.make_user("vera")
    vera = f.make_volunteer(
        centre, user=user, name="Vera Frivillig", email="vera@example.org", phone="20304050"
    )
    Preference.objects.create(
        volunteer=vera,
        by_sms=False,
        remind_day_before_at=dt.time(18, 30),
        remind_hours_before=3,
        quiet_from=dt.time(22),
        quiet_until=dt.time(7),
    )
    login(phone, user)
    phone.goto(f"{live_server.url}/profile/#notifications")
    card = phone.locator("#notifications")
    expect(card.get_by_label("På e-mail")).to_be_checked()
    expect(card.get_by_label("På SMS")).not_to_be_checked()
    expect(card.get_by_label("Stille fra")).to_have_value("22:00")
    expect(card.get_by_label("Stille til")).to_have_value("07:00")
    card.get_by_label("Påmindelse timer før").select_option("2")
    card.get_by_role("button", name="Gem mine valg").tap()
    expect(phone.get_by_text("Dine valg for beskeder er gemt")).to_be_visible()
    assert Preference.objects.get(volunteer=vera).remind_hours_before == 2
    phone.locator("#notifications").screenshot(path=SCREENSHOTS / "notifications-profile.png")
