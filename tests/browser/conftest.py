"""
Browser tests on SQLite: the test database lives in memory, and the live server
shares that one connection with every request thread. A page with a service worker
sends several requests at once, which SQLite cannot take on one connection, so on
SQLite the live server answers one request at a time. PostgreSQL keeps the
threaded server (a connection per thread).
"""

import pytest


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
