"""The stage rule, worked by hand."""

from __future__ import annotations

import pytest

from commonground import framework
from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.stage import (
    StageAnswers,
    StageDefinition,
    assess_stage,
    assess_stage_by_member_type,
    stage_voice_gaps,
)

# Four characteristics per stage (forming has five, as in the framework), a few
# infrastructure items each.
STAGES = (
    StageDefinition("emerging", ("e1",), ("ce1", "ce2", "ce3", "ce4")),
    StageDefinition("forming", ("f1", "f2", "f3"), ("cf1", "cf2", "cf3", "cf4", "cf5")),
    StageDefinition("scaling", ("s1", "s2", "s3"), ("cs1", "cs2", "cs3", "cs4")),
    StageDefinition("sustaining", ("u1", "u2"), ("cu1", "cu2", "cu3", "cu4")),
    StageDefinition("transforming", ("t1",), ("ct1", "ct2", "ct3", "ct4")),
)
FRAMEWORK_STAGES = tuple(
    StageDefinition(
        stage.id,
        tuple(item.id for item in stage.infrastructure),
        tuple(item.id for item in stage.characteristics),
    )
    for stage in framework.STAGES
)


def answers(*marks: str, member_type: str = "partner") -> list[StageAnswers]:
    """One respondent per string; items are space-separated ids."""
    return [StageAnswers(member_type, frozenset(mark.split())) for mark in marks]


def by_stage(result: object) -> dict[str, object]:
    return {status.stage_id: status for status in result.stages}  # type: ignore[attr-defined]


def test_plainly_forming_with_no_shared_agenda_yet_is_forming() -> None:
    """Issue 8: a coalition that plainly is forming but has no shared agenda yet.

    Six members, framework content. Everyone recognizes four of forming's five
    characteristics (working out partners, weaving views into one plan, a backbone
    taking shape, building trust); five recognize the fifth (community voices).
    Of emerging's four, only "a common issue draws people together" (6 of 6) and
    "first conversations across sectors" (4 of 6) are recognized: 2 of 4 is not more
    than half, so emerging is not recognized. Scaling's characteristics are marked
    by one member each (1/6): not recognized. Latest recognized stage: forming.

    Infrastructure: emerging's three are in place (6 of 6); of forming's seven only
    the ecosystem map (6 of 6), the roadmap (4 of 6) and the data needs (3 of 6, half)
    are in place; nobody marks the shared agenda. The former rule, which placed by
    infrastructure (two thirds of a stage's items in place), read 3 of 7 as "not
    formed" and said emerging. Now: forming, with forming's four missing items as
    next steps, the shared agenda first; no scaling infrastructure yet, readiness 0.
    """
    emerging = [item.id for item in framework.get_stage("emerging").infrastructure]
    forming_chars = [item.id for item in framework.get_stage("forming").characteristics]
    common = [
        *emerging,
        *forming_chars[:4],
        "emerging_char_unifying_factors",
        "forming_infra_ecosystem_map",
    ]
    marks = [
        [
            *common,
            forming_chars[4],
            "emerging_char_cross_sector_conversations",
            "forming_infra_roadmap",
            "forming_infra_data_needs",
        ],
        [
            *common,
            forming_chars[4],
            "emerging_char_cross_sector_conversations",
            "forming_infra_roadmap",
            "forming_infra_data_needs",
        ],
        [
            *common,
            forming_chars[4],
            "emerging_char_cross_sector_conversations",
            "forming_infra_roadmap",
            "forming_infra_data_needs",
            "emerging_char_low_trust",
        ],
        [
            *common,
            forming_chars[4],
            "emerging_char_cross_sector_conversations",
            "forming_infra_roadmap",
            "scaling_char_pooling_resources",
        ],
        [*common, forming_chars[4], "emerging_char_fragmented_leadership"],
        [*common, "scaling_char_consistent_messaging"],
    ]
    result = assess_stage(FRAMEWORK_STAGES, [StageAnswers("partner", frozenset(m)) for m in marks])
    stages = by_stage(result)
    assert stages["emerging"].characteristics_recognized == 2  # type: ignore[attr-defined]
    assert not stages["emerging"].is_recognized  # type: ignore[attr-defined]
    assert stages["forming"].characteristics_recognized == 5  # type: ignore[attr-defined]
    assert stages["forming"].items_in_place == 3  # type: ignore[attr-defined]
    assert not stages["scaling"].is_recognized  # type: ignore[attr-defined]
    assert result.stage_id == "forming" and result.is_recognized
    assert result.next_steps_stage_id == "forming"
    assert result.next_steps == (
        "forming_infra_shared_agenda",
        "forming_infra_common_metrics",
        "forming_infra_governance",
        "forming_infra_accountability",
    )
    assert result.next_stage_id == "scaling" and result.readiness == 0.0
    assert result.foundation_gaps == ()
    # The former rule's reading of the same answers: 3 of 7 < 2/3, so not formed.
    assert stages["forming"].in_place_share == pytest.approx(3 / 7)  # type: ignore[attr-defined]
    assert stages["forming"].in_place_share < 2 / 3  # type: ignore[attr-defined]


