"""
Issue 14 items 3 and 4 wired to the shifts: the tick sends each offer with its signed
one-tap link and tells the coordinators of a decline; mail goes to a real SMTP server
(aiosmtpd) and SMS to the memory backend.
"""

import datetime as dt
import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import signing
from django.test import Client
from django.utils import timezone

from notifications import sms
from notifications.choices import Kind, Status
from notifications.models import Notification, Preference
from notifications.services import notify_tick
from notifications.tasks import deliver_all
from shifts.choices import OfferState
from shifts.models import Offer
from shifts.offer_links import SALT
from shifts.services import assignment_answer
from tests import factories as f
from volunteers.models import Assignment

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/shifts/offers/take/[^/\s]+/)")


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def to(self, address: str) -> list:
        found = [e for e in self.messages if address in e.rcpt_tos]
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in found]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    settings.SMS_URL = "locmem://"
    settings.SITE_URL = "http://testserver"
    sms.outbox.clear()
    yield inbox
    controller.stop()
    sms.outbox.clear()


@pytest.fixture
def alice(coordinator):
    coordinator.email = "alice@example.org"
    coordinator.save()
    return coordinator


@pytest.fixture
def offered(vera_on, dan_on, hans, centre):
    """Vera declines her host's place; Hans and Ida are offered it."""
    hans.email = "hans@example.org"
    hans.save()
    ida = f.make_volunteer(
        centre,
        user=f.make_user("ida"),
        name="Ida Ingersen",
        email="ida@example.org",
        phone="20304050",
        available_weekdays="1234567",
    )
    result = assignment_answer(
        assignment=vera_on, volunteer=vera_on.volunteer, answer="declined", reason="ill"
    )
    assert {o.volunteer.name for o in result.offers_made} == {"Hans Hjælper", "Ida Ingersen"}
    return hans, ida


def tick_and_send() -> None:
    notify_tick()
    pending = Notification.objects.filter(status=Status.PENDING)
    deliver_all(list(pending.values_list("pk", flat=True)))


def _text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    raise AssertionError("no text part")


def _link(inbox: Inbox, address: str) -> str:
    [message] = inbox.to(address)
    found = LINK.search(_text(message))
    assert found, _text(message)
    return found.group(1)


def test_the_offer_mail_carries_a_link_that_takes_the_place_and_then_says_taken(
    smtp, offered, alice, visit
):
    hans, ida = offered
    tick_and_send()
    [mail_to_hans] = smtp.to("hans@example.org")
    assert str(mail_to_hans["Subject"]).strip().startswith("En plads til dig: café i Redsted")
    assert "Vil du tage den?" in _text(mail_to_hans)
    # Ida has a phone too: the SMS carries the same one-tap link.
    [sms_to_ida] = [m for m in sms.outbox if "20304050" in m.to]
    assert LINK.search(sms_to_ida.text), sms_to_ida.text
    assert "Drive-in: ledig plads i Redsted" in sms_to_ida.text
    assert Offer.objects.filter(announced_at__isnull=False).count() == 2

    hans_link, ida_link = _link(smtp, "hans@example.org"), _link(smtp, "ida@example.org")
    anonymous = Client()  # the link works without a login
    page = anonymous.get(hans_link)
    assert page.status_code == 200 and "Jeg tager den" in page.content.decode()
    assert not Assignment.objects.filter(volunteer=hans).exists()  # a GET takes nothing

    taken = anonymous.post(hans_link)
    assert taken.status_code == 200
    assert "Pladsen er din" in taken.content.decode()
    assert Assignment.objects.get(visit=visit, volunteer=hans).role == "host"

    again = anonymous.post(hans_link)
    assert again.status_code == 409
    assert "Du har allerede taget denne plads" in again.content.decode()

    for late in (anonymous.get(ida_link), Client().post(ida_link)):
        assert late.status_code == 409
        assert "En anden har taget denne plads" in late.content.decode()
    assert not Assignment.objects.filter(volunteer=ida).exists()
    assert Offer.objects.get(volunteer=ida).state == OfferState.TAKEN
    assert Assignment.objects.filter(visit=visit).count() == 3  # Vera (declined), Dan, Hans


