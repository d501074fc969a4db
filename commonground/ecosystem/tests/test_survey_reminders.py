"""Reminders go only to partners that have not answered, at most once every N days each,
each with a new link and an audit row; from the survey page's button and from the command."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import AuditEvent
from commonground.ecosystem import services
from commonground.ecosystem.tests.survey_setup import (
    CHURCH,
    CLINIC,
    FOOD_BANK,
    HEALTH_DEPT,
    Round,
    links_in,
    open_round,
)
from commonground.ecosystem.tests.test_survey_emails import REFUSING
from commonground.lib.paths import REPO_ROOT

BASE = "https://cg.example.org"


def _reminder_rows() -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event="ecosystem.survey_reminder_sent"))


def _clinic_answers(survey_round: Round) -> None:
    services.submit_network_survey(
        token=survey_round.tokens[CLINIC],
        answers=[services.TieAnswer(partner_id=survey_round.actors[CHURCH].pk, intensity=3)],
    )


def test_only_partners_that_have_not_answered_are_reminded_with_a_new_link(world: Any) -> None:
    survey_round = open_round(world)
    _clinic_answers(survey_round)
    report = services.send_survey_reminders(
        survey=survey_round.survey, user=world.people["admin"], base_url=BASE
    )
    assert sorted(report.sent) == sorted([FOOD_BANK, HEALTH_DEPT])
    assert report.no_address == [CHURCH] and report.too_soon == [] and report.failed == []
    assert sorted(m.to[0] for m in mail.outbox) == ["food@northside.example", "partner@a.example"]
    # The clinic answered: it gets nothing.
    assert all(CLINIC not in m.subject for m in mail.outbox)
    food = next(m for m in mail.outbox if m.to == ["food@northside.example"])
    assert food.subject.startswith("Reminder:") and FOOD_BANK in food.subject
    (link,) = set(links_in(food.body))
    # The new link works; the one sent when the round opened no longer does.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert services.find_survey_link(token=token).actor.name == FOOD_BANK
    with pytest.raises(services.SurveyLinkError):
        services.find_survey_link(token=survey_round.tokens[FOOD_BANK])
    # Audited: one row per partner reminded, naming the admin who sent it.
    rows = _reminder_rows()
    assert len(rows) == 2 and {r.actor_id for r in rows} == {world.people["admin"].pk}
    assert {r.params["name"] for r in rows} == {FOOD_BANK, HEALTH_DEPT}
    food_invitation = survey_round.invitation(FOOD_BANK)
    assert food_invitation.reminder_count == 1 and food_invitation.emailed_at is not None


def test_a_partner_is_reminded_at_most_once_every_n_days(world: Any) -> None:
    survey_round = open_round(world)
    # The invitation e-mail counts: no reminder on the day the links went out.
    services.email_survey_links(
        survey=survey_round.survey, user=None, links=survey_round.links, base_url=BASE
    )
    assert len(mail.outbox) == 3
    again = services.send_survey_reminders(survey=survey_round.survey, user=None, base_url=BASE)
    assert again.sent == [] and sorted(again.too_soon) == sorted([CLINIC, FOOD_BANK, HEALTH_DEPT])
    assert len(mail.outbox) == 3 and _reminder_rows() == []
    # Six days later: still too soon (7 days by default).
    later = timezone.now() + timedelta(days=6)
    report = services.send_survey_reminders(
        survey=survey_round.survey, user=None, base_url=BASE, now=later
    )
    assert report.sent == [] and len(mail.outbox) == 3
    # Eight days later: reminded once, and not again the same day.
    later = timezone.now() + timedelta(days=8)
    first = services.send_survey_reminders(
        survey=survey_round.survey, user=None, base_url=BASE, now=later
    )
    second = services.send_survey_reminders(
        survey=survey_round.survey, user=None, base_url=BASE, now=later + timedelta(hours=1)
    )
    assert sorted(first.sent) == sorted([CLINIC, FOOD_BANK, HEALTH_DEPT])
    assert second.sent == [] and len(second.too_soon) == 3
    assert len(mail.outbox) == 6 and len(_reminder_rows()) == 3
    # The period comes from the settings.
    with override_settings(SURVEY_REMINDER_DAYS=1):
        third = services.send_survey_reminders(
            survey=survey_round.survey, user=None, base_url=BASE, now=later + timedelta(days=2)
        )
    assert len(third.sent) == 3 and survey_round.invitation(CLINIC).reminder_count == 2


def test_a_dry_run_sends_nothing_and_changes_no_link(world: Any) -> None:
    survey_round = open_round(world)
    before = survey_round.invitation(CLINIC).token_hash
    report = services.send_survey_reminders(
        survey=survey_round.survey, user=None, base_url=BASE, dry_run=True
    )
    assert sorted(report.would_send) == sorted([CLINIC, FOOD_BANK, HEALTH_DEPT])
    assert report.sent == [] and mail.outbox == [] and _reminder_rows() == []
    assert survey_round.invitation(CLINIC).token_hash == before


@override_settings(MAILERS=REFUSING)
def test_a_refused_reminder_keeps_the_old_link_and_records_nothing(world: Any) -> None:
    survey_round = open_round(world)
    report = services.send_survey_reminders(survey=survey_round.survey, user=None, base_url=BASE)
    assert sorted(report.failed) == sorted([CLINIC, FOOD_BANK, HEALTH_DEPT])
    assert report.sent == [] and _reminder_rows() == []
    assert services.find_survey_link(token=survey_round.tokens[CLINIC]).actor.name == CLINIC
    assert survey_round.invitation(CLINIC).emailed_at is None


def test_the_send_reminders_button(world: Any) -> None:
    survey_round = open_round(world)
    url = f"/c/{world.a.slug}/ecosystem/surveys/{survey_round.survey.pk}/remind/"
    detail = f"/c/{world.a.slug}/ecosystem/surveys/{survey_round.survey.pk}/"
    admin = world.client_for("admin")
    page = admin.get(detail).content.decode()
    assert "Send reminders" in page and "3 partners can be reminded now." in page
    assert world.client_for("partner").post(url).status_code == 403
    assert admin.get(url).status_code == 405
    response = admin.post(url, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Reminders e-mailed for 3 partners, each with a new link" in page
    assert "No e-mail address for Hilltop Church" in page
    assert "0 partners can be reminded now." in page and len(mail.outbox) == 3
    # Pressed again at once: nobody is written to twice.
    page = admin.post(url, follow=True).content.decode()
    assert "Not reminded, e-mailed less than 7 days ago" in page and len(mail.outbox) == 3
    # The partner links are e-mailed in the page's links as http://testserver/…
    assert links_in(mail.outbox[0].body)[0].startswith("http://testserver/network-survey/")


def test_closed_survey_gets_no_reminders(world: Any) -> None:
    survey_round = open_round(world)
    services.close_survey(survey=survey_round.survey, user=None)
    survey_round.survey.refresh_from_db()
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/surveys/{survey_round.survey.pk}/remind/", follow=True
    )
    assert "is closed" in response.content.decode() and mail.outbox == []


# ---------------------------------------------------------------- the command


def _run(*args: str) -> str:
    out = StringIO()
    call_command("send_survey_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_reminds_every_open_survey_and_says_what_it_did(world: Any) -> None:
    survey_round = open_round(world)
    _clinic_answers(survey_round)
    out = _run("--base-url", BASE + "/")
    slug, number = world.a.slug, survey_round.survey.pk
    assert out.splitlines() == [
        f"{slug} · Network survey 2026 (survey {number}): 2 reminded, 0 e-mailed less than 7 "
        "days ago, 1 without an e-mail address, 0 refused by the mail server",
        f"  reminded: {HEALTH_DEPT}, {FOOD_BANK}",
        f"  no address: {CHURCH}",
        "Reminders sent: 2 partners, 2 messages.",
    ]
    assert links_in(mail.outbox[0].body)[0].startswith(BASE + "/network-survey/")
    # The command writes the audit rows with no person.
    assert {row.actor_id for row in _reminder_rows()} == {None}
    # A second run the same day sends nothing.
    out = _run("--base-url", BASE, "--coalition", slug, "--survey", str(number))
    assert "0 reminded, 2 e-mailed less than 7 days ago" in out and len(mail.outbox) == 2
    # --days 1 with a dry run: would remind nobody yet (e-mailed today).
    out = _run("--base-url", BASE, "--days", "1", "--dry-run")
    assert "0 would remind, 2 e-mailed less than 1 day ago" in out and out.endswith(
        "Dry run: nothing was sent and no link changed.\n"
    )


def test_the_command_refuses_what_it_cannot_do(world: Any) -> None:
    survey_round = open_round(world)
    with pytest.raises(CommandError, match="no coalition with the short name 'nowhere'"):
        _run("--base-url", BASE, "--coalition", "nowhere")
    with pytest.raises(CommandError, match="--survey needs --coalition"):
        _run("--base-url", BASE, "--survey", str(survey_round.survey.pk))
    with pytest.raises(CommandError, match="no survey 999999"):
        _run("--base-url", BASE, "--coalition", world.a.slug, "--survey", "999999")
    # Another coalition's survey is not found through this one.
    with pytest.raises(CommandError, match="no survey"):
        _run(
            "--base-url", BASE, "--coalition", world.b.slug, "--survey", str(survey_round.survey.pk)
        )
    services.close_survey(survey=survey_round.survey, user=None)
    with pytest.raises(CommandError, match="is closed"):
        _run(
            "--base-url", BASE, "--coalition", world.a.slug, "--survey", str(survey_round.survey.pk)
        )
    # No open survey anywhere: only the total.
    assert _run("--base-url", BASE) == "Reminders sent: 0 partners, 0 messages.\n"
    assert mail.outbox == []


@override_settings(MAILERS=REFUSING)
def test_the_command_fails_when_the_mail_server_refuses(world: Any) -> None:
    survey_round = open_round(world)
    with pytest.raises(CommandError, match="the mail server refused the reminders for"):
        _run("--base-url", BASE)
    assert services.find_survey_link(token=survey_round.tokens[CLINIC]).actor.name == CLINIC


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the following arguments are required: --base-url"),
        (["--base-url", "cg.example.org"], "is not a site address"),
        (["--base-url", BASE, "--days", "0"], "--days must be 1 or more; got 0"),
        (["--base-url", BASE, "--days", "soon"], "is not a whole number of days"),
        (["--base-url", BASE, "--survey", "x"], "invalid int value"),
    ],
)
def test_usage_errors_exit_with_2(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "commonground.manage", "send_survey_reminders", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stdout == ""


def test_reminders_stay_within_their_coalition(world: Any) -> None:
    survey_round = open_round(world)
    with scope(coalition=world.b):
        services.create_actor(
            coalition=world.b,
            user=None,
            name="B Clinic",
            sector_id="food",
            contact_email="b@clinic.example",
        )
    _run("--base-url", BASE, "--coalition", world.b.slug)
    assert mail.outbox == []
    assert survey_round.invitation(CLINIC).reminder_count == 0
