"""A version of each coalition's data that every write changes, for caches across requests.

The roadmap, the framework evidence and the counts behind them take tens of queries to
derive, and a coalition's data changes far less often than its pages are read. A derived
value may be kept across requests as long as it is keyed by the version of the data it
was derived from; this module keeps that version.

* Every ``INSERT``, ``UPDATE`` and ``DELETE`` the app sends, on any connection, is seen by
  an execute wrapper (:func:`watch_writes`). Inside ``scope(coalition=…)`` it changes that
  coalition's version and the version of the written table's app in that coalition (so a
  resident's survey answer leaves the network map's version alone); anywhere else (``scopes_disabled()``, no scope: the demo loader,
  sign-in, an account edit), and for the accounts table everywhere (a person shows in
  every coalition they belong to), it changes the global version, which every key
  includes. A
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

from django.apps import apps as django_apps
from django.db import connections, transaction
from django_scopes import get_scope

from commonground.lib import request_memo

TABLE = "coalitions_dataversion"
GLOBAL = "*"

# Tables whose rows no kept page or derived value reads: sessions, sign-in attempts,
# password-reset requests, the task queue, and the background jobs' own rows (their
# progress and heartbeats change every few seconds while they run; what a job writes into
# the data still counts).
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
        "accounts_passwordresetrequest",
        "django_admin_log",
        "coalitions_coalitionexport",
        "measurement_importjob",
        "reports_pdfjob",
    }
)
# The activity log belongs to no app's data: an audited change counts for the app it
# changed, and the audit row itself only for the coalition as a whole.
WHOLE_COALITION_ONLY = frozenset({"coalitions_auditevent"})
# Apps whose rows no coalition owns: a person's name shows in every coalition they belong
# to, so changing it changes the global version even when written in one coalition's scope.
SHARED_APPS = frozenset({"accounts"})
# Columns of the accounts table no page shows: signing in stamps ``last_login`` and may
# store the password again with a newer hasher; neither is a change to anyone's data.
_UNSEEN_USER_COLUMNS = frozenset({"last_login", "password"})
_SET_COLUMNS = re.compile(r'["`]?(\w+)["`]?\s*=\s*(?:%s|\?|NULL)', re.IGNORECASE)

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
    coalition's and its app's inside ``scope(coalition=…)``, else (and for the tables of
    ``SHARED_APPS``) the global one."""
    state = get_scope()
    if state and state.get("_enabled", True):
        coalition = state.get("coalition")
        pk = getattr(coalition, "pk", coalition)
        if isinstance(pk, int):
            if table in WHOLE_COALITION_ONLY:
                return (scope_key(pk),)
            if app_of(table) in SHARED_APPS:
                return (GLOBAL,)
            return scope_key(pk), scope_key(pk, app_of(table))
    return (GLOBAL,)


def _unseen(table: str, sql: str) -> bool:
    """An update of the accounts table that sets only columns no page shows.

    >>> _unseen("accounts_user", 'UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s')
    True
    >>> _unseen("accounts_user", 'UPDATE "accounts_user" SET "display_name" = %s, "last_login" = %s WHERE "id" = %s')
    False
    """
    if table != "accounts_user" or sql.lstrip()[:6].upper() != "UPDATE":
        return False
    assignments = sql.split(" SET ", 1)[-1].split(" WHERE ", 1)[0]
    columns = set(_SET_COLUMNS.findall(assignments))
    return bool(columns) and columns <= _UNSEEN_USER_COLUMNS


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
    # What this request derived before the write is stale now.
    request_memo.forget()
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


# Set while ``migrate`` runs on a database that has no version table yet (a new
# database, or one upgraded from before it): the migrations' writes cannot be counted,
# and ``migrate`` changes the global version when it is done instead.
_no_table_yet = False


