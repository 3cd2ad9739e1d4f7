"""The scheduled funder mail against a real SMTP server (aiosmtpd): each period once."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError

from funders.models import Mailing, MailSent
from stops.models import Funder
from tests.reach.world import build_world

from .pdftext import needs_pdftotext, pdf_text

PORT = 9042


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=PORT)
    controller.start()
    settings.MAILERS = mailers(PORT)
    yield inbox
    controller.stop()


@pytest.fixture
def mailing(db):
    world = build_world()
    funder = Funder.objects.create(name="Landsbyfonden", start_date=dt.date(2025, 1, 1))
    funder.centres.add(world.mors)
    return Mailing.objects.create(
        funder=funder, addresses="fond@example.org\n\n  kasserer@example.org ", rhythm="month"
    )


def send(today: str = "2025-12-03") -> None:
    call_command("send_funder_mail", "--today", today, verbosity=0)


@needs_pdftotext
def test_the_months_pdf_goes_to_the_contacts_once(smtp, mailing):
    send()
    send()  # the timer runs every five minutes: nothing twice
    [envelope] = smtp.messages
    assert sorted(envelope.rcpt_tos) == ["fond@example.org", "kasserer@example.org"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "Rapport om rækkevidde: Landsbyfonden, november 2025"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = pdf_text(attachment.get_content())
    assert "Landsbyfonden" in text and "november 2025" in text and "Redsted" in text
    sent = MailSent.objects.get()
    assert sent.key == f"funder-mail:{mailing.pk}:2025-11" and sent.sent_at is not None


def test_a_quarterly_mailing_waits_for_the_quarters_end(smtp, mailing):
    mailing.rhythm = "quarter"
    mailing.save()
    send("2025-12-03")  # Q3 is over: July to September
    send("2025-12-20")
    assert len(smtp.messages) == 1
    assert MailSent.objects.get().period == "2025-Q3"


def test_a_dead_smtp_server_keeps_the_period_unsent_and_the_next_run_sends_it(settings, mailing):
    settings.MAILERS = mailers(PORT + 1)  # nobody listens there
    send()
    failed = MailSent.objects.get()
    assert failed.sent_at is None and failed.problem
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=PORT + 1)
    controller.start()
    try:
        send()
        send()
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert MailSent.objects.get().sent_at is not None


def test_a_period_before_the_grant_or_a_grant_without_stops_sends_nothing(smtp, mailing):
    mailing.funder.start_date = dt.date(2025, 12, 1)
    mailing.funder.save()
    send()  # November lies before the grant
    mailing.funder.centres.clear()
    send("2026-01-05")  # December, but no stops
    assert smtp.messages == [] and not MailSent.objects.exists()


def test_a_bad_day_is_refused(mailing):
    with pytest.raises(CommandError, match="--today"):
        send("3/12/2025")
