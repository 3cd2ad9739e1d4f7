"""Outages for the operations tests: a database and a cache at a port nobody answers."""

import socket

import pytest
from django.db import connections


@pytest.fixture
def closed_port():
    """A local TCP port that refuses connections (bound, never listening)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


@pytest.fixture
def database_down(db, closed_port):
    """
    The site's database becomes a PostgreSQL server that is not there (as when it is
    down or restarting), whichever database the suite runs on; restored afterwards.
    """
    from django.db.backends.postgresql.base import DatabaseWrapper

    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "drivein_down",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(closed_port),
        "OPTIONS": {"connect_timeout": 2},
    }
    down = DatabaseWrapper(settings_dict, alias="default")
    connections["default"] = down
    yield
    down.close()
    connections["default"] = original
