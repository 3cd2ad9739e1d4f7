"""seed_demo's options and refusals, and its determinism: each needs a database of its
own (empty, or with other data), so none shares the seeded module's data."""

import pytest
from django.core.management import CommandError
from django.db import transaction

from stops.models import CentreSite
from tests.demo.seeding import seed, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_the_same_seed_gives_the_same_data(debug):
    # Two seeds from an empty database: the one test that must seed twice.
    with transaction.atomic():
        seed()
        first = snapshot()
        transaction.set_rollback(True)
    assert not CentreSite.objects.exists()
    seed()
    assert snapshot() == first


def test_if_empty_leaves_an_existing_database_alone(debug, stop):
    assert "nothing loaded" in seed("--if-empty")
    assert CentreSite.objects.count() == 1


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not CentreSite.objects.exists()


def test_it_refuses_nonsense_history(debug):
    with pytest.raises(CommandError):
        seed("--weeks", "0")
    with pytest.raises(CommandError):
        seed("--weeks", "4", "--years", "1")
