"""A version of each coalition's data that every write changes, for caches across requests.

The roadmap, the framework evidence and the counts behind them take tens of queries to
derive, and a coalition's data changes far less often than its pages are read. A derived
value may be kept across requests as long as it is keyed by the version of the data it
was derived from; this module keeps that version.

* Every ``INSERT``, ``UPDATE`` and ``DELETE`` the app sends, on any connection, is seen by
  an execute wrapper (:func:`watch_writes`). Inside ``scope(coalition=…)`` it changes that
  coalition's version and the version of the written table's app in that coalition (so a
  resident's survey answer leaves the network map's version alone); anywhere else (``scopes_disabled()``, no scope: the demo loader,
  sign-in, an account edit) it changes the global version, which every key includes. A
  few tables that hold no coalition content (sessions, the task queue, sign-in attempts,
  API-token use) change nothing.
* The version is a random number written into ``coalitions_dataversion`` **in the same
  transaction as the write**. Other connections see the new version exactly when they
  see the new data: a reader reads the version first, then the data, so it can store
  newer data under an older version (harmless) but never older data under a newer one.
  Rolling a transaction or savepoint back rolls the version back with the data; a random
  number, unlike a counter, is never reused for other data after such a rollback.
* Within one transaction the version changes once per scope, not per statement: a marker
  callback registered with ``on_commit`` says it has changed (Django drops the callback
  when its savepoint or transaction rolls back, and so the marker). Reading the version
  (:func:`current`) clears the marker, so a write after a cached read in the same
  transaction changes the version again.

Writes through the ORM, raw SQL and bulk operations all pass through the wrapper; only a
second program writing into the database behind the app's back is unseen.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import connections
from django_scopes import get_scope

from commonground.lib import request_memo

TABLE = "coalitions_dataversion"
GLOBAL = "*"

# Tables whose rows no page derives anything from.
IGNORED_TABLES = frozenset(
    {
        TABLE,
        "django_session",
        "django_tasks_database_dbtaskresult",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "accounts_apitoken",
        "django_admin_log",
    }
)

_WRITE = re.compile(
    r"""\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)""",
    re.IGNORECASE,
)
_WRITE_WORDS = ("INSERT", "UPDATE", "DELETE")

_BUMP = (
    "INSERT INTO coalitions_dataversion (scope, version) VALUES {rows} "
    "ON CONFLICT (scope) DO UPDATE SET version = excluded.version"
)


def scope_key(coalition_pk: int | None, app: str = "") -> str:
    if coalition_pk is None:
        return GLOBAL
    return f"c{coalition_pk}:{app}" if app else f"c{coalition_pk}"


def app_of(table: str) -> str:
    """The app a table belongs to: Django names tables ``<app label>_<model>``.

    >>> app_of("ecosystem_tie"), app_of("governance_policy_indicators")
    ('ecosystem', 'governance')
    """
    return table.split("_", 1)[0]


def _written_scopes(table: str) -> tuple[str, ...]:
    """The versions a write to ``table`` in the current django-scopes scope changes: the
    coalition's and its app's inside ``scope(coalition=…)``, else the global one."""
    state = get_scope()
    if state and state.get("_enabled", True):
        coalition = state.get("coalition")
        pk = getattr(coalition, "pk", coalition)
        if isinstance(pk, int):
            return scope_key(pk), scope_key(pk, app_of(table))
    return (GLOBAL,)


def written_table(sql: str) -> str | None:
    """The table an ``INSERT``/``UPDATE``/``DELETE`` writes, or None for any other SQL.

    >>> written_table('INSERT INTO "ecosystem_actor" ("name") VALUES (%s)')
    'ecosystem_actor'
    >>> written_table('UPDATE "coalitions_coalition" SET "name" = %s')
    'coalitions_coalition'
    >>> written_table('SELECT 1') is None
    True
    """
    if not sql.lstrip()[:6].upper().startswith(_WRITE_WORDS):
        return None
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


class _Marker:
    """An ``on_commit`` callback that stands for "this scope's version has changed in the
    current transaction"; it does nothing when it runs."""

    __slots__ = ("scope",)

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def __call__(self) -> None:
        return None


def _pending(connection: Any) -> dict[str, _Marker]:
    pending: dict[str, _Marker] | None = getattr(connection, "_cg_version_markers", None)
    if pending is None:
        pending = {}
        connection._cg_version_markers = pending
    return pending


def _already_changed(connection: Any, scope: str) -> bool:
    marker = _pending(connection).get(scope)
    return marker is not None and any(
        callback is marker for _, callback, _ in connection.run_on_commit
    )


def _change(connection: Any, scopes: tuple[str, ...]) -> None:
    if connection.in_atomic_block:
        scopes = tuple(scope for scope in scopes if not _already_changed(connection, scope))
        if not scopes:
            return
    rows = ", ".join(["(%s, %s)"] * len(scopes))
    params = [value for scope in scopes for value in (scope, secrets.randbits(62))]
    # A cursor of its own: the write's cursor may still hold its RETURNING row.
    with connection.cursor() as cursor:
        cursor.execute(_BUMP.format(rows=rows), params)
    if connection.in_atomic_block:
        for scope in scopes:
            marker = _Marker(scope)
            _pending(connection)[scope] = marker
            connection.on_commit(marker)
    # What this request derived before the write is stale now.
    request_memo.forget()


# While ``migrate`` runs the table may not exist yet; it changes the global version when
# it is done instead.
_migrating = False


def watch_writes(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Execute wrapper: run the statement; if it wrote a table that matters, change the
    version of the scope it was written in (see the module's docstring)."""
    result = execute(sql, params, many, context)
    if _migrating:
        return result
    table = written_table(sql)
    if table is not None and table not in IGNORED_TABLES:
        _change(context["connection"], _written_scopes(table))
    return result


def before_migrate(**_: Any) -> None:
    global _migrating
    _migrating = True


def after_migrate(using: str = "default", **_: Any) -> None:
    """post_migrate: a data migration may have changed anything; change the global version
    (when this schema has the table: ``migrate`` may also go backwards)."""
    global _migrating
    _migrating = False
    connection = connections[using]
    if TABLE in connection.introspection.table_names():
        _change(connection, (GLOBAL,))


def on_connection_created(sender: Any, connection: Any, **_: Any) -> None:
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def current(
    coalition_pk: int, apps: tuple[str, ...] | None = None, using: str = "default"
) -> str | None:
    """The version of the data a value derives from, as one key part: the global version
    and the coalition's, or with ``apps`` the version of each of those apps' data in the
    coalition (and of ``coalitions``: memberships, places, the profile).

    None when the global version has never been written (a database just created or
    flushed: nothing to key a cache by). A coalition or app version never written counts
    as "0": every write in a coalition's scope writes its versions in the same
    transaction, so an absent row means nothing was written there since the global
    version was.
    """
    connection = connections[using]
    scopes: tuple[str, ...]
    if apps is None:
        scopes = (GLOBAL, scope_key(coalition_pk))
    else:
        wanted = ("coalitions", *sorted(set(apps) - {"coalitions"}))
        scopes = (GLOBAL, *(scope_key(coalition_pk, app) for app in wanted))
    marks = ", ".join(["%s"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, version FROM coalitions_dataversion WHERE scope IN ({marks})",  # noqa: S608 (placeholders only)
            scopes,
        )
        found = dict(cursor.fetchall())
    pending = _pending(connection)
    for scope in scopes:
        pending.pop(scope, None)
    if GLOBAL not in found:
        return None
    return ".".join(f"{found[scope]:x}" if scope in found else "0" for scope in scopes)
