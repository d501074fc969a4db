"""The backup drill restores a real copy and catches a copy that differs (RELIABILITY 16)."""

from __future__ import annotations

import json
import sqlite3
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from commonground.web.backup import _compare, _sqlite_digest, run_drill
from commonground.web.tests.test_cli_docs import DOC, check, parse_contract


@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_every_table_with_equal_counts_and_checksums(
    world: Any, tmp_path: Any
) -> None:
    result = run_drill(connection, keep=tmp_path)
    tables = {check.table: check for check in result.tables}
    assert result.engine == connection.vendor
    assert result.ok
    assert tables["coalitions_coalition"].rows == 2  # the world's two coalitions
    assert tables["coalitions_membership"].rows >= 5
    assert tables["accounts_user"].restored_rows == tables["accounts_user"].rows
    # Every table of the schema was checked, not only the ones with rows.
    assert len(tables) == len(connection.introspection.table_names())
    assert result.kept is not None and (tmp_path / result.kept.rsplit("/", 1)[-1]).stat().st_size
    assert result.backup_bytes > 0


@pytest.mark.django_db(transaction=True)
def test_the_command_prints_the_documented_json(world: Any) -> None:
    out = StringIO()
    call_command("backup_drill", "--json", stdout=out)
    report = json.loads(out.getvalue())
    # Exactly the keys and types that docs/cli.md documents.
    contract = parse_contract(DOC.read_text(encoding="utf-8"))
    problems, seen = check(report, "backup_drill", contract)
    assert problems == []
    assert seen == {"backup_drill", "backup_drill.tables[]"}
    assert report["ok"] is True and report["mismatched"] == []
    assert report["tables_checked"] == len(report["tables"]) > 40
    assert report["rows"] == sum(t["rows"] for t in report["tables"])
    assert set(report["tables"][0]) == {
        "table",
        "rows",
        "checksum",
        "restored_rows",
        "restored_checksum",
        "ok",
    }


def test_a_changed_lost_or_duplicated_row_changes_the_checksum() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(1, "Ana"), (2, "Luis")])
    original = _sqlite_digest(db, "t")
    assert original is not None and original[0] == 2
    db.execute("UPDATE t SET name = 'Luisa' WHERE id = 2")
    changed = _sqlite_digest(db, "t")
    db.execute("DELETE FROM t WHERE id = 2")
    lost = _sqlite_digest(db, "t")
    db.execute("CREATE TABLE u (name TEXT)")
    db.executemany("INSERT INTO u VALUES (?)", [("Ana",), ("Ana",)])
    twice = _sqlite_digest(db, "u")
    assert changed is not None and lost is not None and twice is not None
    assert len({original[1], changed[1], lost[1]}) == 3
    assert twice[0] == 2
    # Row order does not matter: the same rows inserted the other way round agree.
    db.execute("CREATE TABLE v (id INTEGER, name TEXT)")
    db.executemany("INSERT INTO v VALUES (?, ?)", [(2, "Luis"), (1, "Ana")])
    db.execute("CREATE TABLE w (id INTEGER, name TEXT)")
    db.executemany("INSERT INTO w VALUES (?, ?)", [(1, "Ana"), (2, "Luis")])
    assert _sqlite_digest(db, "v") == _sqlite_digest(db, "w")
    assert _sqlite_digest(db, "missing") is None


def test_a_restore_missing_a_table_or_a_row_fails_the_drill() -> None:
    live = {"a": (3, "x"), "b": (1, "y")}
    restored = {"a": (2, "z")}
    checks = _compare(["a", "b"], live.get, restored.get)
    assert [check.ok for check in checks] == [False, False]
    assert checks[1].restored_rows is None