def test_latest_recognized_stage_wins_over_an_earlier_one() -> None:
    # 5 respondents. Emerging: all four characteristics by all (recognized, mean 1).
    # Forming: cf1-cf3 by 3 of 5 (recognized), cf4, cf5 by none: 3 of 5 > 1/2,
    # recognized, mean 9/25. The latest recognized stage is forming, even though
    # emerging is recognized more strongly. Forming's f1-f3 by 5: all in place, so
    # the next steps move on to scaling's items not in place (s1 by 2: not).
    marks = ["ce1 ce2 ce3 ce4 cf1 cf2 cf3 f1 f2 f3 s1"] * 2
    marks += ["ce1 ce2 ce3 ce4 cf1 cf2 cf3 f1 f2 f3"]
    marks += ["ce1 ce2 ce3 ce4 f1 f2 f3"] * 2
    result = assess_stage(STAGES, answers(*marks))
    stages = by_stage(result)
    assert stages["emerging"].is_recognized and stages["forming"].is_recognized  # type: ignore[attr-defined]
    assert stages["forming"].characteristics_share == pytest.approx(9 / 25)  # type: ignore[attr-defined]
    assert result.stage_id == "forming"
    assert result.next_steps_stage_id == "scaling"
    assert result.next_steps == ("s1", "s2", "s3")
    assert result.readiness == 0.0


def test_exactly_half_of_the_characteristics_is_not_most_of_them() -> None:
    # Scaling: cs1, cs2 by all 6; cs3, cs4 by 2 (1/3): 2 of 4 = 1/2, not more than half.
    # Forming: cf1-cf3 by all: 3 of 5, recognized.
    marks = ["cf1 cf2 cf3 cs1 cs2 cs3 cs4"] * 2 + ["cf1 cf2 cf3 cs1 cs2"] * 4
    result = assess_stage(STAGES, answers(*marks))
    assert not by_stage(result)["scaling"].is_recognized  # type: ignore[attr-defined]
    assert result.stage_id == "forming"
    # One more mark of cs3 (3 of 6 = 1/2, recognized): 3 of 4, scaling is recognized.
    marks[2] += " cs3"
    result = assess_stage(STAGES, answers(*marks))
    assert result.stage_id == "scaling" and result.is_recognized


def test_characteristic_marked_by_exactly_half_is_recognized_and_just_under_is_not() -> None:
    # 6 respondents: sustaining cu1-cu3 by 3 (3/6 = 1/2): recognized, 3 of 4.
    at_half = ["cu1 cu2 cu3"] * 3 + [""] * 3
    assert assess_stage(STAGES, answers(*at_half)).stage_id == "sustaining"
    # 7 respondents, 3 of 7 < 1/2: nothing recognized.
    under = ["cu1 cu2 cu3"] * 3 + [""] * 4
    result = assess_stage(STAGES, answers(*under))
    assert not any(status.is_recognized for status in result.stages)
    # Rule 4: the closest stage, sustaining (mean 9/28), tentatively.
    assert result.stage_id == "sustaining" and not result.is_recognized


def test_stages_need_not_be_recognized_in_a_row() -> None:
    # Emerging and forming are not recognized (nobody has low trust any more), scaling
    # is: the coalition is scaling. Its own infrastructure s1 is missing.
    marks = ["cs1 cs2 cs3 s2 s3 f1 f2 f3 e1"] * 5
    result = assess_stage(STAGES, answers(*marks))
    assert result.stage_id == "scaling"
    assert result.next_steps == ("s1",) and result.next_steps_stage_id == "scaling"
    assert result.foundation_gaps == ()
    assert result.readiness == 0.0  # sustaining's u1, u2: none in place


