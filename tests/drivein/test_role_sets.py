"""The sets of roles (who reports, who plans, who reads) are defined once, in core.access."""

import pytest

from core import access
from core.access import Role


def test_each_set_says_who_may_do_it():
    assert {Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER} == access.REPORTERS
    assert {Role.ADMIN, Role.COORDINATOR} == access.PLANNERS
    assert {Role.ADMIN, Role.COORDINATOR, Role.LEADERSHIP} == access.READERS
    assert {Role.ADMIN, Role.LEADERSHIP} == access.EVERY_CENTRE


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("planning.access", "PLANNERS"),
        ("planning.access", "READERS"),
        ("volunteers.views", "REPORTERS"),
        ("volunteers.views", "PLANNERS"),
        ("visits.services", "REPORTERS"),
        ("visits.services", "PLANNERS"),
        ("drivein.context_processors", "READERS"),
    ],
)
def test_the_apps_use_the_sets_of_drivein_access(module, name):
    import importlib

    assert getattr(importlib.import_module(module), name) is getattr(access, name)
