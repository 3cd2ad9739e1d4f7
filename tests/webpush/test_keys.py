"""The VAPID keys: made by manage.py vapid_keys, checked at start, never a default in production."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from tests.webpush.pushservice import unb64url
from webpush import keys
from webpush.checks import vapid_keys_check

ROOT = Path(__file__).resolve().parents[2]


def test_vapid_keys_prints_a_matching_pair_each_time_a_new_one():
    pairs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("vapid_keys", stdout=out, stderr=io.StringIO())
        lines = dict(line.split("=", 1) for line in out.getvalue().split())
        pairs.append((lines["VAPID_PRIVATE_KEY"], lines["VAPID_PUBLIC_KEY"]))
    (private, public), other = pairs
    assert other != (private, public)
    assert keys.public_key_of(private) == public
    # The public key is the 65-byte point the browsers' subscribe() takes.
    point = unb64url(public)
    assert len(point) == 65 and point[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def test_the_development_pair_passes_the_check():
    assert vapid_keys_check(None) == []


def test_the_check_catches_half_a_pair_a_broken_key_and_two_halves_that_do_not_match(settings):
    private, _public = keys.generate()
    _other_private, other_public = keys.generate()
    cases = [
        ({"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": ""}, "webpush.E001"),
        ({"VAPID_PRIVATE_KEY": "not-a-key", "VAPID_PUBLIC_KEY": other_public}, "webpush.E002"),
        ({"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": other_public}, "webpush.E003"),
    ]
    for values, code in cases:
        for name, value in values.items():
            setattr(settings, name, value)
        assert [error.id for error in vapid_keys_check(None)] == [code]
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = keys.generate()
    settings.VAPID_SUBJECT = "drivein@example.org"
    assert [error.id for error in vapid_keys_check(None)] == ["webpush.W001"]
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    assert vapid_keys_check(None) == []


def _settings_in_production(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VAPID_")}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(repr((settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "drivein.settings",
            "DEBUG": "false",
            "SECRET_KEY": "a-production-secret-key-for-this-test-only-" + "x" * 20,
            "EMAIL_URL": "dummymail://",
            "DATABASE_URL": "sqlite:////tmp/drivein-push-settings.sqlite3",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_production_has_no_default_key_pair_and_takes_the_environment_s():
    assert _settings_in_production() == "('', '')"
    private, public = keys.generate()
    assert _settings_in_production(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=public) == repr(
        (private, public)
    )
