"""The activity log: who did what, anonymous entries, and rows nobody can rewrite.

The database triggers are exercised with raw SQL, as a shell user would, on whichever
engine the suite runs on (SQLite and PostgreSQL both).
"""

from __future__ import annotations

import importlib
import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from commonground.accounts.models import User
from commonground.coalitions import audit_guard, services
from commonground.coalitions.models import AuditEvent, Coalition, Membership
from commonground.conftest import make_user

pytestmark = pytest.mark.django_db


def first_event(coalition: Coalition) -> AuditEvent:
    with scope(coalition=coalition):
        return AuditEvent.objects.order_by("id").first()  # type: ignore[no-any-return]


def raw(sql: str, params: list[Any] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_the_triggers_exist_after_migrate() -> None:
    expected = (
        {"coalitions_auditevent_append_only"}
        if connection.vendor == "postgresql"
        else set(audit_guard.SQLITE_TRIGGERS)
    )
    assert audit_guard.installed(connection) == expected


def test_an_audit_row_keeps_the_actors_display_name(world: Any) -> None:
    event = first_event(world.a)
    assert event.actor == world.people["admin"]
    assert event.actor_name == "Ada Admin"


def test_an_anonymous_event_has_no_actor_and_only_the_day(world: Any) -> None:
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=world.people["resident"])
    before = timezone.now()
    event = services.record_audit(
        coalition=world.a,
        actor=world.people["resident"],
        action=AuditEvent.Action.CREATE,
        obj=seat,
        summary="An anonymous answer was submitted",
        anonymous=True,
    )
    event.refresh_from_db()
    assert event.anonymous
    assert event.actor is None and event.actor_name == ""
    today = before.astimezone(UTC).date()
    assert event.at == datetime(today.year, today.month, today.day, tzinfo=UTC)
    # The activity log shows the day only, and no name.
    html = world.client_for("admin").get("/c/valley-a/activity/").content.decode()
    row = next(line for line in html.splitlines() if ">Anonymous</span>" in line)
    day = today.isoformat()
    shown = day.replace("-", "&#8209;")  # non-breaking hyphens
    assert f'<td><time datetime="{day}">{shown}</time><br>' in row
    assert '<span class="muted small">Anonymous</span></td>' in row
    assert "resident" not in row and ":" not in re.sub(r"<[^>]+>", "", row.split("</td>")[0])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE coalitions_auditevent SET summary = 'rewritten' WHERE id = %s",
        "UPDATE coalitions_auditevent SET actor_name = 'someone else' WHERE id = %s",
        "UPDATE coalitions_auditevent SET at = at WHERE id = %s",
        # The event code and its params say what the log shows: they are history too.
        "UPDATE coalitions_auditevent SET event = 'coalitions.member_removed' WHERE id = %s",
        "UPDATE coalitions_auditevent SET params = '{}' WHERE id = %s",
        # Dropping the actor link while the account still exists would hide who acted.
        "UPDATE coalitions_auditevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM coalitions_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_audit_row(world: Any, sql: str) -> None:
    event = first_event(world.a)
    with pytest.raises(DatabaseError, match="append-only"):
        raw(sql, [event.pk])
    kept = first_event(world.a)
    assert (kept.summary, kept.actor_id, kept.actor_name, kept.at) == (
        event.summary,
        event.actor_id,
        event.actor_name,
        event.at,
    )


def test_deleting_a_user_keeps_their_name_in_the_log(world: Any) -> None:
    viewer = world.people["viewer"]
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=viewer)
    services.change_role(membership=seat, actor=viewer, role="partner")
    with scope(coalition=world.a):
        mine = list(AuditEvent.objects.filter(actor=viewer).values_list("pk", flat=True))
    assert mine
    viewer.delete()
    assert not User.objects.filter(email="viewer@a.example").exists()
    with scope(coalition=world.a):
        for event in AuditEvent.objects.filter(pk__in=mine):
            assert event.actor is None
            assert event.actor_name == "viewer"


