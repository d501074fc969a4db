"""On PostgreSQL, a trigger refuses UPDATE and DELETE of audit rows, whatever the client.

SQLite has no such guard; there the model and queryset refuse instead.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cg_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER coalitions_auditevent_append_only
  BEFORE UPDATE OR DELETE ON coalitions_auditevent
  FOR EACH ROW EXECUTE FUNCTION cg_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS coalitions_auditevent_append_only ON coalitions_auditevent;
DROP FUNCTION IF EXISTS cg_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("coalitions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
