"""
Request ids in every log line and the response, JSON logs, and errors sent to a real
(local) Sentry ingest endpoint with volunteers' contact data taken out.
"""

import copy
import gzip
import io
import json
import logging
import logging.config
import threading
import urllib.error
import urllib.parse
import urllib.request
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from core.observability import init_sentry
from tests import factories as f
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

log = logging.getLogger("drivein.tests")


def logging_view(request):
    log.warning("the view is working")
    return HttpResponse("ok")


@csrf_exempt  # a form post's body must not reach Sentry; the token is beside the point
def failing_view(request):
    volunteer = request.user.volunteer
    Volunteer.objects.filter(email=volunteer.email, phone=volunteer.phone).exists()
    raise ValueError(
        f"Could not save the shift of {volunteer.name} ({volunteer.phone}, {volunteer.email}) "
        f"for {request.user.username}"
    )


urlpatterns = [
    path("logs/", logging_view),
    path("fails/", failing_view),
    path("", include("drivein.urls")),
]


@pytest.fixture
def json_logs():
    """The site's own logging settings with LOG_FORMAT=json, written to a buffer."""
    stream = io.StringIO()
    config = copy.deepcopy(django_settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = stream
    config["root"]["level"] = "INFO"
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(django_settings.LOGGING)


def test_a_request_gets_an_id_in_its_response(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_the_proxys_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a9c.17"})

    assert response["X-Request-ID"] == "nginx-4f2a9c.17"


@pytest.mark.parametrize("offered", ["two words", "x" * 200, "évil\nline", ""])
def test_a_request_id_that_is_not_sane_is_replaced(client, offered):
    response = client.get("/healthz", headers={"X-Request-ID": offered})

    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


@override_settings(ROOT_URLCONF=__name__)
def test_every_log_line_of_a_request_carries_its_id_as_json(client, json_logs):
    client.get("/logs/", headers={"X-Request-ID": "proxy-id-1"})
    client.get("/no-such-page/", headers={"X-Request-ID": "proxy-id-2"})
    log.warning("outside any request")

    lines = json_logs()
    by_id = {}
    for line in lines:
        by_id.setdefault(line["request_id"], []).append(line)
    assert [(x["logger"], x["message"]) for x in by_id["proxy-id-1"]] == [
        ("drivein.tests", "the view is working"),
        ("drivein.requests", "GET /logs/ 200"),
    ]
    assert [(x["logger"], x["level"]) for x in by_id["proxy-id-2"]] == [
        ("drivein.requests", "INFO"),
        ("django.request", "WARNING"),  # Not Found: /no-such-page/, after the middleware
    ]
    assert by_id["proxy-id-2"][0]["status_code"] == 404
    assert by_id["-"][0]["message"] == "outside any request"
    assert set(lines[0]) >= {"time", "level", "logger", "message", "request_id"}


class Ingest(BaseHTTPRequestHandler):
    """Sentry's ingest endpoint, as far as the SDK needs: keep each envelope, answer 200."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            # The SDK sends brotli only when it can import the module (WeasyPrint's
            # fonts bring it), so the test can too.
            import brotli

            body = brotli.decompress(body)
        type(self).received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry():
    import sentry_sdk

    Ingest.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    init_sentry(f"http://publickey@127.0.0.1:{server.server_port}/1", environment="test")
    yield Ingest.received
    sentry_sdk.init()  # no DSN: Sentry off for the rest of the suite
    server.shutdown()
    server.server_close()


def events(envelopes: list[bytes]) -> list[dict]:
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


@override_settings(ROOT_URLCONF=__name__)
def test_an_error_reaches_sentry_without_the_volunteers_contact_data(
    transactional_db, live_server, sentry
):
    import sentry_sdk

    centre = f.make_centre(name="Nykøbing Mors")
    user = f.make_user("vera.frivillig", email="vera@example.org", first_name="Vera")
    f.make_volunteer(
        centre, user=user, name="Vera Frivillig", phone="20 30 40 50", email="vera@example.org"
    )
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    # A real HTTP request to a real WSGI server, as gunicorn would hand it to Django.
    request = urllib.request.Request(
        f"{live_server.url}/fails/?by=vera@example.org",
        data=urllib.parse.urlencode({"navn": "Vera Frivillig", "telefon": "+4520304050"}).encode(),
        headers={
            "Cookie": f"sessionid={session}; hjemmeby=Redsted",
            "X-Forwarded-For": "198.51.100.23",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    sentry_sdk.flush(timeout=10)

    assert answer.value.code == 500
    [event] = events(sentry)
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert "Could not save the shift of [Filtered]" in event["exception"]["values"][-1]["value"]
    assert event["request"]["url"].endswith("/fails/")
    assert event["request"]["method"] == "POST"
    everything = b"\n".join(sentry).decode()
    for contact in (
        "Vera",
        "Frivillig",
        "20 30 40 50",
        "20304050",
        "vera@example.org",
        "vera.frivillig",
        "Redsted",
        session,
        "telefon",
        "198.51.100.23",
    ):
        assert contact not in everything, contact
