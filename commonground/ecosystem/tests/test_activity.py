"""The activity log says what happened on the ecosystem map in the reader's language.

The rows come from the real ecosystem services. A row removed along with another one
(a tie deleted with its actor) used to read "…: removed Tie 12 with it": it now names
the kind of record in the reader's language, never the class name and id.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.coalitions.services import record_audit
from commonground.ecosystem import services
from commonground.ecosystem.models import Actor

pytestmark = pytest.mark.django_db

RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def log_texts(world: Any, language: str) -> list[str]:
    html = (
        world.client_for("admin")
        .get("/c/valley-a/activity/", HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    rows = re.findall(r"<tr><td>.*?</td><td>(.*?)</td></tr>", html, re.S)
    return [unescape(row) for row in rows]


def actor(world: Any, name: str, sector: str = "food") -> Actor:
    return services.create_actor(
        coalition=world.a, user=world.people["admin"], name=name, sector_id=sector
    )


def test_the_map_and_survey_read_in_spanish(world: Any) -> None:
    admin = world.people["admin"]
    clinic, church, school = actor(world, "Clinic"), actor(world, "Church"), actor(world, "School")
    services.record_tie(coalition=world.a, user=admin, from_actor=clinic, to_actor=school)
    services.place_on_power_map(actor=church, user=admin, influence=70, alignment=40)
    survey, links = services.create_survey(
        coalition=world.a, user=admin, title="Ronda 1", actors=[clinic, church]
    )
    token = next(token for invitation, token in links if invitation.actor == clinic)
    services.submit_network_survey(
        token=token,
        answers=[
            services.TieAnswer(
                partner_id=church.pk, type_ids=("referrals",), intensity=3, frequency="monthly"
            )
        ],
    )
    services.close_survey(survey=survey, user=admin)
    services.take_snapshot(coalition=world.a, user=admin, name="Base")
    services.delete_actor(actor=school, user=admin)  # deleted, with its backbone tie
    texts = log_texts(world, "es")
    assert "Agregó “Clinic” al mapa del ecosistema" in texts
    assert "Agregó el vínculo “Clinic” → “School”" in texts
    assert "Ubicó “Church” en el mapa de poder (influencia 70, alineación 40)" in texts
    assert "Abrió la encuesta de red “Ronda 1” para 2 socios" in texts
    assert "Creó un enlace de encuesta para “Clinic”" in texts
    assert "“Clinic” respondió la encuesta de red y nombró a 1 socio" in texts
    assert "Cerró la encuesta de red “Ronda 1”" in texts
    assert "Tomó la instantánea “Base” (3 actores, 2 vínculos)" in texts
    assert "Quitó “School” del mapa del ecosistema" in texts
    assert "Quitó “School” del mapa del ecosistema (también se quitó: vínculo)" in texts
    assert not [text for text in texts if RAW_CODE.search(text)], texts
    assert not [text for text in texts if re.search(r"\bTie \d+", text)], texts


def test_an_archived_actor_says_why_it_was_kept(world: Any) -> None:
    admin = world.people["admin"]
    clinic, church = actor(world, "Clinic"), actor(world, "Church")
    _survey, links = services.create_survey(
        coalition=world.a, user=admin, title="Round 1", actors=[clinic, church]
    )
    token = next(token for invitation, token in links if invitation.actor == clinic)
    services.submit_network_survey(
        token=token,
        answers=[services.TieAnswer(partner_id=church.pk, intensity=2, frequency="monthly")],
    )
    assert services.delete_actor(actor=church, user=admin) == "archived"
    services.restore_actor(actor=church, user=admin)
    texts = log_texts(world, "en")
    assert (
        "Archived “Church” instead of removing it: 1 partner ties and 0 survey answers refer to it"
    ) in texts
    assert "Restored “Church” to the ecosystem map" in texts


def test_the_class_name_and_id_of_a_removed_row_never_show(world: Any) -> None:
    """The row as ``delete_with_audit`` stores it for a dependent row."""
    clinic = actor(world, "Clinic")
    record_audit(
        coalition=world.a,
        actor=None,
        action=AuditEvent.Action.DELETE,
        obj=clinic,
        summary="Deleted the snapshot Base: removed SurveyInvitation 12 with it",
    )
    assert log_texts(world, "es")[0] == (
        "Eliminó la instantánea “Base” (también se quitó: enlace de encuesta)"
    )


def test_the_services_store_event_codes_with_names(world: Any) -> None:
    admin = world.people["admin"]
    clinic, church = actor(world, "Clinic"), actor(world, "Church")
    services.record_tie(coalition=world.a, user=admin, from_actor=clinic, to_actor=church)
    services.place_on_power_map(actor=church, user=admin, influence=70, alignment=40)
    survey, _links = services.create_survey(
        coalition=world.a, user=admin, title="Round 1", actors=[clinic, church]
    )
    services.close_survey(survey=survey, user=admin)
    services.take_snapshot(coalition=world.a, user=admin, name="Base")
    with scope(coalition=world.a):
        stored = {
            row.event: row.params
            for row in AuditEvent.objects.filter(coalition=world.a).exclude(event="").order_by("id")
        }
    assert stored["ecosystem.actor_added"] == {"name": "Church"}
    assert stored["ecosystem.tie_saved"] == {"from_name": "Clinic", "to_name": "Church"}
    assert stored["ecosystem.power_map_placed"] == {
        "name": "Church",
        "influence": 70,
        "alignment": 40,
    }
    assert stored["ecosystem.survey_opened"] == {"title": "Round 1", "invited": 2}
    assert stored["ecosystem.survey_link_created"]["name"] in {"Clinic", "Church"}
    assert stored["ecosystem.survey_closed"] == {"title": "Round 1"}
    assert stored["ecosystem.snapshot_taken"] == {"name": "Base", "actors": 2, "ties": 1}
