"""Survey invitations are e-mailed: one message per person, text and HTML, in the person's
language, with a personal link that opens the form; a refused send records nothing."""

from __future__ import annotations

import smtplib
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings
from django_scopes import scope, scopes_disabled

from commonground.accounts.models import User
from commonground.coalitions.models import AuditEvent
from commonground.ecosystem import services
from commonground.ecosystem.models import SurveyInvitation
from commonground.ecosystem.tests.survey_setup import (
    CHURCH,
    CLINIC,
    FOOD_BANK,
    HEALTH_DEPT,
    links_in,
    make_actors,
    open_round,
)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message (stands in for an SMTP outage)."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"refused")})


REFUSING = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}


def _by_address() -> dict[str, Any]:
    return {message.to[0]: message for message in mail.outbox}


def _events(event: str) -> int:
    with scopes_disabled():
        return AuditEvent.objects.filter(event=event).count()


def test_opening_a_round_emails_each_partner_its_link_in_its_language(world: Any) -> None:
    actors = make_actors(world)
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/surveys/",
        {
            "title": "Network survey 2026",
            "actor_ids": [str(a.pk) for a in actors.values()],
            "send_email": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    # Nobody can be written to for the church: the admin is told, by name.
    assert "No e-mail address for Hilltop Church" in page
    sent = _by_address()
    assert set(sent) == {"clinic@riverside.example", "food@northside.example", "partner@a.example"}
    clinic = sent["clinic@riverside.example"]
    assert CLINIC in clinic.subject and world.a.name in clinic.subject
    assert "Hello Rosa Díaz," in clinic.body
    html, mimetype = clinic.alternatives[0]
    assert mimetype == "text/html" and '<html lang="en">' in html
    # The member is written to in Spanish (their preferred language), and may sign in instead.
    member = sent["partner@a.example"]
    member_html = member.alternatives[0][0]
    assert '<html lang="es">' in member_html
    with scope(coalition=world.a):
        invitation = SurveyInvitation.objects.get(actor=actors[HEALTH_DEPT])
    assert f"/c/{world.a.slug}/ecosystem/surveys/answer/{invitation.pk}/" in member.body
    assert "/surveys/answer/" not in clinic.body
    # Each link opens that partner's own form, for a visitor who is not signed in.
    for address, name in (
        ("clinic@riverside.example", CLINIC),
        ("food@northside.example", FOOD_BANK),
    ):
        (link,) = set(links_in(sent[address].body))
        assert link in sent[address].alternatives[0][0]
        form = Client().get(urlsplit(link).path)
        assert form.status_code == 200 and f"<strong>{name}</strong>" in form.content.decode()
    # Recorded: when each was e-mailed, one audit row each, in the survey's language.
    with scope(coalition=world.a):
        rows = {i.actor.name: i for i in SurveyInvitation.objects.select_related("actor")}
    assert rows[CHURCH].emailed_at is None
    assert all(rows[n].emailed_at is not None for n in (CLINIC, FOOD_BANK, HEALTH_DEPT))
    assert {rows[n].language for n in rows} == {"en"}
    assert _events("ecosystem.survey_link_emailed") == 3


def test_without_the_box_ticked_nothing_is_emailed(world: Any) -> None:
    actors = make_actors(world)
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/surveys/",
        {"title": "Quiet round", "actor_ids": [str(a.pk) for a in actors.values()]},
        follow=True,
    )
    assert response.status_code == 200
    assert mail.outbox == []
    # The links are on the page instead, once.
    assert len(links_in(response.content.decode())) == len(actors)
    with scope(coalition=world.a):
        assert not SurveyInvitation.objects.filter(emailed_at__isnull=False).exists()


def test_a_contact_with_an_account_is_written_to_in_their_language(world: Any) -> None:
    User.objects.create_user("clinic@riverside.example", "x" * 20, preferred_language="es")
    survey_round = open_round(world)
    report = services.email_survey_links(
        survey=survey_round.survey,
        user=world.people["admin"],
        links=survey_round.links,
        base_url="https://cg.example.org",
    )
    assert sorted(report.sent) == sorted([CLINIC, FOOD_BANK, HEALTH_DEPT])
    assert report.no_address == [CHURCH] and report.failed == []
    assert report.messages == 3
    sent = _by_address()
    assert '<html lang="es">' in sent["clinic@riverside.example"].alternatives[0][0]
    assert '<html lang="en">' in sent["food@northside.example"].alternatives[0][0]
    # The base URL given is the one in the links.
    assert links_in(sent["food@northside.example"].body)[0].startswith(
        "https://cg.example.org/network-survey/"
    )


@override_settings(MAILERS=REFUSING)
def test_a_refused_send_records_nothing_and_keeps_the_links(world: Any) -> None:
    survey_round = open_round(world)
    report = services.email_survey_links(
        survey=survey_round.survey,
        user=world.people["admin"],
        links=survey_round.links,
        base_url="https://cg.example.org",
    )
    assert report.sent == [] and sorted(report.failed) == sorted([CLINIC, FOOD_BANK, HEALTH_DEPT])
    with scope(coalition=world.a):
        assert not SurveyInvitation.objects.filter(emailed_at__isnull=False).exists()
    assert _events("ecosystem.survey_link_emailed") == 0
    # The links made when the round opened still work.
    assert services.find_survey_link(token=survey_round.tokens[CLINIC]).actor.name == CLINIC


def test_the_page_tells_the_admin_when_the_mail_server_refuses(world: Any) -> None:
    actors = make_actors(world)
    with override_settings(MAILERS=REFUSING):
        response = world.client_for("admin").post(
            f"/c/{world.a.slug}/ecosystem/surveys/",
            {
                "title": "Round",
                "actor_ids": [str(actors[CLINIC].pk)],
                "send_email": "on",
            },
            follow=True,
        )
    page = response.content.decode()
    assert "The mail server refused the e-mails for Riverside Clinic" in page
    # The link is still shown on the page, to copy.
    assert len(links_in(page)) == 1


@pytest.mark.parametrize("status", ["closed"])
def test_a_closed_round_is_not_emailed(world: Any, status: str) -> None:
    survey_round = open_round(world)
    services.close_survey(survey=survey_round.survey, user=world.people["admin"])
    survey_round.survey.refresh_from_db()
    assert survey_round.survey.status == status
    with pytest.raises(services.ValidationError, match="is closed"):
        services.email_survey_links(
            survey=survey_round.survey,
            user=None,
            links=survey_round.links,
            base_url="https://cg.example.org",
        )
    assert mail.outbox == []