def watch_writes(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Execute wrapper: run the statement; if it wrote a table that matters, change the
    version of the scope it was written in (see the module's docstring).

    Outside a transaction the statement and the new version go into one, so a write is
    never committed without its version (but for SQLite's INSERT … RETURNING, below). A statement that changed no row (an UPDATE of
    stale jobs that found none) changes nothing.
    """
    table = _counted_table(sql)
    if table is None:
        return execute(sql, params, many, context)
    connection = context["connection"]
    if (
        connection.in_atomic_block
        or not connection.get_autocommit()
        # SQLite cannot commit while an INSERT … RETURNING still holds the row Django
        # reads next: there the version follows the write in a transaction of its own.
        or (connection.vendor == "sqlite" and "RETURNING" in sql.upper())
    ):
        return _run_and_change(execute, sql, params, many, context, table)
    with transaction.atomic(using=connection.alias):
        return _run_and_change(execute, sql, params, many, context, table)


def _counted_table(sql: str) -> str | None:
    """The table whose write counts, ``"*"`` for SQL that may write anywhere, or None."""
    if _no_table_yet:
        return None
    table = written_table(sql)
    if table is None:
        return "*" if _hidden_write(sql) else None
    if table in IGNORED_TABLES or _unseen(table, sql):
        return None
    return table


def _run_and_change(
    execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any], table: str
) -> Any:
    result = execute(sql, params, many, context)
    if not _changed_nothing(sql, context["cursor"]):
        scopes = (GLOBAL,) if table == "*" else _written_scopes(table)
        _change(context["connection"], scopes)
    return result


def _changed_nothing(sql: str, cursor: Any) -> bool:
    """An UPDATE or DELETE that matched no row. (A statement with RETURNING is not judged:
    SQLite counts its rows only once they are read.)"""
    head = sql.lstrip()[:6].upper()
    return (
        head in ("UPDATE", "DELETE")
        and "RETURNING" not in sql.upper()
        and getattr(cursor, "rowcount", -1) == 0
    )


def _hidden_write(sql: str) -> bool:
    """SQL that may write although it does not start with INSERT, UPDATE or DELETE (a
    common table expression, a leading comment): counted as a write to everything.
    Django emits none today.

    >>> _hidden_write("WITH moved AS (DELETE FROM t RETURNING *) SELECT 1"), _hidden_write("SELECT 1")
    (True, False)
    """
    head = sql.lstrip()[:6].upper()
    if head.startswith(
        ("SELECT", "SAVEPO", "RELEAS", "ROLLBA", "BEGIN", "COMMIT", "SET", "PRAGMA", "SHOW")
    ):
        return False
    return bool(_ANY_WRITE.search(sql))


_ANY_WRITE = re.compile(
    r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|TRUNCATE|MERGE\s+INTO)\b", re.IGNORECASE
)


def before_migrate(using: str = "default", **_: Any) -> None:
    global _no_table_yet
    _no_table_yet = TABLE not in connections[using].introspection.table_names()


def after_migrate(using: str = "default", **_: Any) -> None:
    """post_migrate: a data migration may have changed anything; change the global version
    (when this schema has the table: ``migrate`` may also go backwards)."""
    global _no_table_yet
    _no_table_yet = False
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
    return compose(snapshot(coalition_pk, using), coalition_pk, apps)


def snapshot(coalition_pk: int, using: str = "default") -> dict[str, int]:
    """Every version a value derived for this coalition may be keyed by, in one query:
    the global one, the coalition's and each of its apps' (:func:`compose` picks)."""
    connection = connections[using]
    scopes = (
        GLOBAL,
        scope_key(coalition_pk),
        *(scope_key(coalition_pk, config.label) for config in django_apps.get_app_configs()),
    )
    marks = ", ".join(["%s"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, version FROM coalitions_dataversion WHERE scope IN ({marks})",  # noqa: S608  # nosec B608 (placeholders only)
            scopes,
        )
        found = dict(cursor.fetchall())
    # Read now: a write later in this transaction must change them again.
    pending = _pending(connection)
    for scope in scopes:
        pending.pop(scope, None)
    return found


def compose(
    found: dict[str, int], coalition_pk: int, apps: tuple[str, ...] | None = None
) -> str | None:
    """The key part :func:`current` returns, from a :func:`snapshot`.

    >>> compose({"*": 10, "c1": 11, "c1:voice": 12}, 1, ("voice",))
    'a.0.c'
    >>> compose({"c1": 11}, 1) is None
    True
    """
    scopes: tuple[str, ...]
    if apps is None:
        scopes = (GLOBAL, scope_key(coalition_pk))
    else:
        wanted = ("coalitions", *sorted(set(apps) - {"coalitions"}))
        scopes = (GLOBAL, *(scope_key(coalition_pk, app) for app in wanted))
    if GLOBAL not in found:
        return None
    return ".".join(f"{found[scope]:x}" if scope in found else "0" for scope in scopes)
