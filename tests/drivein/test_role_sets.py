"""
Each set of roles in core.access says what its roles may do, as the access matrix
shows it (tests/test_access_matrix.py, which tries every row by real requests).

The old test restated the constants and checked the apps imported them: it could
only fail when a set was edited, and then for no reason worth knowing. This one
fails when a set and the pages it governs part ways: a view that stops asking the
set (the matrix row updated to its new behaviour) or a set edited without the
pages following.
"""

import pytest

from core import access
from core.access import Role
from tests.test_access_matrix import MATRIX

# The matrix's logged-in roles inside the centre's reach. "other_coordinator" is a
# coordinator outside it: 404 there is about reach, not about the role.
MATRIX_ROLE = {
    "volunteer": Role.VOLUNTEER,
    "coordinator": Role.COORDINATOR,
    "leadership": Role.LEADERSHIP,
    "admin": Role.ADMIN,
}
DONE = {200, 201, 302}  # shown, made, or done and sent back to the page

# Which rows each set decides (the action, at the own centre unless said).
GOVERNED = {
    "REPORTERS": [
        "report a visit (form)",
        "report a visit (phone queue)",
        "API report a visit",
        "log a home visit (form)",
        "API log a home visit",
    ],
    "PLANNERS": [
        "plan the coming weeks",
        "add a visit",
        "move a visit",
        "cancel a visit",
        "put a volunteer on a visit",
        "add a stop",
        "add a pattern",
    ],
    "READERS": ["week", "roster", "the day's route", "a visit", "reach of the own centre"],
    "EVERY_CENTRE": ["another centre's week", "another centre's report form"],
}
ROWS = {entry.what: entry for entry in MATRIX}


@pytest.mark.parametrize(("name", "what"), [(n, w) for n, rows in GOVERNED.items() for w in rows])
def test_the_roles_of_a_set_are_the_roles_the_matrix_lets_do_it(name: str, what: str):
    entry = ROWS[what]  # a KeyError here: the row was renamed, rename it above
    allowed = {role for key, role in MATRIX_ROLE.items() if entry.expected[key] in DONE}
    assert allowed == getattr(access, name), f"{what}: the matrix lets {sorted(allowed)}"
