"""
Shared fixtures. The cast, as in Healthchecks' base test case: a centre with its
coordinator (Alice) and a volunteer (Vera), another centre with its coordinator
(Charlie), leadership (Lea) and an administrator (Ada).
"""

import pytest

from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is for production; tests need speed, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def centre(db):
    return f.make_centre(name="Nykøbing Mors")


@pytest.fixture
def other_centre(db):
    return f.make_centre(name="Skjern")


@pytest.fixture
def stop(centre):
    return f.make_stop(centre, community="Redsted", slug="redsted")


@pytest.fixture
def other_stop(other_centre):
    return f.make_stop(other_centre, community="Tarm", slug="tarm")


@pytest.fixture
def coordinator(centre):
    return f.make_coordinator(centre, "alice")


@pytest.fixture
def other_coordinator(other_centre):
    return f.make_coordinator(other_centre, "charlie")


@pytest.fixture
def volunteer_user(centre):
    user = f.make_user("vera")
    f.make_volunteer(centre, user=user, name="Vera Frivillig")
    return user


@pytest.fixture
def leader(db):
    return f.make_leader("lea")


@pytest.fixture
def admin_user(db):
    return f.make_user("ada", is_staff=True, is_superuser=True)
