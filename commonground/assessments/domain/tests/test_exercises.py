"""What each exercise asks, and the check of one member's answers."""

from __future__ import annotations

import pytest

from commonground import framework
from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.exercises import (
    EXERCISES,
    HCO_COMPONENTS,
    check_answers,
    get_exercise,
)


def test_health_care_equity_has_the_five_ihi_components_with_new_ids() -> None:
    assert len(HCO_COMPONENTS) == 5
    ids = [c.id for c in HCO_COMPONENTS] + [i for c in HCO_COMPONENTS for i, _ in c.items]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & set(framework.all_ids())
    for component in HCO_COMPONENTS:
        for _, text in component.items:
            assert text.en and text.es


def test_every_item_of_every_exercise_is_listed_once() -> None:
    for exercise in EXERCISES.values():
        assert len(set(exercise.item_ids)) == len(exercise.item_ids), exercise.kind
    assert len(get_exercise("stage").item_ids) == sum(
        len(s.characteristics) + len(s.infrastructure) for s in framework.STAGES
    )


def test_marked_answers_are_sorted_in_framework_order_and_deduplicated() -> None:
    stage = get_exercise("stage")
    answers = check_answers(
        stage, {"marked": ["forming_infra_governance", "emerging_infra_open_dialogue"] * 2}
    )
    assert answers == {"marked": ["emerging_infra_open_dialogue", "forming_infra_governance"]}


@pytest.mark.parametrize(
    ("kind", "answers", "message"),
    [
        ("decision_points", {"ratings": {"focus": 101}}, "'focus' is 101; expected 0 to 100"),
        ("decision_points", {"ratings": {"focus": -1}}, "'focus' is -1; expected 0 to 100"),
        ("readiness", {"ratings": {"adequate_funding": True}}, "expected a whole number"),
        ("readiness", {"notes": {"nope": "x"}}, r"unknown items \['nope'\]"),
        ("pillars", {"ratings": [1, 2]}, "must be objects keyed by item id"),
        ("pillars", {"notes": {"trust": "x" * 2001}}, "2001 characters; at most 2000"),
        ("stage", {"marked": "forming_infra_governance"}, "must be a list of item ids"),
        ("stage", {"marked": [3]}, "must be a list of item ids"),
    ],
)
def test_bad_answers_are_named(kind: str, answers: object, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        check_answers(get_exercise(kind), answers)


def test_shared_records_are_not_answered_in_rounds() -> None:
    with pytest.raises(ScoringError, match="not an exercise answered in rounds"):
        get_exercise("role_matrix")
