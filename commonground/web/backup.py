"""The backup and restore drill: dump the database, restore the dump into a fresh
database, and compare every table's row count and checksum.

A backup nobody has restored is a hope, not a backup. ``commonground backup_drill``
runs the whole round on the database in use:

* **SQLite**: the online backup API copies the live database into a backup file (safe
  while the app writes, WAL included), then restores that file into a fresh database
  file the same way.
* **PostgreSQL**: ``pg_dump --format=custom`` writes the backup, ``pg_restore`` loads it
  into a freshly created database, which is dropped afterwards.

Each table's checksum is a digest of all its rows in a canonical order, computed the
same way on both sides, so a lost, duplicated or altered row shows as a mismatch.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


class DrillError(RuntimeError):
    """The drill could not run (a missing tool, a refused connection)."""


@dataclass(frozen=True, slots=True)
class TableCheck:
    table: str
    rows: int
    checksum: str
    restored_rows: int | None
    restored_checksum: str | None

    @property
    def ok(self) -> bool:
        return self.rows == self.restored_rows and self.checksum == self.restored_checksum


@dataclass(slots=True)
class DrillResult:
    engine: str
    backup_bytes: int
    backup_seconds: float
    restore_seconds: float
    tables: list[TableCheck] = field(default_factory=list)
    kept: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.tables) and all(table.ok for table in self.tables)

    def as_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "ok": self.ok,
            "tables_checked": len(self.tables),
            "mismatched": [t.table for t in self.tables if not t.ok],
            "rows": sum(t.rows for t in self.tables),
            "backup_bytes": self.backup_bytes,
            "backup_seconds": round(self.backup_seconds, 3),
            "restore_seconds": round(self.restore_seconds, 3),
            "kept": self.kept,
            "tables": [asdict(t) | {"ok": t.ok} for t in self.tables],
        }


def run_drill(connection: BaseDatabaseWrapper, *, keep: Path | None = None) -> DrillResult:
    """Back up the database behind ``connection``, restore it fresh and compare."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _sqlite_drill(connection, keep)
    if connection.vendor == "postgresql":
        return _postgres_drill(connection, keep)
    raise DrillError(f"The backup drill supports SQLite and PostgreSQL, not {connection.vendor}.")


# -- SQLite ---------------------------------------------------------------------------


def _sqlite_drill(connection: BaseDatabaseWrapper, keep: Path | None) -> DrillResult:
    live = connection.connection
    assert isinstance(live, sqlite3.Connection)
    with tempfile.TemporaryDirectory(prefix="cg-drill-") as work:
        backup_path = Path(work) / "backup.sqlite3"
        started = time.perf_counter()
        with sqlite3.connect(backup_path) as backup:
            live.backup(backup)
        backup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        restored_path = Path(work) / "restored.sqlite3"
        with sqlite3.connect(backup_path) as source, sqlite3.connect(restored_path) as restored:
            source.backup(restored)
        restore_seconds = time.perf_counter() - started
        # Read it back the way Django reads the live one (typed dates and times), so the
        # two digests see the same Python values.
        restored = sqlite3.connect(
            restored_path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        )
        try:
            tables = _compare(
                _sqlite_tables(live),
                lambda table: _sqlite_digest(live, table),
                lambda table: _sqlite_digest(restored, table),
            )
        finally:
            restored.close()
        result = DrillResult(
            engine="sqlite",
            backup_bytes=backup_path.stat().st_size,
            backup_seconds=backup_seconds,
            restore_seconds=restore_seconds,
            tables=tables,
        )
        result.kept = _keep(backup_path, keep, "commonground.sqlite3") if result.ok else None
        return result


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def _sqlite_digest(db: sqlite3.Connection, table: str) -> tuple[int, str] | None:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if exists is None:
        return None
    quoted = '"' + table.replace('"', '""') + '"'
    query = f"SELECT * FROM {quoted}"  # a quoted table name  # noqa: S608  # nosec B608
    rows = sorted(repr(row) for row in db.execute(query))
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row.encode())
        digest.update(b"\n")
    return len(rows), digest.hexdigest()


# -- PostgreSQL -----------------------------------------------------------------------


def _postgres_drill(connection: BaseDatabaseWrapper, keep: Path | None) -> DrillResult:
    import psycopg

    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            raise DrillError(f"{tool} is not installed; install the PostgreSQL client tools.")
    params = connection.get_connection_params()
    env = os.environ | {"PGPASSWORD": str(params.get("password") or "")}
    where = [
        f"--host={params.get('host') or 'localhost'}",
        f"--port={params.get('port') or 5432}",
        f"--username={params.get('user') or 'postgres'}",
    ]
    source_db = str(params["dbname"])
    fresh_db = f"{source_db[:40]}_drill_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="cg-drill-") as work:
        backup_path = Path(work) / "backup.dump"
        started = time.perf_counter()
        _run(["pg_dump", *where, "--format=custom", f"--file={backup_path}", source_db], env)
        backup_seconds = time.perf_counter() - started
        conninfo = {k: v for k, v in params.items() if k in {"host", "port", "user", "password"}}
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            admin.execute(f'CREATE DATABASE "{fresh_db}"')
        try:
            started = time.perf_counter()
            _run(
                [
                    "pg_restore",
                    *where,
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    f"--dbname={fresh_db}",
                    str(backup_path),
                ],
                env,
            )
            restore_seconds = time.perf_counter() - started
            with (
                psycopg.connect(dbname=source_db, **conninfo) as live,
                psycopg.connect(dbname=fresh_db, **conninfo) as restored,
            ):
                tables = _compare(
                    _postgres_tables(live),
                    lambda table: _postgres_digest(live, table),
                    lambda table: _postgres_digest(restored, table),
                )
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{fresh_db}" WITH (FORCE)')
        result = DrillResult(
            engine="postgresql",
            backup_bytes=backup_path.stat().st_size,
            backup_seconds=backup_seconds,
            restore_seconds=restore_seconds,
            tables=tables,
        )
        result.kept = _keep(backup_path, keep, "commonground.dump") if result.ok else None
        return result


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DrillError(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")


def _postgres_tables(db: Any) -> list[str]:
    rows = db.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [name for (name,) in rows]


def _postgres_digest(db: Any, table: str) -> tuple[int, str] | None:
    from psycopg import sql

    exists = db.execute(
        "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = %s", (table,)
    ).fetchone()
    if exists is None:
        return None
    query = sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
        "FROM {} AS t"
    ).format(sql.Identifier(table))
    count, digest = db.execute(query).fetchone()
    return int(count), str(digest)


# -- shared ---------------------------------------------------------------------------


def _compare(
    tables: list[str],
    live: Callable[[str], tuple[int, str] | None],
    restored: Callable[[str], tuple[int, str] | None],
) -> list[TableCheck]:
    checks = []
    for table in tables:
        rows_checksum = live(table)
        assert rows_checksum is not None
        rows, checksum = rows_checksum
        other = restored(table)
        checks.append(
            TableCheck(
                table=table,
                rows=rows,
                checksum=checksum,
                restored_rows=other[0] if other else None,
                restored_checksum=other[1] if other else None,
            )
        )
    return checks


def _keep(backup_path: Path, keep: Path | None, name: str) -> str | None:
    if keep is None:
        return None
    keep.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = keep / f"{stamp}-{name}"
    shutil.copy2(backup_path, target)
    return str(target)
