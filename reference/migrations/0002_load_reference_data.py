"""Load the official lists of specialties and regions (reference/data) on migrate."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from reference.loader import load_regions, load_specialties

    load_specialties(apps.get_model("reference", "Specialty"))
    load_regions(apps.get_model("reference", "Region"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
