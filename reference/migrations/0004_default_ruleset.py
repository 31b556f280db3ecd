"""The rule set of the NMO system as described in domain.md, in force since 2016-01-01, with the
Order 709n portfolio minimum. Methodologists add later sets in the admin."""

from datetime import date
from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    RuleSet = apps.get_model("reference", "RuleSet")
    RuleSet.objects.get_or_create(
        effective_from=date(2016, 1, 1),
        defaults={
            "name": "НМО: пятилетний цикл 250 ЗЕТ; периодическая аккредитация по приказу 709н",
            "basis": "Приказ Минздрава России от 22.12.2017 № 1043н; приказ Минздрава России от 28.10.2022 № 709н",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_workingcalendarday_ruleset")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