def test_the_tick_twice_sends_each_offer_and_the_decline_once(smtp, offered, alice):
    tick_and_send()
    tick_and_send()
    assert len(smtp.to("hans@example.org")) == 1
    assert len(smtp.to("ida@example.org")) == 1
    assert len([m for m in sms.outbox if "20304050" in m.to]) == 1
    [declined] = smtp.to("alice@example.org")
    subject = str(declined["Subject"]).strip()
    assert subject.startswith("Afbud: Vera Frivillig kan ikke komme til Redsted ")
    body = _text(declined)
    assert "Vera Frivillig kan ikke komme til caféen i Redsted" in body
    assert "bed en administrator" in body  # how a coordinator stops it
    assert Notification.objects.filter(kind=Kind.DECLINED).count() == 1


def test_a_second_decline_after_coming_back_is_a_second_alert(smtp, offered, alice, vera_on):
    tick_and_send()
    assert len(smtp.to("alice@example.org")) == 1
    # Hans does not take it; Vera says she can come after all, then cannot again.
    Offer.objects.update(state=OfferState.DECLINED)
    vera_on.refresh_from_db()
    assignment_answer(assignment=vera_on, volunteer=vera_on.volunteer, answer="confirmed")
    assignment_answer(assignment=vera_on, volunteer=vera_on.volunteer, answer="declined")
    tick_and_send()
    tick_and_send()
    assert len(smtp.to("alice@example.org")) == 2


def test_an_offer_taken_before_its_mail_went_out_is_not_sent(smtp, offered, alice):
    _hans, ida = offered
    notify_tick()  # recorded, not yet sent
    Offer.objects.filter(volunteer=ida).update(state=OfferState.TAKEN)
    deliver_all(Notification.objects.filter(kind=Kind.OFFER).values_list("pk", flat=True))
    assert smtp.to("hans@example.org") and not smtp.to("ida@example.org")
    skipped = Notification.objects.get(kind=Kind.OFFER, volunteer=ida, channel="email")
    assert skipped.status == Status.SKIPPED


def test_a_forged_or_expired_link_is_refused_in_danish_and_takes_nothing(
    smtp, offered, settings, visit
):
    hans, _ida = offered
    offer = Offer.objects.get(volunteer=hans)
    token = signing.TimestampSigner(salt=SALT).sign(str(offer.pk))
    forged = Client().post(f"/shifts/offers/take/{token[:-2]}xx/")
    assert forged.status_code == 404
    assert "Linket er ikke gyldigt" in forged.content.decode()
    other_salt = signing.TimestampSigner(salt="elsewhere").sign(str(offer.pk))
    assert Client().post(f"/shifts/offers/take/{other_salt}/").status_code == 404

    settings.OFFER_LINK_MAX_AGE = dt.timedelta(seconds=-1)
    expired = Client().post(f"/shifts/offers/take/{token}/")
    assert expired.status_code == 410
    assert "Linket er udløbet" in expired.content.decode()

    settings.OFFER_LINK_MAX_AGE = dt.timedelta(days=14)
    visit.date = timezone.localdate() - dt.timedelta(days=1)
    visit.save()
    begun = Client().post(f"/shifts/offers/take/{token}/")
    assert begun.status_code == 410
    assert "caféen er begyndt" in begun.content.decode()
    assert not Assignment.objects.filter(volunteer=hans).exists()
    offer.refresh_from_db()
    assert offer.state == OfferState.WAITING


def test_an_offer_waits_for_the_end_of_the_volunteers_quiet_hours(smtp, offered, visit):
    hans, _ida = offered
    Preference.objects.create(volunteer=hans, quiet_from=dt.time(22), quiet_until=dt.time(7))
    eve = visit.date - dt.timedelta(days=2)
    night = timezone.make_aware(dt.datetime.combine(eve, dt.time(23, 30)))
    notify_tick(now=night)
    pending = Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=night)
    deliver_all(list(pending.values_list("pk", flat=True)), now=night)
    assert smtp.to("ida@example.org") and not smtp.to("hans@example.org")
    morning = timezone.make_aware(dt.datetime.combine(eve + dt.timedelta(days=1), dt.time(7)))
    held = Notification.objects.get(kind=Kind.OFFER, volunteer=hans, channel="email")
    assert held.next_attempt_at == morning
    deliver_all([held.pk], now=morning)
    assert len(smtp.to("hans@example.org")) == 1