def test_when_no_stage_is_recognized_the_closest_one_is_taken_earlier_on_a_tie() -> None:
    # 5 respondents. Forming: cf1 by 5 (mean 5/25 = 1/5); scaling: cs1 by 4 (mean 4/20 =
    # 1/5). Equal means: the earlier stage, forming, tentatively.
    marks = ["cf1 cs1"] * 4 + ["cf1"]
    result = assess_stage(STAGES, answers(*marks))
    assert result.stage_id == "forming" and not result.is_recognized
    # With nothing marked at all: emerging, tentatively.
    empty = assess_stage(STAGES, answers("", "", "", "", ""))
    assert empty.stage_id == "emerging" and not empty.is_recognized
    assert empty.next_steps == ("e1",) and empty.next_steps_stage_id == "emerging"
    assert empty.readiness == 0.0


def test_infrastructure_shows_readiness_and_foundation_gaps() -> None:
    # Sustaining recognized (cu1-cu3 by all). Sustaining's u1 in place, u2 not: next
    # step u2. Transforming's t1 in place: readiness 1. Earlier stages: e1 and f2 in
    # place; f1, f3 and all of scaling's are foundation gaps, in stage order.
    marks = ["cu1 cu2 cu3 u1 t1 e1 f2"] * 5
    result = assess_stage(STAGES, answers(*marks))
    assert result.stage_id == "sustaining"
    assert result.next_steps == ("u2",)
    assert result.next_stage_id == "transforming" and result.readiness == 1.0
    assert result.foundation_gaps == ("f1", "f3", "s1", "s2", "s3")
    assert [s.is_current for s in result.stages] == [False, False, False, True, False]


def test_last_stage_with_everything_in_place_has_no_next_step() -> None:
    everything = "ct1 ct2 ct3 e1 f1 f2 f3 s1 s2 s3 u1 u2 t1"
    result = assess_stage(STAGES, answers(*[everything] * 5))
    assert result.stage_id == "transforming"
    assert result.next_stage_id is None and result.readiness is None
    assert result.next_steps == () and result.next_steps_stage_id is None


def test_four_respondents_are_suppressed_and_five_are_not() -> None:
    four = assess_stage(STAGES, answers(*["cf1 cf2 cf3"] * 4))
    assert four.is_suppressed
    assert four.stage_id is None and four.items == () and four.respondent_count is None
    five = assess_stage(STAGES, answers(*["cf1 cf2 cf3"] * 5))
    assert not five.is_suppressed
    assert five.stage_id == "forming"


def test_by_member_type_hides_small_and_complementary_views() -> None:
    # 6 residents, 6 partners, 2 backbone. Backbone is small; partner is hidden as
    # its complement (institutional 8 - partner 6 = 2).
    data = (
        answers(*["cf1 cf2 cf3"] * 6, member_type="community")
        + answers(*["ce1 ce2 ce3"] * 6, member_type="partner")
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
            (StageDefinition("emerging", ("e",), ("c",)), StageDefinition("forming", ("f",))),
            [],
            "stage 'forming' has no characteristics",
        ),
        (
            (
                StageDefinition("emerging", ("x",), ("c",)),
                StageDefinition("forming", ("x",), ("d",)),
            ),
            [],
            "item 'x' appears in stage 'emerging' and stage 'forming'",
        ),
        (
            (
                StageDefinition("emerging", ("e",), ("c",)),
                StageDefinition("emerging", ("f",), ("d",)),
            ),
            [],
            "stage 'emerging' is listed twice",
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
    # 8 residents: 2 mark f1 (1/4); 8 partners: 4 mark f1 (1/2): gap -1/4, flagged.
    # f2: residents 4/8, partners 5/8: gap -1/8, not flagged. Characteristics are
    # compared too: cf1 residents 8/8, partners 0/8: gap 1, flagged.
    residents = answers(
        *(["f1 f2 cf1"] * 2 + ["f2 cf1"] * 2 + ["cf1"] * 4), member_type="community"
    )
    partners = answers(*(["f1 f2"] * 4 + ["f2"] + [""] * 3), member_type="partner")
    gaps = {
        g.item_id: g
        for g in stage_voice_gaps(assess_stage_by_member_type(STAGES, residents + partners))
    }
    assert gaps["f1"].gap == -0.25 and gaps["f1"].is_flagged
    assert gaps["f2"].gap == -0.125 and not gaps["f2"].is_flagged
    assert gaps["cf1"].gap == 1.0 and gaps["cf1"].is_flagged


def test_stage_voice_gap_is_empty_when_residents_are_four() -> None:
    residents = answers(*(["f1"] * 4), member_type="community")
    partners = answers(*(["f1"] * 6), member_type="partner")
    assert stage_voice_gaps(assess_stage_by_member_type(STAGES, residents + partners)) == ()
