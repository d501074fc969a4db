"""``commonground import_measurement --coalition SLUG --layout LAYOUT FILE``: import a data
file into a coalition from the command line, with the same checks as an upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.measurement import services
from commonground.measurement.models import ImportJob


class Command(BaseCommand):
    help = "Import a County Health Rankings, PLACES, SVI or tidy file into a coalition."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument("--layout", required=True, choices=ImportJob.Layout.values)
        parser.add_argument("--period", default="", help="e.g. 2020-2022, when the file lacks it")
        parser.add_argument("--indicator", default="", help="indicator code (counts, tidy files)")
        parser.add_argument("--place-type", default="", choices=["", *services.PLACE_TYPES])
        parser.add_argument("--states", default="", help="keep only these state FIPS codes: 01,13")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        coalition = Coalition.objects.filter(slug=options["coalition"]).first()
        if coalition is None:
            raise CommandError(f"no coalition with the short name {options['coalition']!r}")
        with scope(coalition=coalition):
            try:
                job = services.import_path(
                    coalition=coalition,
                    actor=None,
                    path=path,
                    layout=options["layout"],
                    period=options["period"],
                    indicator_code=options["indicator"],
                    place_type=options["place_type"],
                    only_states=[s for s in options["states"].replace(",", " ").split() if s],
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        if job.status != ImportJob.Status.SUCCEEDED:
            for problem in job.problems:
                where = ", ".join(
                    part
                    for part in (
                        f"row {problem['row']}" if problem.get("row") is not None else "",
                        f"column {problem['column']!r}" if problem.get("column") else "",
                    )
                    if part
                )
                self.stderr.write(f"{where or 'file'}: {problem['problem']}")
            raise CommandError(f"{path.name} was not imported; nothing was changed.")
        self.stdout.write(
            f"Imported {path.name}: {job.observations_created} new, "
            f"{job.observations_updated} changed, {job.observations_unchanged} unchanged."
        )
        for place in job.unmatched_places:
            self.stdout.write(f"  check {place['code']}: {place['reason']}")