def test_the_activity_log_page_shows_a_deleted_users_name(world: Any) -> None:
    viewer = world.people["viewer"]
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=viewer)
    services.change_role(membership=seat, actor=world.people["admin"], role="partner")
    services.change_role(membership=seat, actor=viewer, role="viewer")
    viewer.display_name = "Vera Viewer"
    viewer.save()
    services.change_role(membership=seat, actor=viewer, role="partner")
    viewer.delete()
    page = world.client_for("admin").get("/c/valley-a/activity/")
    assert page.status_code == 200
    assert "Vera Viewer" in page.content.decode()


def test_deleting_a_coalition_takes_only_its_own_history() -> None:
    creator = make_user("lead@example.org")
    doomed = services.create_coalition(creator=creator, name="Short Lived")
    kept = services.create_coalition(creator=creator, name="Long Lived")
    with scopes_disabled():
        assert AuditEvent.objects.filter(coalition=doomed).count() == 2
        doomed.delete()
        assert not AuditEvent.objects.filter(coalition_id=doomed.pk).exists()
        assert AuditEvent.objects.filter(coalition=kept).count() == 2


def test_the_migration_fills_the_actor_name_of_existing_rows(world: Any) -> None:
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=world.people["partner"])
        # A row as written before actor_name existed: the actor link, no name.
        old = AuditEvent.objects.create(
            coalition=world.a,
            actor=world.people["admin"],
            action="update",
            object_type="Membership",
            object_id=str(seat.pk),
            summary="Changed a role",
        )
    assert old.actor_name == ""
    migration = importlib.import_module(
        "commonground.coalitions.migrations.0004_audit_rows_append_only_everywhere"
    )
    # The migration's code only uses the editor's connection (SQLite cannot open a
    # schema editor inside the test's transaction).
    migration.forwards(global_apps, SimpleNamespace(connection=connection))
    with scope(coalition=world.a):
        assert AuditEvent.objects.get(pk=old.pk).actor_name == "Ada Admin"
    # ...and the guard is back in place afterwards.
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM coalitions_auditevent WHERE id = %s", [old.pk])


@pytest.mark.django_db(transaction=True)
def test_flush_wipes_audit_rows_and_restores_the_guard() -> None:
    creator = make_user("lead@example.org")
    services.create_coalition(creator=creator, name="Wiped")
    call_command("flush", interactive=False, verbosity=0)
    with scopes_disabled():
        assert AuditEvent.objects.count() == 0
    assert audit_guard.installed(connection)
    creator = make_user("lead@example.org")
    coalition = services.create_coalition(creator=creator, name="Again")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM coalitions_auditevent WHERE coalition_id = %s", [coalition.pk])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", [Coalition, User], ids=["coalition", "user"])
def test_a_later_migration_can_rebuild_the_tables_the_guard_watches(model: Any) -> None:
    """SQLite rebuilds a table to add a column with a default (create, copy, drop, rename)
    and refuses the rename while a trigger names the missing table; the guard names no
    other Django table, so such migrations still run, and ``migrate`` puts back what the
    rebuild dropped."""
    from django.db import models

    probe = models.IntegerField(default=7)
    probe.set_attributes_from_name("cg_probe")
    with connection.schema_editor() as editor:
        editor.add_field(model, probe)
    with connection.schema_editor() as editor:
        editor.remove_field(model, probe)
    audit_guard.ensure_after_migrate(using="default")
    creator = make_user("lead@example.org", "Lee Lead")
    coalition = services.create_coalition(creator=creator, name="After The Rebuild")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM coalitions_auditevent WHERE coalition_id = %s", [coalition.pk])
    creator.delete()
    with scopes_disabled():
        assert set(
            AuditEvent.objects.filter(coalition=coalition).values_list("actor_id", "actor_name")
        ) == {(None, "Lee Lead")}
        coalition.delete()
        assert not AuditEvent.objects.filter(coalition_id=coalition.pk).exists()


def test_giving_a_member_the_role_they_have_logs_nothing(world: Any) -> None:
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=world.people["viewer"])
        before = AuditEvent.objects.count()
    services.change_role(membership=seat, actor=world.people["admin"], role="viewer")
    with scope(coalition=world.a):
        assert AuditEvent.objects.count() == before
        assert Membership.objects.get(pk=seat.pk).role == "viewer"
