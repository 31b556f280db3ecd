"""A portfolio snapshot is never changed or deleted, whoever connects: on PostgreSQL a trigger
refuses UPDATE and DELETE of its rows (TRUNCATE, which only a test flush or an operator runs, is
not a row operation). SQLite gets the UPDATE trigger only: its test flush deletes row by row."""

from django.db import migrations

TABLE = "accreditation_portfoliosnapshot"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION accreditation_snapshot_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'portfolio snapshot % is immutable (% refused)', OLD.id, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accreditation_snapshot_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION accreditation_snapshot_immutable();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS accreditation_snapshot_no_update ON {TABLE};
DROP FUNCTION IF EXISTS accreditation_snapshot_immutable();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER accreditation_snapshot_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'portfolio snapshot is immutable (UPDATE refused)'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS accreditation_snapshot_no_update;",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)  # no placeholders: RAISE uses %


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_UP])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_DOWN])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
