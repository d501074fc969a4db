"""``commonground export_coalition SLUG FILE``: a coalition's whole archive (or a de-identified one)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonground.coalitions import archive
from commonground.coalitions.models import Coalition


class Command(BaseCommand):
    help = "Write everything a coalition owns, in every app, to one ZIP archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the coalition's short name (as in its links)")
        parser.add_argument("file", help="the ZIP file to write")
        parser.add_argument(
            "--deidentified",
            action="store_true",
            help="remove people, names, free text, contacts, full dates and sub-state places",
        )
        parser.add_argument("--json", action="store_true", help="print a summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        coalition = Coalition.objects.filter(slug=options["slug"]).first()
        if coalition is None:
            self.stderr.write(f"error: no coalition with the short name {options['slug']!r}")
            sys.exit(2)
        content = archive.export_coalition(coalition, deidentify=options["deidentified"])
        Path(options["file"]).write_bytes(content)
        manifest, _ = archive.read_archive_any(content)
        summary = {
            "coalition": coalition.slug,
            "file": options["file"],
            "bytes": len(content),
            "deidentified": options["deidentified"],
            "tables": manifest["tables"],
            "rows": sum(manifest["tables"].values()),
            "people": manifest["people"],
            "files": manifest["files"],
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
        else:
            self.stdout.write(
                f"{coalition.slug}: {summary['rows']} rows in {len(summary['tables'])} tables, "
                f"{summary['people']} people, {summary['files']} files → {options['file']} "
                f"({summary['bytes']} bytes)"
            )
