"""The ledger is append-only in the database too (PostgreSQL): a trigger refuses UPDATE of any
column but ``credited_by`` (set to NULL when that user is deleted) and every DELETE. Corrections
are new reversing entries (``portfolio.services.credit_reverse``). TRUNCATE (test flushes) is not
affected. On SQLite the services and the read-only admin are the guard."""

from typing import Any

from django.db import migrations

COLUMNS = (
    "cycle_id, element_type, programme_id, event_id, module_id, title, zet, completed_on, cycle_year, "
    "source_kind, source_key, reverses_id, reason, credited_at, credited_by_text"
)

FORWARD = f"""
CREATE OR REPLACE FUNCTION portfolio_creditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'portfolio_creditentry is append-only: add a reversing entry instead (%%)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portfolio_creditentry_no_update BEFORE UPDATE OF {COLUMNS} ON portfolio_creditentry
    FOR EACH ROW EXECUTE FUNCTION portfolio_creditentry_append_only();
CREATE TRIGGER portfolio_creditentry_no_delete BEFORE DELETE ON portfolio_creditentry
    FOR EACH ROW EXECUTE FUNCTION portfolio_creditentry_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS portfolio_creditentry_no_update ON portfolio_creditentry;
DROP TRIGGER IF EXISTS portfolio_creditentry_no_delete ON portfolio_creditentry;
DROP FUNCTION IF EXISTS portfolio_creditentry_append_only();
"""


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0002_initial")]

    operations = [migrations.RunPython(forward, backward)]
