"""Row-level security (RELIABILITY check 5): on PostgreSQL the app's role reads no tenant
row without the coalition setting, and the scoping layer sets it for every query.

The suite connects as a superuser, which PostgreSQL exempts from policies, so each test
switches the connection to a role like the one production runs as (no superuser, no
BYPASSRLS, not the tables' owner) with ``SET LOCAL ROLE``; the role and its grants are
created inside the test's transaction and vanish with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django_scopes import scope, scopes_disabled

from commonground.coalitions import rls
from commonground.coalitions.models import Coalition, Membership, TenantModel

pytestmark = pytest.mark.django_db
APP_ROLE = "commonground_rls_probe"
APP_ROLE_SETUP = (
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'commonground_rls_probe') "
    "THEN CREATE ROLE commonground_rls_probe NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO commonground_rls_probe",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO commonground_rls_probe",
)


def tenant_model_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, TenantModel) and not model._meta.proxy
    }


def raw_count(table: str, setting: str | None) -> int:
    """Count rows with a raw cursor (no Django wrapper): exactly what a stray query sees."""
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if setting is not None:
            raw.execute("SELECT set_config(%s, %s, true)", (rls.SETTING, setting))
        else:
            raw.execute("RESET commonground.coalition")
        raw.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return int(raw.fetchone()[0])


@pytest.fixture
def as_app_role() -> Iterator[None]:
    with connection.cursor() as cursor:
        for statement in APP_ROLE_SETUP:
            cursor.execute(statement)
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_every_tenant_table_has_the_policy() -> None:
    protected = rls.install(connection)
    if connection.vendor != "postgresql":
        # SQLite has no row-level security: nothing is installed and no query is wrapped.
        assert protected == []
        assert rls.set_tenant_before_each_query not in connection.execute_wrappers
        return
    assert set(protected) == tenant_model_tables()
    assert len(protected) >= 30
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
            "WHERE c.relrowsecurity AND p.polname = %s",
            [rls.POLICY],
        )
        assert {name for (name,) in cursor.fetchall()} == tenant_model_tables()


def test_the_setting_follows_the_scope(world: Any) -> None:
    assert rls.tenant_setting() == ""
    with scope(coalition=world.a):
        assert rls.tenant_setting() == str(world.a.pk)
        with scopes_disabled():
            assert rls.tenant_setting() == rls.ALL
    if connection.vendor != "postgresql":
        return
    with scope(coalition=world.b), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('commonground.coalition', true)")
        assert cursor.fetchone()[0] == str(world.b.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('commonground.coalition', true)")
        assert cursor.fetchone()[0] == ""


# SQLite has no row-level security: these tests exist on PostgreSQL only (the no-op on
# SQLite is asserted above), rather than being skipped.
if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":

    def test_a_raw_read_without_the_setting_returns_no_row(world: Any, as_app_role: None) -> None:
        with scopes_disabled():
            in_a = Membership.objects.filter(coalition=world.a).count()
            total = Membership.objects.count()
        assert in_a >= 4 and total > in_a
        assert raw_count("coalitions_membership", None) == 0
        assert raw_count("coalitions_membership", "") == 0
        assert raw_count("coalitions_membership", "not-a-number") == 0
        assert raw_count("coalitions_membership", str(world.a.pk)) == in_a
        assert raw_count("coalitions_membership", rls.ALL) == total
        # The coalitions themselves carry no coalition_id and stay readable.
        assert raw_count("coalitions_coalition", None) == Coalition.objects.count()

    def test_a_write_into_another_coalition_is_refused(world: Any, as_app_role: None) -> None:
        with scope(coalition=world.a):
            mine = Membership.objects.count()
            # Moving A's rows into B: the policy's WITH CHECK refuses the new rows.
            with (
                pytest.raises(DatabaseError, match="row-level security"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(
                    "UPDATE coalitions_membership SET coalition_id = %s WHERE coalition_id = %s",
                    [world.b.pk, world.a.pk],
                )
            # Reaching B's rows from A's scope: nothing to see, nothing to change.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE coalitions_membership SET organization = 'taken' "
                    "WHERE coalition_id = %s",
                    [world.b.pk],
                )
                assert cursor.rowcount == 0
            assert Membership.objects.count() == mine
        with scopes_disabled():
            assert not Membership.objects.filter(organization="taken").exists()

    def test_the_app_works_under_the_app_role(world: Any, as_app_role: None) -> None:
        admin = world.client_for("admin")
        home = admin.get("/c/valley-a/")
        assert home.status_code == 200
        assert world.a.name in home.content.decode()
        assert admin.get("/c/valley-a/members/").status_code == 200
        assert admin.get(f"/c/{world.b.slug}/").status_code == 404
        with scope(coalition=world.a):
            assert Membership.objects.count() >= 4
        # Outside any scope, even the ORM's unscoped base manager finds nothing.
        assert Membership._base_manager.count() == 0
