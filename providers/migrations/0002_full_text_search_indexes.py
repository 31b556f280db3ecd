from django.db import migrations

from providers.search import PostgresOnlyAddIndex, search_index


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]

    operations = [
        PostgresOnlyAddIndex("programme", search_index("programme", "programme_fts_ru")),
        PostgresOnlyAddIndex("event", search_index("event", "event_fts_ru")),
        PostgresOnlyAddIndex("module", search_index("module", "module_fts_ru")),
    ]
