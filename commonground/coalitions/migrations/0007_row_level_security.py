"""Row-level security on every tenant table of PostgreSQL (see ``coalitions.rls``).

Later migrations' tables are covered by the same ``install``, which every ``migrate``
runs again (post_migrate). Nothing happens on SQLite.
"""

from typing import Any

from django.db import migrations

from commonground.coalitions import rls


def forwards(apps: Any, schema_editor: Any) -> None:
    rls.install(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    rls.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("coalitions", "0006_audit_event_code_and_params")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
