"""Django's ``flush``, able to wipe audit rows on SQLite too.

PostgreSQL empties tables with TRUNCATE, which row triggers do not see; SQLite has only
``DELETE FROM``, which the append-only triggers refuse (``coalitions.audit_guard``). So on
SQLite the triggers are dropped for the wipe and put back right after, whatever happens.
The test runner calls this between transactional tests.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from commonground.coalitions import audit_guard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        guarded = connection.vendor == "sqlite" and bool(audit_guard.installed(connection))
        if not guarded:
            super().handle(**options)
            return
        from commonground.coalitions.models import AuditEvent

        audit_guard.remove(connection, AuditEvent, markers=True)
        try:
            super().handle(**options)
        finally:
            audit_guard.install(connection, AuditEvent)
