"""
The demo data seeded once for the tests that only read it (tests/demo/test_seeded.py):
seeding takes seconds, and six tests used to seed it again each.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: None, django_db_blocker) -> Iterator[str]:
    """
    ``seed_demo`` run once for the module, inside a transaction that is rolled back
    after the module's last test, so no other module sees the data. pytest-django
    wraps each ``django_db`` test in a savepoint inside it (it leaves out
    TestCase's class-level set-up for this), so a test's own writes are undone
    after it; on SQLite and on PostgreSQL alike. Module scope, not session: a
    transaction open for the session would hold the demo data under every other
    test. Yields the command's output.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        out = StringIO()
        try:
            # seed_demo runs only with DEBUG on (it makes logins with a known password);
            # the tests' hasher (tests/conftest.py) is function-scoped, so named here too,
            # or the logins' passwords would be hashed with one the tests cannot check.
            with override_settings(
                DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                call_command("seed_demo", stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
