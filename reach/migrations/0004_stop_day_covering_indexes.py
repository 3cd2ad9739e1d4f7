from django.db import migrations

# Every figure of a stop-day, so that the reach queries read the index alone (an
# index-only scan): by stop for a centre's or a funder's stops (their whole history
# for the running totals sits in a few index pages, not one heap page per row), by
# day for a national period (a week's rows of 3,000 stops are adjacent in the index,
# scattered over the whole table). PostgreSQL only: SQLite has no INCLUDE.
FIGURES = (
    "planned, held, cancelled, open, reported, people_met, new_people, meals, food_bags, "
    "clothing_items, other_items, volunteer_minutes"
)
INDEXES = {
    "stopday_stop_day_figures": "stop_id, day",
    "stopday_day_stop_figures": "day, stop_id",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, key in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON reach_stopday ({key}) INCLUDE ({FIGURES})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reach", "0003_quality_checks")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
