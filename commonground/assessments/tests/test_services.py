"""Writes on a real database: bad input gets a clear message and saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from commonground.assessments import services
from commonground.assessments.models import (
    ActionItem,
    AnonymousResponse,
    Assessment,
    Participation,
    Response,
)
from commonground.coalitions.models import AuditEvent, Membership


def seat(world: Any, persona: str, coalition: Any = None) -> Membership:
    coalition = coalition or world.a
    with scope(coalition=coalition):
        return Membership.objects.get(coalition=coalition, user=world.people[persona])


def open_pillars(world: Any, *, anonymous: bool = True) -> Assessment:
    with scope(coalition=world.a):
        return services.open_round(
            coalition=world.a,
            actor=world.people["admin"],
            kind="pillars",
            round_number=2026,
            is_anonymous=anonymous,
        )


def counts(world: Any) -> tuple[int, int]:
    """Answers (both tables) and audit rows."""
    with scope(coalition=world.a):
        answers = Response.objects.count() + AnonymousResponse.objects.count()
        return answers, AuditEvent.objects.count()


def test_submit_response_records_answers_and_one_audit_row(world: Any) -> None:
    assessment = open_pillars(world, anonymous=False)
    before = counts(world)
    with scope(coalition=world.a):
        response = services.submit_response(
            assessment=assessment,
            membership=seat(world, "resident"),
            answers={"ratings": {"trust": 4}, "notes": {"trust": "  Meetings are downtown. "}},
        )
        assert response.member_type == "community"
        assert response.answers == {
            "ratings": {"trust": 4},
            "notes": {"trust": "Meetings are downtown."},
        }
        assert response.respondent == seat(world, "resident")
    assert counts(world) == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"ratings": {"trust": 6}}, "rating for item 'trust' is 6; expected 1 to 5"),
        ({"ratings": {"trust": 0}}, "rating for item 'trust' is 0; expected 1 to 5"),
        (
            {"ratings": {"trust": "four"}},
            "rating for item 'trust' is 'four'; expected a whole number",
        ),
        ({"ratings": {"bogus": 3}}, "unknown items ['bogus']"),
        ({"ratings": {}}, "Answer at least one question"),
        ({"ratings": {"trust": 3}, "extra": 1}, "unexpected answer fields ['extra']"),
        ("not an object", "answers must be an object"),
    ],
)
def test_bad_answers_are_named_and_nothing_is_saved(world: Any, answers: Any, message: str) -> None:
    assessment = open_pillars(world)
    before = counts(world)
    with scope(coalition=world.a), pytest.raises(ValidationError) as caught:
        services.submit_response(
            assessment=assessment, membership=seat(world, "partner"), answers=answers
        )
    assert message in " ".join(caught.value.messages)
    assert counts(world) == before
    with scope(coalition=world.a):
        assert not Participation.objects.filter(assessment=assessment).exists()


def test_second_submission_is_refused(world: Any) -> None:
    assessment = open_pillars(world)
    partner = seat(world, "partner")
    with scope(coalition=world.a):
        services.submit_response(
            assessment=assessment, membership=partner, answers={"ratings": {"trust": 3}}
        )
    before = counts(world)
    with scope(coalition=world.a), pytest.raises(ValidationError, match="already answered"):
        services.submit_response(
            assessment=assessment, membership=partner, answers={"ratings": {"trust": 5}}
        )
    assert counts(world) == before


def test_closed_round_refuses_answers(world: Any) -> None:
    assessment = open_pillars(world)
    with scope(coalition=world.a):
        services.close_round(assessment=assessment, actor=world.people["admin"])
    before = counts(world)
    with (
        scope(coalition=world.a),
        pytest.raises(services.LockedError, match="round is closed, so it takes no more answers"),
    ):
        services.submit_response(
            assessment=assessment,
            membership=seat(world, "partner"),
            answers={"ratings": {"trust": 3}},
        )
    assert counts(world) == before


def test_non_member_and_viewer_cannot_answer(world: Any) -> None:
    assessment = open_pillars(world)
    outsider = seat(world, "outsider", world.b)
    before = counts(world)
    with (
        scope(coalition=world.a),
        pytest.raises(ValidationError, match="Only members of this coalition"),
    ):
        services.submit_response(
            assessment=assessment, membership=outsider, answers={"ratings": {"trust": 3}}
        )
    with scope(coalition=world.a), pytest.raises(ValidationError, match="Viewers"):
        services.submit_response(
            assessment=assessment,
            membership=seat(world, "viewer"),
            answers={"ratings": {"trust": 3}},
        )
    assert counts(world) == before


def test_open_round_rejects_duplicates_and_shared_records(world: Any) -> None:
    open_pillars(world)
    with scope(coalition=world.a):
        with pytest.raises(ValidationError, match="already a 2026 round"):
            services.open_round(coalition=world.a, actor=None, kind="pillars", round_number=2026)
        with pytest.raises(ValidationError, match="Close the open round"):
            services.open_round(coalition=world.a, actor=None, kind="pillars", round_number=2027)
        with pytest.raises(ValidationError, match="Choose one of the exercises"):
            services.open_round(
                coalition=world.a, actor=None, kind="role_matrix", round_number=2026
            )
        with pytest.raises(ValidationError, match="from 2000 to 2100"):
            services.open_round(coalition=world.a, actor=None, kind="stage", round_number=26)


def test_paper_answers_are_entered_without_a_respondent(world: Any) -> None:
    named = open_pillars(world, anonymous=False)
    with scope(coalition=world.a):
        response = services.enter_paper_response(
            assessment=named,
            actor=world.people["admin"],
            member_type="community",
            answers={"ratings": {"trust": 5}},
        )
        assert isinstance(response, Response)
        assert response.is_paper and response.respondent is None
        stage = services.open_round(coalition=world.a, actor=None, kind="stage", round_number=2026)
        paper = services.enter_paper_response(
            assessment=stage,
            actor=world.people["admin"],
            member_type="partner",
            answers={"marked": ["forming_infra_roadmap"]},
        )
        assert isinstance(paper, AnonymousResponse) and paper.is_paper
        # The audit row points at the round, not at a row of the anonymous table.
        audit = AuditEvent.objects.order_by("-id").first()
        assert audit.object_type == "Assessment" and audit.object_id == str(stage.pk)
        assessment = named
        with pytest.raises(ValidationError, match="Choose community member"):
            services.enter_paper_response(
                assessment=assessment,
                actor=world.people["admin"],
                member_type="funder",
                answers={"ratings": {"trust": 5}},
            )


def test_stage_answers_must_name_stage_items(world: Any) -> None:
    with scope(coalition=world.a):
        stage = services.open_round(coalition=world.a, actor=None, kind="stage", round_number=2026)
        response = services.submit_response(
            assessment=stage, membership=seat(world, "resident"), answers={"marked": []}
        )
        assert response.answers == {"marked": []}
        with pytest.raises(ValidationError, match=r"unknown items \['trust'\]"):
            services.submit_response(
                assessment=stage, membership=seat(world, "partner"), answers={"marked": ["trust"]}
            )


def test_agreed_position_is_validated(world: Any) -> None:
    with scope(coalition=world.a):
        points = services.open_round(
            coalition=world.a, actor=None, kind="decision_points", round_number=2026
        )
        admin = seat(world, "admin")
        with pytest.raises(ValidationError, match="0 to 100"):
            services.record_agreed_position(
                assessment=points,
                membership=admin,
                decision_point_id="focus",
                position=101,
                rationale="x",
            )
        with pytest.raises(ValidationError, match="Say why"):
            services.record_agreed_position(
                assessment=points,
                membership=admin,
                decision_point_id="focus",
                position=40,
                rationale=" ",
            )
        agreed = services.record_agreed_position(
            assessment=points,
            membership=admin,
            decision_point_id="focus",
            position=40,
            rationale="Start narrow.",
        )
        assert agreed.position == 40


def test_accepting_the_same_proposal_twice_is_refused(world: Any) -> None:
    with scope(coalition=world.a):
        services.accept_action(
            coalition=world.a,
            actor=world.people["admin"],
            title="Map the ecosystem",
            source_key="sector:housing",
            owner=seat(world, "partner"),
        )
        with pytest.raises(ValidationError, match="already in the action plan"):
            services.accept_action(
                coalition=world.a,
                actor=world.people["admin"],
                title="Again",
                source_key="sector:housing",
            )
        with pytest.raises(ValidationError, match="owner must be a member"):
            services.accept_action(
                coalition=world.a,
                actor=world.people["admin"],
                title="x",
                owner=seat(world, "outsider", world.b),
            )
        assert ActionItem.objects.count() == 1
