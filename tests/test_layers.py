"""
The layers (docs/layers.md) as `make lint` checks them: the tree keeps its contracts,
and an import against them is caught, so that the check cannot pass by checking
nothing. Each broken case runs lint-imports on a copy of the tree with one bad import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from core import access
from stops.models import CentreSite
from volunteers.models import Volunteer

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# The packages the contracts name (pyproject.toml's root_packages), so a new app is
# copied as soon as it joins the contracts.
PACKAGES = tuple(
    tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
)


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The packages and pyproject.toml (with the contracts), copied."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.pyc"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(path: Path, line: str) -> None:
    path.write_text(f"{line}\n{path.read_text()}")


def test_the_tree_keeps_its_layers():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_an_upward_import_between_apps_is_caught(tree):
    # stops is below planning: a stop's model may not reach for the planning app.
    add_import(tree / "stops" / "models.py", "import planning.geo  # noqa")
    done = lint_imports(tree)
    assert done.returncode == 1
    assert "Project package above demo data above the apps above core BROKEN" in done.stdout
    assert "stops.models -> planning.geo" in done.stdout


def test_an_app_importing_the_demo_data_is_caught(tree):
    add_import(tree / "api" / "views.py", "import demo.builder  # noqa")
    done = lint_imports(tree)
    assert done.returncode == 1
    assert "api.views -> demo.builder" in done.stdout


def test_core_importing_an_app_is_caught(tree):
    add_import(tree / "core" / "access.py", "import stops.models  # noqa")
    done = lint_imports(tree)
    assert done.returncode == 1
    assert "core imports no app and not the project package BROKEN" in done.stdout
    assert "core.access -> stops.models" in done.stdout


def test_the_two_planning_apps_stay_independent(tree):
    add_import(tree / "reach" / "models.py", "import planning.geo  # noqa")
    done = lint_imports(tree)
    assert done.returncode == 1
    assert "reach.models -> planning.geo" in done.stdout


def test_a_cycle_inside_an_app_is_caught_even_hidden_in_a_function(tree):
    # The cycle that was: the task runs delivery, and delivery queued the task.
    delivery = tree / "notifications" / "delivery.py"
    delivery.write_text(
        delivery.read_text() + "\n\ndef _hidden():\n    import notifications.tasks  # noqa\n"
    )
    done = lint_imports(tree)
    assert done.returncode == 1
    assert "No import cycle between the modules of one package BROKEN" in done.stdout
    assert "No cycles are allowed in notifications." in done.stdout
    assert "- .tasks -> .delivery" in done.stdout or "- .delivery -> .tasks" in done.stdout


def test_the_users_relations_core_follows_by_name_exist():
    """core.access names two relations the apps hang on the user; renaming one in its
    app must fail here, by name, not as wrong answers about roles."""
    user_model = get_user_model()
    coordinated = user_model._meta.get_field(access.COORDINATED_CENTRES)
    assert coordinated.related_model is CentreSite
    volunteer = user_model._meta.get_field(access.VOLUNTEER)
    assert volunteer.related_model is Volunteer
    assert Volunteer._meta.get_field(access.CENTRE_OF_VOLUNTEER).related_model is CentreSite
