"""Roadmap progress and proposed actions, worked by hand."""

from __future__ import annotations

import pytest

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.ratings import DisagreementRank, FactorScore
from commonground.assessments.domain.roadmap import (
    CoalitionFacts,
    chapter_progress,
    propose_actions,
)
from commonground.assessments.domain.roles import RoleGap
from commonground.framework import CHAPTERS

ROLES = ("organizing", "services", "advocating", "advising")
TACTICS = ("trust", "create_shared_measurement", "governance_funding_model")


def test_chapters_and_steps_are_the_frameworks() -> None:
    chapters = chapter_progress(CoalitionFacts())
    assert [c.chapter_id for c in chapters] == [c.id for c in CHAPTERS]
    for progress, chapter in zip(chapters, CHAPTERS, strict=True):
        assert progress.next_steps == tuple(step.id for step in chapter.steps)


def test_empty_coalition_has_no_progress() -> None:
    chapters = chapter_progress(CoalitionFacts())
    assert [c.chapter_id for c in chapters] == [
        "understand_health_equity",
        "define_your_role",
        "focus_collaborative_efforts",
        "sustain_collaboration_capacity",
    ]
    assert all(c.progress == 0.0 and c.done_steps == () for c in chapters)


def test_progress_worked_by_hand() -> None:
    facts = CoalitionFacts(
        actor_count=12,
        tie_count=20,
        indicator_count=0,
        listening_session_count=2,
        focus_area_count=3,
        is_vision_described=True,
        role_ids=ROLES,
        decided_role_ids=frozenset(ROLES),
        open_role_gap_count=2,
        invited_partner_count=1,
        answered_assessments=frozenset({"stage", "pillars", "domains"}),
        tactic_ids=TACTICS,
        tactic_ids_started=frozenset({"trust", "create_shared_measurement"}),
        tactic_ids_in_place=frozenset({"create_shared_measurement"}),
    )
    one, two, three, four = chapter_progress(facts)
    # Chapter 1: 4 of 5 (no indicator yet).
    assert one.progress == 0.8
    assert one.next_steps == ("understand_health_equity_step_health_status",)
    # Chapter 2: domains written and all 4 roles decided: 3 of 3.
    assert two.progress == 1.0
    # Chapter 3: functions, role matrix, partners: 3 of 5 (no decision points, no
    # second round).
    assert three.next_steps == (
        "focus_collaborative_efforts_step_tradeoffs",
        "focus_collaborative_efforts_step_revisit",
    )
    assert three.progress == 0.6
    # Chapter 4: stage, pillars, a tactic started; governance not in place: 3 of 4.
    assert four.next_steps == ("sustain_collaboration_capacity_step_metrics_governance",)
    assert four.progress == 0.75


def test_metrics_and_governance_need_both_tactics_in_place() -> None:
    both = frozenset({"create_shared_measurement", "governance_funding_model"})
    facts = CoalitionFacts(tactic_ids=TACTICS, tactic_ids_started=both, tactic_ids_in_place=both)
    assert chapter_progress(facts)[3].done_steps[-1] == (
        "sustain_collaboration_capacity_step_metrics_governance"
    )


def test_revisit_needs_a_repeated_round() -> None:
    facts = CoalitionFacts(repeated_assessments=frozenset({"pillars"}))
    assert "focus_collaborative_efforts_step_revisit" in chapter_progress(facts)[2].done_steps


def test_ecosystem_needs_five_actors_and_four_ties() -> None:
    step = "understand_health_equity_step_ecosystem_map"
    assert chapter_progress(CoalitionFacts(actor_count=4, tie_count=9))[0].done_steps == ()
    assert chapter_progress(CoalitionFacts(actor_count=5, tie_count=3))[0].done_steps == ()
    assert chapter_progress(CoalitionFacts(actor_count=5, tie_count=4))[0].done_steps == (step,)


def test_roles_decided_needs_every_role() -> None:
    facts = CoalitionFacts(role_ids=ROLES, decided_role_ids=frozenset(ROLES[:3]))
    assert "define_your_role_step_future_roles" in chapter_progress(facts)[1].next_steps


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"actor_count": -1}, "actor_count is -1"),
        ({"decided_role_ids": frozenset({"x"})}, r"decided roles \['x'\]"),
        ({"tactic_ids_in_place": frozenset({"t"})}, r"tactics in place \['t'\]"),
        ({"answered_assessments": frozenset({"quiz"})}, r"answered assessments \['quiz'\]"),
        ({"tactic_ids_started": frozenset({"t"})}, r"tactics started \['t'\]"),
    ],
)
def test_bad_facts_are_named(facts: dict[str, object], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        CoalitionFacts(**facts)  # type: ignore[arg-type]


def test_actions_from_every_kind_of_gap_are_ordered_by_priority() -> None:
    actions = propose_actions(
        next_stage_id="scaling",
        missing_infrastructure_ids=["impact_reports", "success_stories"],
        voice_gap_item_ids=["trust_q2"],
        pillar_means={"trust": 3.4, "power": 4.5, "data": 4.5, "resources": 2.9},
        role_gaps=[RoleGap("housing", "funding"), RoleGap("food", "funding")],
        missing_sector_ids=["transit"],
        disagreements=[
            DisagreementRank("upstream", 1, 40.0, 0.8, is_wide=True),
            DisagreementRank("local", 2, 10.0, 0.2, is_wide=False),
        ],
        factor_scores=[
            FactorScore("governance", "overall", 2.5, "concern", False),
            FactorScore("governance", "community", 2.0, "concern", False),
            FactorScore("vision", "overall", 4.2, "strength", False),
        ],
        weakest_pillar_count=2,
    )
    # Weakest pillars: power and data tie at 4.5 (by id: data, power); trust is third
    # and left out by the count of 2; resources (2.9) is not weak.
    assert [(a.priority, a.source_key) for a in actions] == [
        (1, "infrastructure:impact_reports"),
        (1, "infrastructure:success_stories"),
        (1, "voice_gap:trust_q2"),
        (1, "pillar:data"),
        (1, "pillar:power"),
        (2, "role:funding"),
        (2, "decision:upstream"),
        (2, "factor:governance"),
        (3, "sector:transit"),
    ]
    role = next(a for a in actions if a.source_key == "role:funding")
    assert dict(role.params) == {"role_id": "funding", "focus_area_ids": "housing,food"}
    assert role.owner_member_type == "backbone"
    assert actions[-1].owner_member_type == "partner"


def test_no_gaps_no_actions() -> None:
    assert propose_actions() == ()


def test_repeated_sources_are_proposed_once() -> None:
    actions = propose_actions(missing_sector_ids=["transit", "transit"])
    assert len(actions) == 1


def test_infrastructure_without_next_stage_is_rejected() -> None:
    with pytest.raises(ScoringError, match="without the next stage id"):
        propose_actions(missing_infrastructure_ids=["x"])


def test_pillar_mean_out_of_range_is_named() -> None:
    with pytest.raises(ScoringError, match=r"pillar 'trust': mean 7\.0 is outside 1 to 5"):
        propose_actions(pillar_means={"trust": 7.0})
