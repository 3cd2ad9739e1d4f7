"""
No import inside a function to dodge a cycle (docs/layers.md): every function-level
import in the project's code (tests and migrations aside) is listed here with its
reason, and a new one fails until it is moved to the top of its module or listed
with a reason that is not a cycle. The table in docs/one-way-through.md ("Imports
inside a function") says the same.

Not counted: an ``if TYPE_CHECKING:`` block (never run) and ``AppConfig.ready()``
(Django's place for imports that need the models loaded).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"tests", "migrations", "build", "node_modules", "__pycache__", "static"}

BENCH = "a bench script: it sets its environment, then django.setup(), then imports"
# (file, function): (the modules it imports, why they are imported there)
ALLOWED: dict[tuple[str, str], tuple[set[str], str]] = {
    ("bench/drill.py", "main"): ({"django", "bench", "visits.models", "django.db"}, BENCH),
    ("bench/notify.py", "_setup_django"): ({"django"}, BENCH),
    ("bench/notify.py", "_prepare_week"): (
        {
            "django.core.management",
            "django.db.models",
            "django.db.models.functions",
            "visits.models",
            "volunteers.models",
        },
        BENCH,
    ),
    ("bench/notify.py", "main"): (
        {
            "aiosmtpd.controller",
            "django.db",
            "django.utils",
            "django_tasks_db.models",
            "notifications",
            "notifications.models",
            "notifications.services",
        },
        BENCH,
    ),
    ("bench/run.py", "main"): (
        {"django", "bench", "bench.burst", "bench.report", "visits.models"},
        BENCH,
    ),
    ("bench/run.py", "hostile_only"): ({"django", "bench", "bench.report"}, BENCH),
    ("bench/run.py", "route_only"): ({"django", "bench", "bench.report"}, BENCH),
    ("bench/scale.py", "_paths"): ({"core.weeks", "stops.models"}, BENCH),
    ("bench/scale.py", "worker"): (
        {
            "django",
            "django.contrib.auth",
            "django.db",
            "django.test",
            "django.test.utils",
            "bench.pages",
        },
        BENCH,
    ),
    ("bench/scale.py", "explain"): ({"psycopg", "bench.pages"}, BENCH),
    ("core/observability.py", "init_sentry"): (
        {"sentry_sdk", "sentry_sdk.integrations.django"},
        "a large optional SDK, loaded only when SENTRY_DSN is set",
    ),
    ("drivein/health.py", "check_worker"): (
        {"django_tasks_db.models"},
        "optional: installed and configured only when TASKS names django-tasks-db",
    ),
    ("funders/pdf.py", "_local_only_fetcher_class"): (
        {"weasyprint.urls"},
        "WeasyPrint costs about a second to import: loaded with the first PDF, not with the URLs",
    ),
    ("funders/pdf.py", "html_to_pdf"): ({"weasyprint"}, "the same: WeasyPrint on first use"),
    ("manage.py", "main"): (
        {"django.core.management"},
        "Django's own template: the message when Django is not installed",
    ),
}


def _app_files() -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts[:-1]
        if any(p in SKIPPED_DIRS or p.startswith(".") or p.endswith(".egg-info") for p in parts):
            continue
        files.append(path)
    return files


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _is_app_config_ready(function: ast.AST, owner: ast.ClassDef | None) -> bool:
    return (
        isinstance(function, ast.FunctionDef)
        and function.name == "ready"
        and owner is not None
        and any(ast.unparse(base).endswith("AppConfig") for base in owner.bases)
    )


def function_imports(source: str) -> dict[str, set[str]]:
    """Each function's qualified name → the modules imported inside it (nested ones too)."""
    found: dict[str, set[str]] = {}

    def walk(node: ast.AST, names: list[str], owner: ast.ClassDef | None, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                walk(child, [*names, child.name], child, in_function)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not _is_app_config_ready(child, owner):
                    walk(child, [*names, child.name], None, True)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    walk(ast.Module(body=[other], type_ignores=[]), names, owner, in_function)
            elif in_function and isinstance(child, ast.Import):
                found.setdefault(".".join(names), set()).update(a.name for a in child.names)
            elif in_function and isinstance(child, ast.ImportFrom):
                module = "." * child.level + (child.module or "")
                found.setdefault(".".join(names), set()).add(module)
            else:
                walk(child, names, owner, in_function)

    walk(ast.parse(source), [], None, False)
    return found


def test_the_walk_finds_an_import_inside_a_function_and_passes_over_the_allowed_places():
    source = """
from typing import TYPE_CHECKING
from django.apps import AppConfig
if TYPE_CHECKING:
    from stops.models import Stop
def dispatch():
    if True:
        from notifications.tasks import send_notifications
    def inner():
        import json
class Config(AppConfig):
    def ready(self):
        from notifications import signals
class Box:
    def open(self):
        if TYPE_CHECKING:
            from stops.models import Stop
        else:
            import os
"""
    assert function_imports(source) == {
        "dispatch": {"notifications.tasks"},
        "dispatch.inner": {"json"},
        "Box.open": {"os"},
    }


def test_no_new_import_inside_a_function():
    found = {}
    for path in _app_files():
        name = path.relative_to(ROOT).as_posix()
        for function, modules in function_imports(path.read_text()).items():
            found[(name, function)] = modules
    unlisted = {
        place: sorted(modules - ALLOWED.get(place, (set(), ""))[0])
        for place, modules in found.items()
        if modules - ALLOWED.get(place, (set(), ""))[0]
    }
    assert not unlisted, (
        "Imports inside a function: move them to the top of the module (a cycle is "
        f"mended, not hidden: docs/layers.md), or list them here with the reason: {unlisted}"
    )
    # The list stays true: a place that no longer imports there leaves it.
    stale = {place for place in ALLOWED if ALLOWED[place][0] - found.get(place, set())}
    assert not stale, f"Listed but no longer imported there: {sorted(stale)}"
