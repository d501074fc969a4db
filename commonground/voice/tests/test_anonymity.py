"""The anonymous tables hold nothing that points to a person, an address, a browser or a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.voice import services
from commonground.voice.models import AnswerSheet, PriorityBallot

FORBIDDEN_WORDS = (
    "ip",
    "address",
    "agent",
    "browser",
    "user",
    "membership",
    "person",
    "invit",
    "time",
    "date",
    "at",
    "on",
    "session",
    "token",
    "email",
)


@pytest.mark.parametrize("model", [AnswerSheet, PriorityBallot])
def test_anonymous_tables_have_no_link_to_a_person_and_no_time(model: type[models.Model]) -> None:
    fields = model._meta.get_fields()
    links = {
        f.name: f.related_model._meta.label for f in fields if f.is_relation and f.related_model
    }
    assert links == {
        "coalition": "coalitions.Coalition",
        **(
            {"wave": "voice.SurveyWave"}
            if model is AnswerSheet
            else {"round": "voice.PriorityRound"}
        ),
    }
    for field in fields:
        assert not isinstance(
            field,
            (
                models.DateField,
                models.DateTimeField,
                models.TimeField,
                models.GenericIPAddressField,
            ),
        )
        words = field.name.split("_")
        assert not any(word in FORBIDDEN_WORDS for word in words), field.name
    assert isinstance(model._meta.pk, models.UUIDField)  # a counter would give the order


def test_submitting_stores_only_the_answers_and_the_log_says_only_the_day(world: Any) -> None:
    import datetime

    coalition = world.a
    with scope(coalition=coalition):
        wave = services.open_wave(
            coalition=coalition,
            actor=world.people["admin"],
            title="W",
            opened_on=datetime.date(2026, 5, 1),
        )
    response = world.client_for("resident").post(
        f"/voice/survey/{wave.token}/",
        {"tru1": "4", "member_type": "community", "comment": "ok"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="SecretBrowser/1.0",
    )
    assert response.status_code == 200
    with scope(coalition=coalition):
        sheet = AnswerSheet.objects.get()
        values = {f.attname: getattr(sheet, f.attname) for f in AnswerSheet._meta.concrete_fields}
        log = AuditEvent.objects.filter(event="voice.survey_answered").get()
    assert "203.0.113.9" not in repr(values) and "SecretBrowser" not in repr(values)
    assert sheet.answers == {"tru1": 4}
    assert log.actor_id is None and log.actor_name == "" and log.anonymous
    assert (log.at.hour, log.at.minute, log.at.second) == (0, 0, 0)
