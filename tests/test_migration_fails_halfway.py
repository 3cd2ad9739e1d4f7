"""
A migration that fails half-way (docs/operations.md, "Upgrade") leaves the database as
it was: its first steps are rolled back with it, nothing is recorded as applied, and
the site keeps working on the old schema.
"""

import pytest
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from tests import factories as f


def _boom(apps, schema_editor):
    raise RuntimeError("the data step of the new release failed")


class HalfWay(migrations.Migration):
    """A new column (the first step succeeds), then a data step that fails."""

    operations = [
        migrations.AddField("stop", "scratch", models.IntegerField(default=0)),
        migrations.RunPython(_boom, migrations.RunPython.noop),
    ]


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.django_db(transaction=True)
def test_a_migration_that_fails_half_way_leaves_the_schema_and_the_rows_as_they_were():
    stop = f.make_stop(f.make_centre(), community="Sejerslev")
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(executor.loader.graph.leaf_nodes())
    migration = HalfWay("9999_half_way", "stops")

    with pytest.raises(RuntimeError, match="data step"):
        executor.apply_migration(state, migration)

    assert "scratch" not in _columns("stops_stop")
    assert not MigrationRecorder(connection).migration_qs.filter(name="9999_half_way").exists()
    stop.refresh_from_db()
    assert stop.community == "Sejerslev"
