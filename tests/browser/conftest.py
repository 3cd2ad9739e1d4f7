"""
Browser tests on SQLite: the test database lives in memory, and the live server
shares that one connection with every request thread. A page with a service worker
sends several requests at once, which SQLite cannot take on one connection, so on
SQLite the live server answers one request at a time. PostgreSQL keeps the
threaded server (a connection per thread).
"""

import threading
import time

import pytest

_in_flight = 0
_in_flight_lock = threading.Lock()


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite():
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test import testcases

    if connection.vendor != "sqlite":
        yield
        return

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override

    original = testcases.LiveServerThread.server_class
    testcases.LiveServerThread.server_class = SerialWSGIServer
    yield
    testcases.LiveServerThread.server_class = original


@pytest.fixture(scope="session", autouse=True)
def _count_live_server_requests():
    """Counts the requests the live server is answering, for the wait below."""
    from django.core.handlers.wsgi import WSGIHandler

    original = WSGIHandler.__call__

    def counted(self, environ, start_response):
        global _in_flight
        with _in_flight_lock:
            _in_flight += 1
        try:
            return original(self, environ, start_response)
        finally:
            with _in_flight_lock:
                _in_flight -= 1

    WSGIHandler.__call__ = counted
    yield
    WSGIHandler.__call__ = original


@pytest.fixture(autouse=True)
def _live_server_idle_before_the_flush(request):
    """
    A service worker may still be sending (a sync, a refresh) when a test ends. The
    database is flushed after this fixture's teardown, and a request answered during
    the flush fails on foreign keys and leaves rows that break the tests after it; so
    the teardown waits (after the test's pages and contexts have closed) until the live
    server has been quiet for a moment.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    deadline = time.monotonic() + 15
    quiet_since = None
    while time.monotonic() < deadline:
        if _in_flight:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.3:
            return
        time.sleep(0.05)
