"""``plan_member_views`` keeps plans of plain integer counts; the plans must not change."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.members import (
    COMMUNITY,
    INSTITUTIONAL,
    OVERALL,
    VIEW_GROUPS,
    plan_member_views,
)
from commonground.assessments.domain.suppression import plan_views

counts = st.integers(min_value=0, max_value=40)


@given(community=counts, partner=counts, backbone=counts, k=st.integers(5, 12))
def test_a_kept_plan_is_the_plan(community: int, partner: int, backbone: int, k: int) -> None:
    given_counts = {"community": community, "partner": partner, "backbone": backbone}
    expected = plan_views(
        given_counts, VIEW_GROUPS, keep=(OVERALL, COMMUNITY, INSTITUTIONAL), min_group_size=k
    )
    assert plan_member_views(given_counts, min_group_size=k) == expected
    assert plan_member_views(given_counts, min_group_size=k) == expected  # from the cache


@pytest.mark.parametrize("bad", [True, 2.0, -1, "3", [1]])
def test_what_is_not_a_count_still_raises(bad: Any) -> None:
    plan_member_views({"community": 3, "partner": 10, "backbone": 6})  # a kept plan
    with pytest.raises(ScoringError):
        plan_member_views({"community": bad, "partner": 10, "backbone": 6})
