"""
The cache behind rate limits and throttles, as the settings build it from CACHE_URL:
Redis shared between servers, the database cache's increment under concurrent
writers, and a Redis that is down (the site keeps serving; limits fail open).
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.concurrency import at_once

ROOT = Path(__file__).resolve().parents[2]
REDIS_TEST_DB = "redis://127.0.0.1:6379/1"


def caches_from(cache_url: str, debug: str = "true") -> dict:
    """settings.CACHES as a fresh process builds it from the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "DEBUG")}
    env.update(CACHE_URL=cache_url, DEBUG=debug, SECRET_KEY="x" * 50, EMAIL_URL="dummymail://")
    if not cache_url:
        del env["CACHE_URL"]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "drivein.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_production_shares_counters_in_the_database_and_development_keeps_them_in_memory():
    assert caches_from("", debug="false")["default"]["BACKEND"] == "drivein.cache.DatabaseCache"
    assert caches_from("", debug="false")["default"]["LOCATION"] == "drivein_cache"
    assert caches_from("")["default"]["BACKEND"].endswith("LocMemCache")
    redis = caches_from(REDIS_TEST_DB, debug="false")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["OPTIONS"]["socket_timeout"] == 1


@pytest.fixture
def redis_cache(settings):
    """The settings' Redis cache on db 1 of the shared Redis, emptied before and after."""
    settings.CACHES = caches_from(REDIS_TEST_DB)
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.mark.django_db
def test_the_public_page_limit_counts_in_redis(redis_cache, client, stop, settings):
    settings.PATH_RATE_LIMITS = {"/s/": "3/minute"}
    answers = [client.get("/s/redsted/", REMOTE_ADDR="10.1.1.1").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert any(b"ratelimit" in key for key in redis_cache._cache.get_client().keys("*"))


@pytest.mark.django_db(transaction=True)
def test_the_database_caches_increment_loses_nothing_under_concurrent_writers():
    if connection.vendor == "sqlite":
        # The in-memory test database locks tables, not the file (SQLITE_LOCKED waits for
        # nobody); SQLite on a file is covered by test_more_than_one_server.py.
        pytest.skip("needs PostgreSQL or SQLite on a file")
    with override_settings(
        CACHES={"default": {"BACKEND": "drivein.cache.DatabaseCache", "LOCATION": "drivein_cache"}}
    ):
        cache = caches["default"]
        cache.add("hits", 0, timeout=60)
        results = at_once(*[lambda: cache.incr("hits") for _ in range(12)])
        assert sorted(results) == list(range(1, 13))  # each caller its own number
        assert cache.get("hits") == 12
        with pytest.raises(ValueError):
            cache.incr("never-added")


@pytest.fixture
def redis_down(settings):
    working = settings.CACHES
    settings.CACHES = caches_from(f"redis://127.0.0.1:{closed_port()}/0")
    yield
    settings.CACHES = working  # before the suite's own fixtures empty the cache


@pytest.mark.django_db
def test_with_redis_down_the_public_pages_feeds_and_api_still_answer(
    redis_down, client, stop, coordinator, caplog
):
    assert client.get("/s/redsted/").status_code == 200  # the limit fails open
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")
    assert api.get("/api/v1/stops/").status_code == 200  # so does the API's throttle
    assert client.get("/accounts/login/").status_code == 200
    assert "the cache failed" in caplog.text
