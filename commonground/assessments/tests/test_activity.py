"""The activity log names assessment exercises, tactics, decision points and statuses in
the reader's language, never by their codes.

The rows are written by the real assessment services, which store English summaries with
codes in them ("Tactic support_community_led_activities: not_started", "Opened the 2026
round of decision_points"): the issue's two examples, reproduced.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django_scopes import scope

from commonground.assessments import services
from commonground.assessments.models import ActionItem
from commonground.coalitions.models import AuditEvent, Membership

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


def seat(world: Any, persona: str) -> Membership:
    with scope(coalition=world.a):
        return Membership.objects.get(coalition=world.a, user=world.people[persona])


@pytest.fixture
def history(world: Any) -> list[AuditEvent]:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        points = services.open_round(
            coalition=world.a,
            actor=admin,
            kind="decision_points",
            round_number=2026,
            is_anonymous=False,
        )
        services.close_round(assessment=points, actor=admin)
        services.reopen_round(assessment=points, membership=seat(world, "admin"))
        pillars = services.open_round(
            coalition=world.a, actor=admin, kind="pillars", round_number=2026, is_anonymous=True
        )
        services.submit_response(
            assessment=pillars,
            membership=seat(world, "resident"),
            answers={"ratings": {"trust": 4}},
        )
        services.enter_paper_response(
            assessment=pillars,
            actor=admin,
            member_type="partner",
            answers={"ratings": {"trust": 2}},
        )
        services.set_tactic_status(
            coalition=world.a,
            actor=admin,
            tactic_id="support_community_led_activities",
            status="not_started",
        )
        services.set_tactic_status(
            coalition=world.a,
            actor=admin,
            tactic_id="support_community_led_activities",
            status="in_progress",
        )
        item = services.accept_action(coalition=world.a, actor=admin, title="Pay residents")
        services.update_action(
            item=item, actor=admin, expected=item.version, status=ActionItem.Status.DONE
        )
        return list(AuditEvent.objects.filter(coalition=world.a).order_by("id"))


def test_the_stored_rows_carry_the_codes_the_issue_saw(history: list[AuditEvent]) -> None:
    summaries = [row.summary for row in history]
    assert "Opened the 2026 round of decision_points" in summaries
    assert "Tactic support_community_led_activities: not_started" in summaries


def test_the_log_reads_in_spanish_with_names_and_no_codes(
    world: Any, history: list[AuditEvent]
) -> None:
    texts = log_texts(world, "es")
    assert "Abrió la ronda 2026 de “Puntos de decisión”" in texts
    assert "Cerró la ronda 2026 de “Puntos de decisión” y publicó sus resultados" in texts
    assert "Reabrió la ronda 2026 de “Puntos de decisión”" in texts
    assert "Abrió la ronda 2026 de “Revisión de pilares”, con respuestas anónimas" in texts
    assert "Se registró una respuesta anónima a la ronda 2026 de “Revisión de pilares”" in texts
    assert (
        "Ingresó una hoja de trabajo en papel para la ronda 2026 de “Revisión de pilares” "
        "(Socio institucional)"
    ) in texts
    tactic = "“Apoyar actividades lideradas por la comunidad que se refuercen entre sí”"
    assert f"Táctica de capacidad {tactic}: Sin empezar" in texts
    assert f"Táctica de capacidad {tactic}: Sin empezar → En curso" in texts
    assert "Agregó la acción “Pay residents” al plan de acción" in texts
    assert "Acción “Pay residents”: Abierta → Hecho" in texts
    assert not [text for text in texts if RAW_CODE.search(text)], texts


def test_the_log_reads_in_english_with_names(world: Any, history: list[AuditEvent]) -> None:
    texts = log_texts(world, "en")
    assert "Opened the 2026 round of “Decision points”" in texts
    assert (
        "Capacity tactic “Support community-led, mutually reinforcing activities”: "
        "Not started → In progress"
    ) in texts
    assert not [text for text in texts if RAW_CODE.search(text)], texts


def test_an_agreed_position_names_its_decision_point(world: Any) -> None:
    """Rows as the agreed-position service writes them (decision point id in the summary)."""
    with scope(coalition=world.a):
        points = services.open_round(
            coalition=world.a,
            actor=world.people["admin"],
            kind="decision_points",
            round_number=2026,
        )
        services.close_round(assessment=points, actor=world.people["admin"])
        services.record_agreed_position(
            assessment=points,
            membership=seat(world, "admin"),
            decision_point_id="geography",
            position=40,
            rationale="We work across three counties.",
        )
    texts = log_texts(world, "es")
    assert "Fijó la posición acordada sobre “Cambio de sistemas local o regional” en 40" in texts
