"""
Upgrades and roll-backs (docs/operations.md, "Upgrade"): every migration of the
project's apps goes backwards and forwards again on the demo data, and the data
comes through unchanged.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reach import summaries
from tests.drivein.snapshot import snapshot


def our_apps() -> list[str]:
    """The project's own apps that have migrations (not Django's or third parties')."""
    return [
        app.label
        for app in apps.get_app_configs()
        # Apps at the checkout's root (.venv is inside it too, deeper down).
        if Path(app.path).parent == settings.BASE_DIR and (Path(app.path) / "migrations").is_dir()
    ]


def migrate(targets) -> int:
    """Migrate to ``targets``; the number of migrations applied or unapplied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(targets)
    # As migrate's signals do: reach's summary triggers off while tables are remade.
    summaries.drop_before_migrating(plan=plan)
    executor.migrate(targets, plan=plan)
    summaries.ensure_installed()
    return len(plan)


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def last_initial(app: str) -> tuple[str, str]:
    """The app's state just after its initial migrations: its tables, as first made."""
    graph = MigrationExecutor(connection).loader.graph
    initial = [
        key for key in graph.nodes if key[0] == app and getattr(graph.nodes[key], "initial", False)
    ]
    # An app whose first migration is not marked initial (a table of its own made
    # later, such as the cache's) starts from that first one.
    return max(initial) if initial else min(key for key in graph.nodes if key[0] == app)


def back_to_the_initials(labels: list[str]) -> list[tuple[str, str | None]]:
    """
    Each app back to its initial migrations, as one backwards plan: an app whose
    initial migration needs a later migration of another app (reach's summaries
    need visits 0004) goes back to nothing instead.
    """
    targets = {app: last_initial(app) for app in labels}
    executor = MigrationExecutor(connection)
    while True:
        plan = executor.migration_plan(list(targets.values()))
        forwards = {(m.app_label, m.name) for m, backwards in plan if not backwards}
        needy = [app for app, target in targets.items() if target in forwards]
        if not forwards or not needy:
            return list(targets.values())
        targets.update({app: (app, None) for app in needy})


@pytest.mark.django_db(transaction=True)
def test_every_migration_goes_back_and_forth_on_the_demo_data(settings):
    settings.DEBUG = True  # seed_demo runs only with DEBUG on
    call_command("seed_demo", "--weeks", "2", stdout=StringIO())
    before = snapshot(connection)
    assert before["visits_visitreport"] > 50
    labels = our_apps()
    assert {"stops", "visits", "volunteers"} <= set(labels)

    try:
        # Every later migration backwards and forwards with the rows in place.
        undone = migrate(back_to_the_initials(labels))
        redone = migrate(leaves())
        assert undone == redone > 0
        # The drivers' licences and the funders' logins live in tables that later
        # migrations made: going back past them drops them, and they come back empty.
        # Every other row comes through
        # (reach's summaries and the vans are made again from the rows that stayed).
        lost = {
            "volunteers_qualification",
            "volunteers_historicalqualification",
            "stops_funder_readers",
        }
        after = snapshot(connection)
        assert before["volunteers_qualification"] > 0 == after["volunteers_qualification"]
        assert before["stops_funder_readers"] > 0 == after["stops_funder_readers"]
        assert {k: v for k, v in after.items() if k not in lost} == {
            k: v for k, v in before.items() if k not in lost
        }

        # And the whole schema down to nothing and up again.
        assert migrate([(app, None) for app in labels]) >= len(labels)
    finally:
        migrate(leaves())
    assert MigrationExecutor(connection).migration_plan(leaves()) == []
