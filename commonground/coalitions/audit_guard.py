"""The database refuses to change or delete audit rows, on PostgreSQL and SQLite alike.

Triggers on ``coalitions_auditevent`` abort any UPDATE or DELETE, whatever the client
(the app, a shell, ``psql`` or ``sqlite3``), with the message "audit events are
append-only". Two database-level actions are let through, because they are not edits
of the history:

* a row is deleted only together with its coalition (the foreign key is ``DB_CASCADE``:
  deleting a coalition takes its whole history with it; the app has no page that
  deletes a coalition);
* a row loses its ``actor`` link only when that account is deleted (the foreign key is
  ``DB_SET_NULL``); ``actor_name`` keeps who it was, and every other column must stay
  as it was.

PostgreSQL checks that the coalition or account row is gone; SQLite checks a marker the
deletion of the coalition or account wrote (see ``_SQLITE_MARKERS``).

A wholesale wipe of the database (``flush``: PostgreSQL's TRUNCATE does not fire row
triggers; on SQLite the project's ``flush`` command lifts the triggers for the wipe and
puts them back) is the one other way rows go. ``install`` is idempotent: the migration
calls it, and so does every ``migrate`` (post_migrate), because SQLite loses a table's
triggers whenever a later migration rebuilds the table.
"""

from __future__ import annotations

from typing import Any

MESSAGE = "audit events are append-only"
GUARD_MIGRATION = "0004_audit_rows_append_only_everywhere"
SQLITE_TRIGGERS = (
    "coalitions_auditevent_no_update",
    "coalitions_auditevent_no_delete",
    "coalitions_audit_coalition_gone",
    "coalitions_audit_user_gone",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cg_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM {coalition} WHERE id = OLD.coalition_id) THEN
      RETURN OLD;
    END IF;
  ELSIF OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM {user} WHERE id = OLD.actor_id)
        AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS coalitions_auditevent_append_only ON {audit};
CREATE TRIGGER coalitions_auditevent_append_only
  BEFORE UPDATE OR DELETE ON {audit}
  FOR EACH ROW EXECUTE FUNCTION cg_audit_append_only();
"""
_PG_DROP = """
DROP TRIGGER IF EXISTS coalitions_auditevent_append_only ON {audit};
DROP FUNCTION IF EXISTS cg_audit_append_only();
"""
# SQLite re-checks every trigger when Django rebuilds a table (CREATE new, copy, DROP, RENAME),
# and refuses the RENAME if a trigger names a table that is missing at that moment. So the
# triggers on the audit table name no other Django table: deleting a coalition or a user
# first writes a marker into ``coalitions_audit_gone`` (a plain table no migration
# rebuilds), and the audit triggers look for the marker.
_SQLITE_MARKERS = """
CREATE TABLE IF NOT EXISTS coalitions_audit_gone (
  kind TEXT NOT NULL, ref INTEGER NOT NULL, PRIMARY KEY (kind, ref)
)
"""
_SQLITE_COALITION_GONE = """
CREATE TRIGGER coalitions_audit_coalition_gone BEFORE DELETE ON {coalition}
BEGIN INSERT OR IGNORE INTO coalitions_audit_gone VALUES ('coalition', OLD.id); END
"""
_SQLITE_USER_GONE = """
CREATE TRIGGER coalitions_audit_user_gone BEFORE DELETE ON {user}
BEGIN INSERT OR IGNORE INTO coalitions_audit_gone VALUES ('user', OLD.id); END
"""
_SQLITE_UPDATE = """
CREATE TRIGGER coalitions_auditevent_no_update BEFORE UPDATE ON {audit}
WHEN NOT (
  OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
  AND EXISTS (SELECT 1 FROM coalitions_audit_gone WHERE kind = 'user' AND ref = OLD.actor_id)
  AND {unchanged}
)
BEGIN SELECT RAISE(ABORT, '{message}'); END
"""
_SQLITE_DELETE = """
CREATE TRIGGER coalitions_auditevent_no_delete BEFORE DELETE ON {audit}
WHEN NOT EXISTS (
  SELECT 1 FROM coalitions_audit_gone WHERE kind = 'coalition' AND ref = OLD.coalition_id
)
BEGIN SELECT RAISE(ABORT, '{message}'); END
"""


def _names(connection: Any, audit_model: Any) -> dict[str, str]:
    quote = connection.ops.quote_name
    meta = audit_model._meta
    return {
        "audit": quote(meta.db_table),
        "coalition": quote(meta.get_field("coalition").related_model._meta.db_table),
        "user": quote(meta.get_field("actor").related_model._meta.db_table),
        "message": MESSAGE,
    }


def install(connection: Any, audit_model: Any) -> None:
    """Create (or re-create) the triggers for ``audit_model``'s table on ``connection``."""
    names = _names(connection, audit_model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION.format(**names))
        elif connection.vendor == "sqlite":
            quote = connection.ops.quote_name
            unchanged = " AND ".join(
                f"NEW.{quote(field.column)} IS OLD.{quote(field.column)}"
                for field in audit_model._meta.concrete_fields
                if field.column != "actor_id"
            )
            remove(connection, audit_model)
            cursor.execute(_SQLITE_MARKERS)
            cursor.execute(_SQLITE_COALITION_GONE.format(**names))
            cursor.execute(_SQLITE_USER_GONE.format(**names))
            cursor.execute(_SQLITE_UPDATE.format(unchanged=unchanged, **names))
            cursor.execute(_SQLITE_DELETE.format(**names))


def remove(connection: Any, audit_model: Any, *, markers: bool = False) -> None:
    """Drop the triggers (a migration going backwards, or SQLite's ``flush``); with
    ``markers``, SQLite's table of deleted coalitions and users too."""
    names = _names(connection, audit_model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_DROP.format(**names))
        elif connection.vendor == "sqlite":
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            if markers:
                cursor.execute("DROP TABLE IF EXISTS coalitions_audit_gone")


def installed(connection: Any) -> set[str]:
    """Names of the audit triggers present on ``connection`` (for checks and tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname = 'coalitions_auditevent_append_only'"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s, %s)",
                list(SQLITE_TRIGGERS),
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}


def ensure_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: put the triggers back if a migration rebuilt the table."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from commonground.coalitions.models import AuditEvent

    connection = connections[using]
    if (
        AuditEvent._meta.db_table in connection.introspection.table_names()
        and ("coalitions", GUARD_MIGRATION) in MigrationRecorder(connection).applied_migrations()
    ):
        install(connection, AuditEvent)
