from django.db import migrations


def driven_by_the_van(apps, schema_editor):
    """The visits so far were driven by their centre's one van (one update per centre)."""
    Visit = apps.get_model("visits", "Visit")
    Van = apps.get_model("stops", "Van")
    for van in Van.objects.order_by("pk"):  # a centre's first van takes them all
        Visit.objects.filter(stop__centre_id=van.centre_id, van=None).update(van=van)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0007_visit_van"),
        ("stops", "0003_one_van_per_centre"),
    ]

    operations = [migrations.RunPython(driven_by_the_van, migrations.RunPython.noop)]
