"""The stage rule, worked by hand."""

from __future__ import annotations

import pytest

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.stage import (
    StageAnswers,
    StageDefinition,
    assess_stage,
    assess_stage_by_member_type,
)

STAGES = (
    StageDefinition("emerging", ("e1",), ("c_emerging",)),
    StageDefinition("forming", ("f1", "f2", "f3")),
    StageDefinition("scaling", ("s1", "s2", "s3")),
    StageDefinition("sustaining", ("u1", "u2")),
    StageDefinition("transforming", ("t1",)),
)


def answers(*marks: str, member_type: str = "partner") -> list[StageAnswers]:
    """One respondent per string; items are space-separated ids."""
    return [StageAnswers(member_type, frozenset(mark.split())) for mark in marks]


def test_hand_worked_stage_is_forming_with_scaling_next_steps() -> None:
    # 6 respondents.
    # forming: f1 marked by 3 (3/6 = 1/2, in place at exactly half), f2 by 6 (in
    #          place), f3 by 2 (2/6, not): 2 of 3 in place = 2/3, met exactly.
    # scaling: s1 by 4 (in place), s2 by 1, s3 by 0: 1 of 3 < 2/3, not met.
    # sustaining: u1, u2 by 6: met, but scaling is not reached, so not reached.
    # Stage: forming. Next steps: scaling's items not in place, s2 and s3.
    result = assess_stage(
        STAGES,
        answers(
            "f1 f2 f3 s1 u1 u2",
            "f1 f2 f3 s1 u1 u2",
            "f1 f2 s1 s2 u1 u2",
            "f2 s1 u1 u2",
            "f2 u1 u2",
            "f2 u1 u2",
        ),
    )
    assert result.respondent_count == 6
    assert result.stage_id == "forming"
    assert result.next_stage_id == "scaling"
    assert result.next_steps == ("s2", "s3")
    assert result.foundation_gaps == ("e1", "f3")
    by_stage = {status.stage_id: status for status in result.stages}
    assert by_stage["forming"].items_in_place == 2
    assert by_stage["forming"].is_met and by_stage["forming"].is_reached
    assert not by_stage["scaling"].is_met
    assert by_stage["sustaining"].is_met and not by_stage["sustaining"].is_reached
    shares = {item.item_id: item.share for item in result.items}
    assert shares["f1"] == 0.5 and shares["f3"] == pytest.approx(1 / 3)


def test_item_just_under_half_is_not_in_place() -> None:
    # 7 respondents, f1 and f2 marked by all, f3 by 3 (3/7 < 1/2): 2/3 met anyway;
    # s1 and s2 marked by 3 of 7: not in place, so scaling is not met.
    marks = ["f1 f2 f3 s1 s2"] * 3 + ["f1 f2"] * 4
    result = assess_stage(STAGES, answers(*marks))
    in_place = {item.item_id: item.is_in_place for item in result.items}
    assert in_place["f3"] is False
    assert result.stage_id == "forming"


def test_stage_needs_two_thirds_not_one_half() -> None:
    # sustaining has 2 items; only u1 in place = 1/2 < 2/3, not met.
    marks = ["f1 f2 f3 s1 s2 s3 u1"] * 5
    result = assess_stage(STAGES, answers(*marks))
    assert result.stage_id == "scaling"
    assert result.next_steps == ("u2",)


def test_nothing_in_place_is_emerging_at_the_least() -> None:
    result = assess_stage(STAGES, answers("", "", "", "", ""))
    assert result.stage_id == "emerging"
    assert result.next_stage_id == "forming"
    assert result.next_steps == ("f1", "f2", "f3")
    assert result.foundation_gaps == ("e1",)


def test_everything_in_place_is_transforming_with_no_next_step() -> None:
    everything = "e1 f1 f2 f3 s1 s2 s3 u1 u2 t1"
    result = assess_stage(STAGES, answers(*[everything] * 5))
    assert result.stage_id == "transforming"
    assert result.next_stage_id is None
    assert result.next_steps == ()


def test_characteristics_share_does_not_move_the_stage() -> None:
    result = assess_stage(STAGES, answers(*["c_emerging"] * 3, "", ""))
    emerging = result.stages[0]
    assert emerging.characteristics_share == pytest.approx(0.6)
    assert result.stages[1].characteristics_share is None


def test_four_respondents_are_suppressed_and_five_are_not() -> None:
    four = assess_stage(STAGES, answers(*["f1 f2 f3"] * 4))
    assert four.is_suppressed
    assert four.stage_id is None and four.items == () and four.respondent_count is None
    five = assess_stage(STAGES, answers(*["f1 f2 f3"] * 5))
    assert not five.is_suppressed
    assert five.stage_id == "forming"


def test_by_member_type_hides_small_and_complementary_views() -> None:
    # 6 residents, 6 partners, 2 backbone. Backbone is small; partner is hidden as
    # its complement (institutional 8 - partner 6 = 2).
    data = (
        answers(*["f1 f2 f3"] * 6, member_type="community")
        + answers(*[""] * 6, member_type="partner")
        + answers("", "", member_type="backbone")
    )
    views = {view.view: view for view in assess_stage_by_member_type(STAGES, data)}
    assert views["community"].result.stage_id == "forming"
    assert views["institutional"].result.stage_id == "emerging"
    assert views["overall"].result.respondent_count == 14
    assert views["backbone"].is_suppressed and views["partner"].is_suppressed


@pytest.mark.parametrize(
    ("stages", "data", "message"),
    [
        ((), [], "no stages given"),
        (
            (StageDefinition("emerging", ()), StageDefinition("forming", ())),
            [],
            "stage 'forming' has no infrastructure items",
        ),
        (
            (StageDefinition("emerging", ("x",)), StageDefinition("forming", ("x",))),
            [],
            "item 'x' appears in stage 'emerging' and stage 'forming'",
        ),
        (STAGES, answers("f1 zz"), r"respondent 1 marked unknown items \['zz'\]"),
        (STAGES, answers("f1", member_type="mayor"), "member type 'mayor'"),
    ],
)
def test_bad_input_is_named(
    stages: tuple[StageDefinition, ...], data: list[StageAnswers], message: str
) -> None:
    with pytest.raises(ScoringError, match=message):
        assess_stage(stages, data)


def test_stage_voice_gap_is_flagged_at_a_quarter_exactly() -> None:
    from commonground.assessments.domain.stage import stage_voice_gaps

    # 8 residents: 2 mark f1 (1/4); 8 partners: 4 mark f1 (1/2): gap -1/4, flagged.
    # f2: residents 4/8, partners 5/8: gap -1/8, not flagged.
    residents = answers(*(["f1 f2"] * 2 + ["f2"] * 2 + [""] * 4), member_type="community")
    partners = answers(*(["f1 f2"] * 4 + ["f2"] + [""] * 3), member_type="partner")
    gaps = {
        g.item_id: g
        for g in stage_voice_gaps(assess_stage_by_member_type(STAGES, residents + partners))
    }
    assert gaps["f1"].gap == -0.25 and gaps["f1"].is_flagged
    assert gaps["f2"].gap == -0.125 and not gaps["f2"].is_flagged


def test_stage_voice_gap_is_empty_when_residents_are_four() -> None:
    from commonground.assessments.domain.stage import stage_voice_gaps

    residents = answers(*(["f1"] * 4), member_type="community")
    partners = answers(*(["f1"] * 6), member_type="partner")
    assert stage_voice_gaps(assess_stage_by_member_type(STAGES, residents + partners)) == ()
