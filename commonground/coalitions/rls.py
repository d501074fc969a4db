"""Row-level security on PostgreSQL: the database itself keeps each coalition's rows apart.

The scoping layer (django-scopes, entered by ``coalition_view``, the API and every task)
already filters each tenant query by coalition. Row-level security is the second wall,
for the day a query escapes it (raw SQL, a forgotten filter, a shell session):

* every tenant table (a table with a ``coalition_id`` column pointing at a coalition)
  has row-level security enabled and one policy, ``commonground_tenant``: a row is
  visible, and may be written, only when the session setting ``commonground.coalition``
  holds its coalition's id, or ``all``;
* every query the app sends first sets that setting from the current scope
  (:func:`tenant_setting`): the coalition's id inside ``scope(coalition=…)``, ``all``
  inside ``scopes_disabled()`` (the few deliberate cross-coalition reads: a person's list
  of coalitions, the funders' side-by-side view, the demo loader), and nothing otherwise.

PostgreSQL applies policies to roles without ``BYPASSRLS`` that do not own the table: run
the app as such a role (``docs/deploy.md`` shows how), and migrations as the owner. A
superuser or the owner sees every row, as before. ``install`` is idempotent: the
migration calls it, and so does every ``migrate`` (post_migrate), so tables that later
migrations add are covered too. Tables without a ``coalition_id`` (the coalitions and
accounts themselves, many-to-many link tables, Django's own) carry no policy; their rows
are reached only through a tenant row or by the scoping layer's checks.
"""

from __future__ import annotations

from typing import Any

from django_scopes import get_scope

SETTING = "commonground.coalition"
POLICY = "commonground_tenant"
ALL = "all"

_TENANT_TABLES = """
SELECT DISTINCT cls.relname
FROM pg_constraint con
JOIN pg_class cls ON cls.oid = con.conrelid
JOIN pg_namespace ns ON ns.oid = cls.relnamespace
JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY (con.conkey)
WHERE con.contype = 'f'
  AND con.confrelid = 'coalitions_coalition'::regclass
  AND att.attname = 'coalition_id'
  AND ns.nspname = current_schema()
ORDER BY cls.relname
"""

# The setting is compared as a number, so the coalition index serves the policy; a value
# that is not a number (unset, empty, "all") matches no row through this branch.
_CONDITION = (
    f"current_setting('{SETTING}', true) = '{ALL}' OR coalition_id = ("
    f"CASE WHEN current_setting('{SETTING}', true) ~ '^[0-9]+$' "
    f"THEN current_setting('{SETTING}', true)::bigint END)"
)


def tenant_tables(connection: Any) -> list[str]:
    """The tables of the current schema whose ``coalition_id`` references a coalition."""
    with connection.cursor() as cursor:
        cursor.execute(_TENANT_TABLES)
        return [name for (name,) in cursor.fetchall()]


def install(connection: Any) -> list[str]:
    """Enable row-level security with the tenant policy on every tenant table (PostgreSQL
    only; elsewhere nothing). Returns the protected tables."""
    if connection.vendor != "postgresql":
        return []
    tables = tenant_tables(connection)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            name = quote(table)
            cursor.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {name}")
            cursor.execute(
                f"CREATE POLICY {POLICY} ON {name} USING ({_CONDITION}) WITH CHECK ({_CONDITION})"
            )
    return tables


def uninstall(connection: Any) -> None:
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tenant_tables(connection):
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {quote(table)}")
            cursor.execute(f"ALTER TABLE {quote(table)} DISABLE ROW LEVEL SECURITY")


def ensure_after_migrate(using: str = "default", **_: Any) -> None:
    """post_migrate: cover the tables this migrate run added."""
    from django.db import connections

    install(connections[using])


def tenant_setting() -> str:
    """The value of ``commonground.coalition`` for the current django-scopes scope."""
    state = get_scope()
    if not state:
        return ""
    if not state.get("_enabled", True):
        return ALL
    coalition = state.get("coalition")
    if coalition is None:
        return ""
    pk = getattr(coalition, "pk", coalition)
    return str(pk) if isinstance(pk, int) else ""


def set_tenant_before_each_query(
    execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Execute wrapper: set ``commonground.coalition`` from the scope, then run the query.

    The setting is sent with every query rather than remembered per connection: a
    remembered value would silently revert when a transaction or savepoint rolls back.
    Transaction control (``SAVEPOINT``, ``ROLLBACK TO``, ``RELEASE``) reads no row and
    must run even in a failed transaction, so it goes through untouched.
    """
    if not sql.lstrip()[:9].upper().startswith(_CONTROL):
        context["cursor"].cursor.execute(
            "SELECT set_config(%s, %s, false)", (SETTING, tenant_setting())
        )
    return execute(sql, params, many, context)


_CONTROL = ("SAVEPOINT", "ROLLBACK", "RELEASE", "COMMIT", "BEGIN")


def on_connection_created(sender: Any, connection: Any, **_: Any) -> None:
    """Install the wrapper on every new PostgreSQL connection."""
    if connection.vendor == "postgresql" and (
        set_tenant_before_each_query not in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(set_tenant_before_each_query)
