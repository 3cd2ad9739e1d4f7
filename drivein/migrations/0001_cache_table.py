"""
The table of the database cache (drivein.cache), the production default for
rate-limit and throttle counters: made by migrate, so no deploy needs a
``createcachetable`` step. Another table name in CACHE_URL still needs that command.
"""

from django.db import migrations

TABLE = "drivein_cache"


def create(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    quoted = schema_editor.connection.ops.quote_name(TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop)]
