"""The channels against real peers: an SMTP server (aiosmtpd) and a local GatewayAPI."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from notifications.choices import Status
from notifications.models import Notification
from notifications.sms.gsm import parts
from notifications.tasks import deliver

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=9071)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9071, "timeout": 5},
        }
    }
    yield inbox
    controller.stop()


class Gateway(BaseHTTPRequestHandler):
    """Checks GatewayAPI's documented request shape; answers as the test tells it."""

    answer = 200
    delay = 0.0
    received: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert self.path == "/rest/mtsms"
        assert self.headers["Authorization"] == "Token SECRET"
        assert self.headers["Content-Type"] == "application/json"
        assert set(body) >= {"sender", "message", "recipients"}
        assert all(isinstance(r["msisdn"], int) for r in body["recipients"])
        time.sleep(self.delay)
        type(self).received.append(body)
        self.send_response(self.answer)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ids": [1]}')

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    Gateway.answer, Gateway.delay, Gateway.received = 200, 0.0, []
    server = ThreadingHTTPServer(("127.0.0.1", 9072), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_URL = "gatewayapi+http://SECRET@127.0.0.1:9072"
    settings.SMS_TIMEOUT = 0.5
    yield Gateway
    server.shutdown()
    server.server_close()


def row(channel: str, address: str, **fields) -> Notification:
    return Notification.objects.create(
        key=f"test:{channel}:{address}",
        kind="change",
        channel=channel,
        address=address,
        subject="Ændret: café i Redsted",
        body="Tid: 10:00 → 11:00 æøå",
        html="<p>Tid</p>",
        next_attempt_at=timezone.now(),
        **fields,
    )


def test_the_smtp_server_receives_text_and_html(smtp, visit, vera):
    n = row("email", "vera@example.org", volunteer=vera)
    assert deliver(n.pk) == Status.SENT
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == ["vera@example.org"]
    content = envelope.content.decode()
    assert "text/plain" in content and "text/html" in content
    assert deliver(n.pk) == "not claimed"  # a second run of the task sends nothing
    assert len(smtp.messages) == 1


def test_a_dead_smtp_server_is_retried_then_reported(settings, vera):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9073, "timeout": 1},
        }
    }
    settings.NOTIFY_MAX_ATTEMPTS = 2
    n = row("email", "vera@example.org", volunteer=vera)
    assert deliver(n.pk) == Status.PENDING
    n.refresh_from_db()
    assert n.attempts == 1 and n.next_attempt_at > timezone.now() and n.error
    assert deliver(n.pk, now=n.next_attempt_at) == Status.FAILED


def test_the_gateway_gets_its_documented_request(gateway, vera):
    n = row("sms", "4520304050", volunteer=vera)
    assert deliver(n.pk) == Status.SENT
    [body] = gateway.received
    assert body["recipients"] == [{"msisdn": 4520304050}]
    assert body["message"] == "Tid: 10:00 → 11:00 æøå"
    assert body["encoding"] == "UCS2"  # "→" is not in GSM-7
    assert body["sender"] == "DriveOut"


@pytest.mark.parametrize("failure", ["500", "timeout"])
def test_a_gateway_500_or_timeout_is_retried_then_reported(gateway, settings, vera, failure):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    if failure == "500":
        gateway.answer = 500
    else:
        gateway.delay = 1.0
    n = row("sms", "4520304050", volunteer=vera)
    when = timezone.now()
    for attempt in (1, 2):
        assert deliver(n.pk, now=when) == Status.PENDING
        n.refresh_from_db()
        assert n.attempts == attempt
        assert n.next_attempt_at - when >= dt.timedelta(seconds=60 * 4 ** (attempt - 1))
        when = n.next_attempt_at
    assert deliver(n.pk, now=when) == Status.FAILED
    n.refresh_from_db()
    assert n.status == "failed" and n.attempts == 3
    assert ("500" in n.error) if failure == "500" else ("Timeout" in n.error)


def test_a_gateway_refusal_is_not_retried(gateway, vera):
    gateway.answer = 422
    n = row("sms", "4520304050", volunteer=vera)
    assert deliver(n.pk) == Status.FAILED


@pytest.mark.parametrize(
    ("text", "encoding", "length", "count"),
    [
        ("Husk caféen i Øster Jølby kl. 10", "GSM-7", 32, 1),
        ("å" * 160, "GSM-7", 160, 1),
        ("å" * 161, "GSM-7", 161, 2),
        ("€" * 80, "GSM-7", 160, 1),  # the extension table counts twice
        ("€" * 81, "GSM-7", 162, 2),
        ("a" * 152 + "€" + "a" * 10, "GSM-7", 164, 2),  # an escape pair is never split
        ("Café 🚐", "UCS-2", 7, 1),
        ("ê" * 70, "UCS-2", 70, 1),
        ("ê" * 71, "UCS-2", 71, 2),
        ("ê" * 134, "UCS-2", 134, 2),
        ("ê" * 135, "UCS-2", 135, 3),
    ],
)
def test_sms_length_and_parts(text, encoding, length, count):
    result = parts(text)
    assert (result.encoding, result.length, result.count) == (encoding, length, count)
    assert "".join(result.segments) == text


def test_a_split_escape_pair_goes_whole_into_the_next_part():
    first, second = parts("a" * 152 + "€" + "a" * 10).segments
    assert first == "a" * 152 and second == "€" + "a" * 10
