"""The path-prefix rate limit of the public pages (/s/) and feeds (/calendar/)."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from core.ratelimit import parse_rate

calls: list[str] = []


def dummy(request, rest=""):
    calls.append(request.path)
    return HttpResponse("ok")


urlpatterns = [
    path("s/<slug:rest>/", dummy),
    path("calendar/<path:rest>", dummy),
    path("elsewhere/", dummy),
    path("", include("drivein.urls")),
]

LIMITS = {"/s/": "3/minute", "/calendar/": "2/hour"}


# Ten seconds into an hour (and so into a minute): no window ends during a test.
NOW = 3600 * 1000 + 10.0


@pytest.fixture(autouse=True)
def dummy_urls(settings, db, monkeypatch):
    settings.ROOT_URLCONF = __name__
    settings.PATH_RATE_LIMITS = LIMITS
    monkeypatch.setattr("core.ratelimit.now", lambda: NOW)
    calls.clear()


def statuses(client, url: str, times: int, address: str = "10.0.0.1") -> list[int]:
    return [client.get(url, REMOTE_ADDR=address).status_code for _ in range(times)]


def test_a_public_page_answers_429_past_its_rate(client):
    assert statuses(client, "/s/redsted/", 4) == [200, 200, 200, 429]
    assert len(calls) == 3  # the view never ran for the refused request


def test_the_429_says_when_to_come_back_in_danish(client):
    statuses(client, "/s/redsted/", 3)
    response = client.get("/s/redsted/", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert "For mange forespørgsler fra din adresse" in response.text


def test_feeds_have_their_own_rate_and_window(client):
    assert statuses(client, "/calendar/centre/1.ics", 3) == [200, 200, 429]
    assert client.get("/calendar/centre/1.ics", REMOTE_ADDR="10.0.0.1")["Retry-After"] == "3590"
    # The public pages' allowance is untouched.
    assert statuses(client, "/s/redsted/", 1) == [200]


def test_each_address_has_its_own_allowance(client):
    statuses(client, "/s/redsted/", 3)
    assert statuses(client, "/s/redsted/", 1, address="10.0.0.2") == [200]


def test_a_new_window_brings_a_new_allowance(client, monkeypatch):
    statuses(client, "/s/redsted/", 3)
    monkeypatch.setattr("core.ratelimit.now", lambda: NOW + 60)
    assert statuses(client, "/s/redsted/", 1) == [200]


def test_other_paths_are_not_limited(client):
    assert statuses(client, "/elsewhere/", 10) == [200] * 10


@override_settings(NUM_PROXIES=1)
def test_behind_a_proxy_each_forwarded_client_counts_alone(client):
    for address in ("1.1.1.1", "2.2.2.2"):
        codes = [
            client.get(
                "/s/redsted/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address
            ).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 200]


def test_a_spoofed_forwarded_header_is_ignored_without_a_proxy(client):
    codes = [
        client.get(
            "/s/redsted/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}"
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("rate", "parsed"), [("60/minute", (60, 60)), ("5/s", (5, 1)), ("100/hour", (100, 3600))]
)
def test_rates_are_written_like_drf_rates(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["many/minute", "5", "5/fortnight"])
def test_a_malformed_rate_is_refused(rate):
    with pytest.raises(ValueError):
        parse_rate(rate)
