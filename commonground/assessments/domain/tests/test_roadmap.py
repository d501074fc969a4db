"""Roadmap steps, ranked proposals and the overdue rule, worked by hand."""

from __future__ import annotations

import datetime

import pytest

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.ratings import DisagreementRank, FactorScore
from commonground.assessments.domain.roadmap import (
    ASSESSED_CHAPTER_IDS,
    CoalitionFacts,
    chapter_progress,
    is_overdue,
    propose_actions,
)
from commonground.assessments.domain.roles import RoleGap
from commonground.framework import CHAPTERS

ROLES = ("organizing", "services", "advocating", "advising")
TACTICS = ("trust", "create_shared_measurement", "governance_funding_model")


def test_chapters_2_to_4_and_their_steps_are_the_frameworks() -> None:
    chapters = chapter_progress(CoalitionFacts())
    assert [c.chapter_id for c in chapters] == list(ASSESSED_CHAPTER_IDS)
    assert [c.chapter_id for c in chapters] == [c.id for c in CHAPTERS[1:]]
    for progress, chapter in zip(chapters, CHAPTERS[1:], strict=True):
        assert progress.next_steps == tuple(step.id for step in chapter.steps)


def test_empty_coalition_has_no_progress() -> None:
    chapters = chapter_progress(CoalitionFacts())
    assert all(c.progress == 0.0 and c.done_steps == () for c in chapters)


def test_progress_worked_by_hand() -> None:
    facts = CoalitionFacts(
        focus_area_count=3,
        role_ids=ROLES,
        decided_role_ids=frozenset(ROLES),
        open_role_gap_count=2,
        invited_partner_count=1,
        answered_assessments=frozenset({"stage", "pillars", "domains"}),
        tactic_ids=TACTICS,
        tactic_ids_started=frozenset({"trust", "create_shared_measurement"}),
        tactic_ids_in_place=frozenset({"create_shared_measurement"}),
    )
    two, three, four = chapter_progress(facts)
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
    assert chapter_progress(facts)[2].done_steps[-1] == (
        "sustain_collaboration_capacity_step_metrics_governance"
    )
    one = CoalitionFacts(
        tactic_ids=TACTICS,
        tactic_ids_started=both,
        tactic_ids_in_place=frozenset({"create_shared_measurement"}),
    )
    assert "sustain_collaboration_capacity_step_metrics_governance" in (
        chapter_progress(one)[2].next_steps
    )


def test_revisit_needs_a_repeated_round() -> None:
    facts = CoalitionFacts(repeated_assessments=frozenset({"pillars"}))
    assert "focus_collaborative_efforts_step_revisit" in chapter_progress(facts)[1].done_steps


