"""What production refuses to start with, and the database pool it can use."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-for-this-test-only-" + "x" * 20,
    "ALLOWED_HOSTS": "drivein.example.org",
    "DATABASE_URL": "sqlite:////tmp/drivein-production-settings.sqlite3",
}


def start(code: str = "", **env: str) -> subprocess.CompletedProcess:
    """A fresh process that reads the settings (and runs ``code``) with ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "DB_POOL_SIZE")}
    script = "import json, django; django.setup(); from django.conf import settings; " + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "drivein.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("email_url", [None, "consolemail://"])
def test_production_refuses_to_start_with_mail_that_prints_login_links_into_the_log(email_url):
    started = start(**({"EMAIL_URL": email_url} if email_url else {}))
    assert started.returncode != 0
    assert "EMAIL_URL must be set when DEBUG is off" in started.stderr
    assert "login links" in started.stderr


@pytest.mark.parametrize(
    ("email_url", "backend"),
    [
        ("smtp+tls://drivein:secret@smtp.example.org:587", "smtp.EmailBackend"),
        ("dummymail://", "dummy.EmailBackend"),
    ],
)
def test_production_starts_with_real_mail_or_none(email_url, backend):
    started = start("print(settings.MAILERS['default']['BACKEND'])", EMAIL_URL=email_url)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().endswith(backend)


def test_development_still_prints_mail_to_the_console():
    started = start("print(settings.MAILERS['default']['BACKEND'])", DEBUG="true")
    assert started.stdout.strip().endswith("console.EmailBackend")


POOL = (
    "from django.db import connection; connection.ensure_connection(); "
    "print(json.dumps([settings.DATABASES['default']['CONN_MAX_AGE'], "
    "settings.DATABASES['default']['OPTIONS'].get('pool', {}).get('max_size'), "
    "type(connection.pool).__name__ if connection.pool else None]))"
)


def test_the_connection_pool_is_opt_in_and_replaces_persistent_connections():
    # The server's maintenance database (DATABASE_URL's own may not exist: tests use test_…).
    postgres = os.environ.get("DATABASE_URL", "")
    if not postgres.startswith("postgres"):
        postgres = "postgres://postgres@127.0.0.1:5432/postgres"
    postgres = urlsplit(postgres)._replace(path="/postgres").geturl()
    common = {"EMAIL_URL": "dummymail://", "DATABASE_URL": postgres, "CONN_MAX_AGE": "60"}
    pooled = start(POOL, DB_POOL_SIZE="4", **common)
    assert pooled.returncode == 0, pooled.stderr
    assert json.loads(pooled.stdout) == [0, 4, "ConnectionPool"]
    plain = start(POOL, **common)
    assert json.loads(plain.stdout) == [60, None, None]
