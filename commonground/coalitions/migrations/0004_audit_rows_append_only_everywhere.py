"""Keep each audit row's actor name, and refuse UPDATE and DELETE of audit rows on SQLite
as well as PostgreSQL (see ``commonground.coalitions.audit_guard``).

Existing rows get the name their actor has now (display name, else e-mail address).
"""

from django.db import migrations

from commonground.coalitions import audit_guard


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    audit = apps.get_model("coalitions", "AuditEvent")
    user = apps.get_model("accounts", "User")
    quote = connection.ops.quote_name
    table, users = quote(audit._meta.db_table), quote(user._meta.db_table)
    # The 0002 trigger would refuse the fill on PostgreSQL: lift it, fill, guard again.
    audit_guard.remove(connection, audit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET actor_name = COALESCE(("
            f"SELECT SUBSTR(CASE WHEN u.display_name <> '' THEN u.display_name "
            f"ELSE u.email END, 1, 150) FROM {users} u WHERE u.id = {table}.actor_id"
            f"), '') WHERE actor_id IS NOT NULL"
        )
    audit_guard.install(connection, audit)


def backwards(apps, schema_editor):
    audit = apps.get_model("coalitions", "AuditEvent")
    if schema_editor.connection.vendor == "sqlite":
        audit_guard.remove(schema_editor.connection, audit, markers=True)


class Migration(migrations.Migration):
    dependencies = [
        ("coalitions", "0003_audit_actor_name_and_day_time"),
        ("accounts", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