def test_roles_decided_needs_every_role() -> None:
    facts = CoalitionFacts(role_ids=ROLES, decided_role_ids=frozenset(ROLES[:3]))
    assert "define_your_role_step_future_roles" in chapter_progress(facts)[0].next_steps


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"focus_area_count": -1}, "focus_area_count is -1"),
        ({"invited_partner_count": True}, "invited_partner_count is True"),
        ({"decided_role_ids": frozenset({"x"})}, r"decided roles \['x'\]"),
        ({"tactic_ids_in_place": frozenset({"t"})}, r"tactics in place \['t'\]"),
        ({"answered_assessments": frozenset({"quiz"})}, r"answered assessments \['quiz'\]"),
        ({"tactic_ids_started": frozenset({"t"})}, r"tactics started \['t'\]"),
    ],
)
def test_bad_facts_are_named(facts: dict[str, object], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        CoalitionFacts(**facts)  # type: ignore[arg-type]


def test_actions_from_every_kind_of_gap_are_ranked_by_impact() -> None:
    actions = propose_actions(
        infrastructure_stage_id="forming",
        # 0.2 of members see the shared agenda in place, 0.45 the governance: the
        # agenda is the larger gap and comes first.
        missing_infrastructure={"governance": 0.45, "shared_agenda": 0.2},
        voice_gaps={"trust_q2": -0.3, "power_q1": 0.6},
        pillar_means={"trust": 3.4, "power": 4.5, "data": 4.5, "resources": 2.9},
        # funding is needed in one focus area, advocating in three.
        role_gaps=[
            RoleGap("housing", "funding"),
            RoleGap("housing", "advocating"),
            RoleGap("food", "advocating"),
            RoleGap("asthma", "advocating"),
        ],
        missing_sector_ids=["transit", "faith"],
        disagreements=[
            DisagreementRank("upstream", 1, 30.0, 0.6, is_wide=True),
            DisagreementRank("geography", 2, 35.0, 0.7, is_wide=True),
            DisagreementRank("local", 3, 10.0, 0.2, is_wide=False),
        ],
        factor_scores=[
            FactorScore("governance", "overall", 2.5, "concern", False),
            FactorScore("funding", "overall", 2.1, "concern", False),
            FactorScore("governance", "community", 2.0, "concern", False),
            FactorScore("vision", "overall", 4.2, "strength", False),
        ],
        weakest_pillar_count=2,
    )
    # Weakest pillars: power and data tie at 4.5 (by id: data, power), both high;
    # trust is third and left out by the count of 2; resources (2.9) is not weak.
    assert [(a.rank, a.priority, a.source_key) for a in actions] == [
        (1, 1, "infrastructure:shared_agenda"),
        (2, 1, "infrastructure:governance"),
        (3, 1, "voice_gap:power_q1"),
        (4, 1, "voice_gap:trust_q2"),
        (5, 1, "pillar:data"),
        (6, 1, "pillar:power"),
        (7, 2, "role:advocating"),
        (8, 2, "role:funding"),
        (9, 2, "decision:geography"),
        (10, 2, "decision:upstream"),
        (11, 2, "factor:funding"),
        (12, 2, "factor:governance"),
        (13, 3, "sector:transit"),
        (14, 3, "sector:faith"),
    ]
    role = next(a for a in actions if a.source_key == "role:advocating")
    assert dict(role.params) == {"role_id": "advocating", "focus_area_ids": "housing,food,asthma"}
    assert role.owner_member_type == "backbone"
    assert actions[-1].owner_member_type == "partner"
    stage = actions[0]
    assert dict(stage.params) == {"stage_id": "forming", "item_id": "shared_agenda"}


def test_a_medium_pillar_ranks_after_every_high_priority_proposal() -> None:
    actions = propose_actions(
        pillar_means={"trust": 3.9},
        voice_gaps={"x": 0.25},
        missing_sector_ids=["transit"],
    )
    assert [a.source_key for a in actions] == ["voice_gap:x", "pillar:trust", "sector:transit"]


def test_no_gaps_no_actions() -> None:
    assert propose_actions() == ()


def test_repeated_sources_are_proposed_once() -> None:
    actions = propose_actions(missing_sector_ids=["transit", "transit"])
    assert [(a.rank, a.source_key) for a in actions] == [(1, "sector:transit")]


def test_infrastructure_without_its_stage_is_rejected() -> None:
    with pytest.raises(ScoringError, match="without the stage it belongs to"):
        propose_actions(missing_infrastructure={"x": 0.0})


def test_infrastructure_share_out_of_range_is_named() -> None:
    with pytest.raises(ScoringError, match=r"infrastructure 'x': share 1\.5 is outside 0 to 1"):
        propose_actions(infrastructure_stage_id="forming", missing_infrastructure={"x": 1.5})


def test_pillar_mean_out_of_range_is_named() -> None:
    with pytest.raises(ScoringError, match=r"pillar 'trust': mean 7\.0 is outside 1 to 5"):
        propose_actions(pillar_means={"trust": 7.0})


@pytest.mark.parametrize(
    ("due_on", "status", "overdue"),
    [
        (datetime.date(2026, 5, 15), "open", True),
        (datetime.date(2026, 7, 1), "in_progress", True),
        (datetime.date(2026, 11, 29), "open", True),  # yesterday
        (datetime.date(2026, 11, 30), "open", False),  # due today
        (datetime.date(2026, 12, 1), "open", False),
        (datetime.date(2026, 5, 15), "done", False),
        (None, "open", False),
    ],
)
def test_overdue_is_past_due_and_not_done(
    due_on: datetime.date | None, status: str, overdue: bool
) -> None:
    today = datetime.date(2026, 11, 30)
    assert is_overdue(due_on=due_on, status=status, today=today) is overdue
