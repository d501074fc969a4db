"""``commonground import_coalition FILE``: a new coalition from an archive."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonground.coalitions import archive


class Command(BaseCommand):
    help = "Create a new coalition from an archive written by export_coalition (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the ZIP archive")
        parser.add_argument(
            "--slug", help="the new coalition's short name (default: the archive's)"
        )
        parser.add_argument("--name", help="the new coalition's name (default: the archive's)")
        parser.add_argument("--json", action="store_true", help="print a summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            content = Path(options["file"]).read_bytes()
            result = archive.import_coalition(content, slug=options["slug"], name=options["name"])
        except OSError as error:
            self.stderr.write(f"error: cannot read {options['file']}: {error.strerror}")
            sys.exit(2)
        except archive.ArchiveError as error:
            self.stderr.write(f"error: {error}")
            sys.exit(2)
        summary = {
            "coalition": result.coalition.slug,
            "name": result.coalition.name,
            "tables": result.tables,
            "rows": sum(result.tables.values()),
            "people_created": result.people_created,
            "redrawn": result.redrawn,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
        else:
            self.stdout.write(
                f"Imported {summary['rows']} rows as /c/{result.coalition.slug}/ "
                f"({summary['people_created']} new people, without a password: invite them)."
            )
