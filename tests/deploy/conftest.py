"""
Drive-in started as in production (tools/smoke.py): the database migrated with the
demo data, static files collected into a temporary folder, and two gunicorn
processes with deploy/gunicorn.conf.py, DEBUG off, the default (database) cache.

The database is its own, next to the test database: on PostgreSQL the test
settings' database name + "_smoke" (dropped and made anew), on SQLite a file.
"""

import os
from urllib.parse import urlsplit

import pytest

from tools import smoke


def smoke_database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return parts._replace(path=parts.path.rstrip("/") + "_smoke").geturl()
    return f"sqlite:///{tmp_path_factory.mktemp('smoke') / 'smoke.sqlite3'}"


@pytest.fixture(scope="session")
def production_servers(tmp_path_factory):
    """Two gunicorn processes on one database; NUM_PROXIES=1 as behind the proxy."""
    url = smoke_database_url(tmp_path_factory)
    with smoke.production_site(
        url, servers=2, workers=1, NUM_PROXIES="1", DB_POOL_SIZE="4"
    ) as servers:
        yield servers
