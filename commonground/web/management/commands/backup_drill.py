"""``commonground backup_drill``: back up, restore into a fresh database, compare."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from commonground.web.backup import DrillError, run_drill


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the backup API on SQLite), restore the "
        "backup into a fresh database and compare every table's row count and checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep", metavar="DIR", help="also keep the backup file in this folder"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = run_drill(connection, keep=Path(options["keep"]) if options["keep"] else None)
        except DrillError as error:
            self.stderr.write(f"error: {error}")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2))
        else:
            summary = result.as_json()
            self.stdout.write(
                f"{summary['engine']}: {summary['tables_checked']} tables, {summary['rows']} rows, "
                f"backup {summary['backup_bytes']} bytes in {summary['backup_seconds']} s, "
                f"restored in {summary['restore_seconds']} s"
            )
            for name in summary["mismatched"]:
                self.stdout.write(f"MISMATCH {name}")
            self.stdout.write("ok: the restore matches" if result.ok else "FAILED")
        if not result.ok:
            sys.exit(1)
