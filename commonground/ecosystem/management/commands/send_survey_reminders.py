"""``commonground send_survey_reminders --base-url URL``: e-mail a reminder, with a new
personal link, to every invited partner that has not answered an open network survey.

The same service as the "Send reminders" button of a survey's page: a partner is reminded at
most once every ``--days`` days (``SURVEY_REMINDER_DAYS``, 7 by default), each reminder is
audited, and a partner without an e-mail address is listed, not skipped silently.
Meant for a daily cron job.
"""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import Coalition
from commonground.ecosystem import services
from commonground.ecosystem.models import NetworkSurvey


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def base_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a site address such as https://commonground.example.org"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def at_least_one(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of days") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"--days must be 1 or more; got {number}")
    return number


class Command(BaseCommand):
    help = (
        "E-mail a reminder with a new link to every invited partner that has not answered an "
        "open network survey, at most once every --days days each."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            required=True,
            type=base_url,
            help="the site's address, put in the links: https://commonground.example.org",
        )
        parser.add_argument("--coalition", default="", help="only this coalition (short name)")
        parser.add_argument(
            "--survey", type=int, default=None, help="only this survey (id; needs --coalition)"
        )
        parser.add_argument(
            "--days",
            type=at_least_one,
            default=None,
            help="days between two e-mails to one partner (default SURVEY_REMINDER_DAYS, 7)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would be reminded; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] or services.reminder_days()
        surveys = self._surveys(options["coalition"], options["survey"])
        sent = messages = 0
        refused: list[str] = []
        for survey in surveys:
            with scope(coalition=survey.coalition):
                try:
                    report = services.send_survey_reminders(
                        survey=survey,
                        user=None,
                        base_url=options["base_url"],
                        days=days,
                        dry_run=options["dry_run"],
                    )
                except ValidationError as error:
                    raise CommandError("; ".join(error.messages)) from None
            self._print(survey, report, days=days, dry_run=options["dry_run"])
            sent += len(report.sent)
            messages += report.messages
            refused += [f"{name} ({survey.coalition.slug})" for name in report.failed]
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was sent and no link changed.")
        else:
            self.stdout.write(
                f"Reminders sent: {_count(sent, 'partner')}, {_count(messages, 'message')}."
            )
        if refused:
            raise CommandError(
                "the mail server refused the reminders for "
                + ", ".join(refused)
                + "; their links did not change"
            )

    def _surveys(self, slug: str, survey_id: int | None) -> list[NetworkSurvey]:
        if survey_id is not None and not slug:
            raise CommandError("--survey needs --coalition (survey ids are per coalition)")
        with scopes_disabled():
            coalitions = Coalition.objects.order_by("slug")
            if slug:
                coalitions = coalitions.filter(slug=slug)
                if not coalitions.exists():
                    raise CommandError(f"no coalition with the short name {slug!r}")
            surveys = NetworkSurvey.objects.filter(coalition__in=coalitions).select_related(
                "coalition"
            )
            if survey_id is not None:
                found = surveys.filter(pk=survey_id).first()
                if found is None:
                    raise CommandError(f"no survey {survey_id} in the coalition {slug!r}")
                if found.status != NetworkSurvey.Status.OPEN:
                    raise CommandError(
                        f"the survey {survey_id} ({found.title}) is closed: its links no longer work"
                    )
                return [found]
            return list(
                surveys.filter(status=NetworkSurvey.Status.OPEN).order_by(
                    "coalition__slug", "created_at", "pk"
                )
            )

    def _print(
        self, survey: NetworkSurvey, report: services.MailReport, *, days: int, dry_run: bool
    ) -> None:
        reminded = report.would_send if dry_run else report.sent
        verb = "would remind" if dry_run else "reminded"
        self.stdout.write(
            f"{survey.coalition.slug} · {survey.title} (survey {survey.pk}): "
            f"{len(reminded)} {verb}, {len(report.too_soon)} e-mailed less than "
            f"{_count(days, 'day')} ago, "
            f"{len(report.no_address)} without an e-mail address, "
            f"{len(report.failed)} refused by the mail server"
        )
        for label, names in (
            (verb, reminded),
            ("too soon", report.too_soon),
            ("no address", report.no_address),
            ("refused", report.failed),
        ):
            if names:
                self.stdout.write(f"  {label}: {', '.join(names)}")
