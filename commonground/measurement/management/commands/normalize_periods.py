"""``commonground normalize_periods --coalition SLUG [--dry-run]``: fold period labels that
hold the same data as another label of the same indicator (imports made before the
import wizard could store one measure's data years under two labels)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.coalitions.models import Coalition
from commonground.measurement import services


class Command(BaseCommand):
    help = "Store each indicator's data under one period label where two labels hold the same data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--coalition", required=True, help="the coalition's short name")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would change; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        coalition = Coalition.objects.filter(slug=options["coalition"]).first()
        if coalition is None:
            raise CommandError(f"no coalition with the short name {options['coalition']!r}")
        try:
            merges = services.merge_repeated_periods(
                coalition=coalition, actor=None, dry_run=options["dry_run"]
            )
        except ValidationError as error:  # released values: nothing was changed
            raise CommandError(" ".join(error.messages) + " Nothing was changed.") from None
        verb = "would store" if options["dry_run"] else "stored"
        for merge in merges:
            self.stdout.write(
                f"{merge.indicator}: {verb} {merge.from_period} under {merge.to_period} "
                f"({merge.moved} moved, {merge.dropped} duplicates removed)"
            )
        if not merges:
            self.stdout.write("Every indicator already keeps each data period under one label.")
