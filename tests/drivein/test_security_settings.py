"""The production settings: `check --deploy` clean, HTTPS only, Argon2, the CSP on pages."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password, make_password

from drivein import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "drivein.example.org",
    "EMAIL_URL": "smtp+tls://drivein:secret@smtp.example.org:587",
    "DATABASE_URL": "sqlite:////tmp/drivein-deploy-check.sqlite3",
}


def production_env(**changes: str) -> dict[str, str]:
    env = {**os.environ, **PRODUCTION, **changes}
    # Set by the browser tests for the live server; never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def run_in_production(*args: str) -> subprocess.CompletedProcess:
    env = production_env()
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_has_nothing_to_say_under_production_settings():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_send_everything_over_https_only():
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps({n: getattr(s, n) for n in ["
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'DEBUG', 'X_FRAME_OPTIONS', 'DATA_UPLOAD_MAX_MEMORY_SIZE']}))"
    )
    env_script = "import os; os.environ['DJANGO_SETTINGS_MODULE']='drivein.settings'; " + code
    result = run_in_production("-c", env_script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 1024 * 1024


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env(SECRET_KEY="")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_new_passwords_are_hashed_with_argon2(settings):
    # The test suite hashes with MD5 for speed; production uses the project's list.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    hashed = make_password("en god adgangskode")
    assert hashed.startswith("argon2$argon2id$")
    assert check_password("en god adgangskode", hashed)


@pytest.mark.parametrize("url", ["/accounts/login/", "/api/docs/"])
def test_pages_carry_the_content_security_policy(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # no other host
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
