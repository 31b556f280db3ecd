"""The rule set of the NMO system as described in domain.md, in force since 2016-01-01, with the
Order 709n portfolio minimum. Methodologists add later sets in the admin."""

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    from reference.loader import ensure_default_ruleset

    ensure_default_ruleset(apps.get_model("reference", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_workingcalendarday_ruleset")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
