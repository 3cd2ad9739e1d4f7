"""
PostgreSQL down: every page answers 503 with a Danish page (the API a JSON 503),
never a 500 or a stack trace, and the site comes back by itself.
"""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from core.unavailable import database_unavailable

DANISH = "Drive-in kan ikke nå sin database lige nu."
SAMPLES = {"int": 1, "slug": "redsted", "str": "2026-12-01", "path": "x"}


def every_page() -> list[str]:
    """Every named URL of the site, its parameters filled with plausible values."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = pattern.pattern.converters
                kwargs = {
                    name: SAMPLES.get(type(c).__name__.removesuffix("Converter").lower(), "1")
                    for name, c in converters.items()
                }
                try:
                    yield reverse(f"{namespace}{pattern.name}", kwargs=kwargs)
                except NoReverseMatch:  # the admin's regular expressions
                    continue

    return sorted(set(walk(get_resolver().url_patterns, "")))


@pytest.fixture
def signed_in(volunteer_user, leader):
    """A volunteer's and a leader's browser, signed in while the database was up."""
    clients = []
    for user in (volunteer_user, leader):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients


def test_every_page_answers_503_in_danish_not_500(signed_in, database_down):
    pages = every_page()
    assert len(pages) > 40
    pages.remove("/healthz")  # its own JSON, tested in test_health
    for client in signed_in:
        for page in pages:
            response = client.get(page)
            assert response.status_code != 500, page
            if response.status_code == 503:
                text = response.json()["detail"] if page.startswith("/api/") else response.text
                assert DANISH in text, page
                assert response["Retry-After"] == "30"
    answers = {page: signed_in[1].get(page).status_code for page in pages}
    for page in ("/", "/today/", "/reach/", "/s/redsted/", "/admin/", "/api/v1/visits/"):
        assert answers[page] == 503, page


def test_the_page_says_why_in_danish_and_shows_no_trace(signed_in, database_down):
    response = signed_in[0].get("/today/")

    assert response.status_code == 503
    assert "Drive-in er utilgængelig" in response.text
    assert DANISH in response.text
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text
    assert "127.0.0.1" not in response.text


def test_the_api_answers_json(signed_in, database_down):
    response = signed_in[0].get("/api/v1/visits/")

    assert response.status_code == 503
    assert response.json()["detail"].startswith(DANISH)


def test_an_anonymous_visitor_gets_the_same_page(database_down):
    response = Client(raise_request_exception=False).get("/s/redsted/")

    assert response.status_code == 503
    assert DANISH in response.text


def test_a_bug_in_a_query_is_still_a_500_not_hidden_as_an_outage():
    import psycopg

    lost = OperationalError("connection failed")
    lost.__cause__ = psycopg.OperationalError("connection failed")
    deadlock = OperationalError("deadlock detected")
    deadlock.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    missing_table = OperationalError("no such table: x")
    missing_table.__cause__ = __import__("sqlite3").OperationalError("no such table: x")

    assert database_unavailable(lost)
    assert database_unavailable(InterfaceError("connection already closed"))
    assert not database_unavailable(deadlock)
    assert not database_unavailable(missing_table)
    assert not database_unavailable(ValueError("x"))


def test_the_error_handler_answers_503_for_an_outage_outside_any_view(
    signed_in, database_down, settings
):
    # Without the middleware the lost database surfaces in Django's handler500 (as it
    # does when a middleware's session save or an error page needs the database).
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "core.unavailable.DatabaseUnavailableMiddleware"
    ]
    client = signed_in[0]
    client.handler.load_middleware()

    response = client.get("/today/")

    assert response.status_code == 503
    assert DANISH in response.text
