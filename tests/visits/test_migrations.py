"""Migration 0003 marks the visits that taking a stop off the roster cancelled before."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reach import summaries

BEFORE = [("visits", "0002_initial")]
AFTER = [("visits", "0003_visit_cancelled_with_stop")]


def _migrate(targets):
    # As migrate's pre_migrate does: SQLite cannot remake a table that a trigger names.
    summaries.drop_before_migrating(plan=targets)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """The tests after these expect every migration applied (later ones add columns)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    summaries.ensure_installed()


@pytest.mark.django_db(transaction=True)
def test_visits_cancelled_by_taking_a_stop_off_are_marked_and_no_others():
    apps = _migrate(BEFORE)
    Region = apps.get_model("stops", "Region")
    CentreSite = apps.get_model("stops", "CentreSite")
    Stop = apps.get_model("stops", "Stop")
    Visit = apps.get_model("visits", "Visit")
    region = Region.objects.create(code="R1", name="Region")
    centre = CentreSite.objects.create(
        name="Skive", town="Skive", municipality="Skive", region=region
    )

    def stop(slug, active):
        return Stop.objects.create(
            centre=centre,
            community=slug,
            venue_name="Hallen",
            slug=slug,
            active=active,
            roster_position=Stop.objects.count() + 1,
        )

    off, on = stop("off", False), stop("on", True)

    def visit(at, reason, status="cancelled"):
        return Visit.objects.create(
            stop=at,
            date=dt.date(2026, 12, 1),
            start_time=dt.time(10),
            end_time=dt.time(12),
            status=status,
            cancel_reason=reason,
        ).pk

    danish = visit(off, "Stoppet er taget af stoplisten.")
    english = visit(off, "The stop was taken off the roster.")
    by_hand = visit(off, "Storm")
    back_on = visit(on, "Stoppet er taget af stoplisten.")

    apps = _migrate(AFTER)
    Visit = apps.get_model("visits", "Visit")
    marked = set(Visit.objects.filter(cancelled_with_stop=True).values_list("pk", flat=True))
    assert marked == {danish, english}
    assert by_hand not in marked and back_on not in marked
