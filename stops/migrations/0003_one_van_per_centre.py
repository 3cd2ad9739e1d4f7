from django.db import migrations


def one_van_each(apps, schema_editor):
    """Every centre drove one van until now: give it that van."""
    CentreSite = apps.get_model("stops", "CentreSite")
    Van = apps.get_model("stops", "Van")
    Van.objects.bulk_create(
        [Van(centre=centre, name="Bilen") for centre in CentreSite.objects.filter(vans=None)]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stops", "0002_vans"),
    ]

    operations = [migrations.RunPython(one_van_each, migrations.RunPython.noop)]
