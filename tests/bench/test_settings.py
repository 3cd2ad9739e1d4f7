"""What the benchmark switches on and off, and that production never gets it."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import clear_url_caches

import drivein.urls

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**env) -> dict:
    """The settings a fresh process reads with ``env`` (settings are read once, at start)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES'], s.PATH_RATE_LIMITS, "
        "s.AXES_ENABLED, s.BENCH]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("THROTTLING", "BENCH")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "drivein.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    throttles, paths, axes, bench = json.loads(done.stdout)
    return {"throttles": throttles, "paths": paths, "axes": axes, "bench": bench}


def test_throttles_rate_limits_and_lockout_are_on_unless_switched_off():
    normal = settings_with()
    assert normal["throttles"] == ["api.throttling.ScopedThrottle"]
    assert set(normal["paths"]) == {"/s/", "/calendar/", "/shared/"}
    assert normal["axes"] is True
    assert normal["bench"] is False


def test_the_benchmark_switches_all_three_off():
    bench = settings_with(THROTTLING="false", BENCH="true")
    assert bench == {"throttles": [], "paths": {}, "axes": False, "bench": True}


@pytest.fixture
def bench_urls(settings):
    """The URLconf as it is with BENCH on; the normal one again afterwards."""
    settings.BENCH = True
    importlib.reload(drivein.urls)
    clear_url_caches()
    yield
    settings.BENCH = False
    importlib.reload(drivein.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_there_is_no_floor_view_without_the_bench_setting(client):
    assert client.get("/bench/floor/").status_code == 404


@pytest.mark.django_db
def test_the_floor_view_answers_through_the_middleware_with_no_query(
    bench_urls, client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Content-Security-Policy" in response.headers  # the whole middleware stack ran
