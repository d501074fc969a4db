"""Suppression: k = 5 floor, small cells at 4 vs 5, complementary cells, no derivation."""

from __future__ import annotations

from itertools import combinations, product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.members import (
    MEMBER_TYPES,
    VIEW_GROUPS,
    plan_member_views,
)
from commonground.assessments.domain.suppression import (
    MIN_GROUP_SIZE,
    exposed_sets,
    plan_views,
    summarize_groups,
)


def test_min_group_size_is_five() -> None:
    assert MIN_GROUP_SIZE == 5


@pytest.mark.parametrize("lowered", [4, 1, 0, -5])
def test_min_group_size_cannot_be_lowered(lowered: int) -> None:
    with pytest.raises(ScoringError, match=f"minimum group size {lowered} is below the floor of 5"):
        summarize_groups({"a": 10}, min_group_size=lowered)


def test_min_group_size_can_be_raised() -> None:
    summary = summarize_groups({"a": 6, "b": 9}, min_group_size=7)
    assert summary.cell("a").count is None
    assert summary.cell("b").count is None  # complement: 15 - 9 would give a = 6
    assert summary.total == 15


def test_group_of_four_is_suppressed_and_five_is_shown() -> None:
    # Without a total nothing can be derived, so only the small cell hides.
    summary = summarize_groups({"community": 4, "partner": 5}, show_total=False)
    assert summary.cell("community").count is None
    assert summary.cell("community").is_suppressed
    assert not summary.cell("community").is_complementary
    assert summary.cell("partner").count == 5
    assert summary.total is None


def test_total_of_four_is_suppressed_and_five_is_shown() -> None:
    four = summarize_groups({"community": 2, "partner": 2})
    assert four.total is None and four.is_total_suppressed
    assert [cell.count for cell in four.groups] == [None, None]
    five = summarize_groups({"community": 5})
    assert five.total == 5
    assert five.cell("community").count == 5


def test_complementary_suppression_hides_second_smallest_group() -> None:
    # Hand-worked: community 4, partner 6, backbone 9, total 19. Community is small.
    # Showing total, backbone and partner would give 19 - 9 - 6 = 4, so the
    # second-smallest group (partner, 6) is hidden as its complement.
    summary = summarize_groups({"community": 4, "partner": 6, "backbone": 9})
    assert summary.total == 19
    assert summary.cell("backbone").count == 9
    assert summary.cell("community").count is None
    partner = summary.cell("partner")
    assert partner.count is None and partner.is_complementary
    # What a reader can compute: 19 - 9 = 10 = community + partner, neither alone.


def test_complementary_suppression_continues_until_hidden_sum_reaches_k() -> None:
    # community 1 and partner 2 are small; total 13 - backbone 10 = 3 would expose
    # the pair, so backbone is hidden too and only the total remains.
    summary = summarize_groups({"community": 1, "partner": 2, "backbone": 10})
    assert summary.total == 13
    assert [cell.count for cell in summary.groups] == [None, None, None]


def test_two_small_groups_summing_to_k_need_no_complement() -> None:
    summary = summarize_groups({"a": 2, "b": 3, "c": 8})
    assert summary.cell("c").count == 8
    assert summary.cell("a").count is None and summary.cell("b").count is None


def test_zero_groups_are_shown_and_need_no_protection() -> None:
    summary = summarize_groups({"community": 10, "partner": 8, "backbone": 0})
    assert [cell.count for cell in summary.groups] == [0, 10, 8]
    assert summary.total == 18


def test_bad_counts_name_the_group() -> None:
    with pytest.raises(ScoringError, match="count for group 'partner' is -1"):
        summarize_groups({"partner": -1})


def test_exposed_sets_finds_subtraction_of_two_views() -> None:
    counts = {"community": 4, "partner": 10, "backbone": 6}
    overall = list(counts)
    assert exposed_sets(counts, {"overall": overall, "inst": ["partner", "backbone"]}) == (
        frozenset({"community"}),
    )
    assert exposed_sets(counts, {"overall": overall, "partner": ["partner"]}) == ()


def test_member_views_hide_institutional_when_community_is_small() -> None:
    # 3 residents, 10 partners, 6 backbone: overall 19 - institutional 16 = 3.
    plan = plan_member_views({"community": 3, "partner": 10, "backbone": 6})
    assert plan.shown == ("overall", "partner")
    assert plan.small == ("community",)
    assert set(plan.complementary) == {"institutional", "backbone"}


def test_member_views_keep_voice_gap_when_only_an_institutional_type_is_small() -> None:
    # 10 residents, 3 partners, 6 backbone: hide backbone as partner's complement,
    # keep community and institutional (9) so the voice gap can still be shown.
    plan = plan_member_views({"community": 10, "partner": 3, "backbone": 6})
    assert plan.shown == ("overall", "community", "institutional")
    assert plan.complementary == ("backbone",)


# --- properties -----------------------------------------------------------------


def _in_span(rows: list[list[int]], target: list[int]) -> bool:
    """Independent check with numpy ranks: target lies in the row space of rows."""
    if not rows:
        return not any(target)
    base = np.array(rows, dtype=float)
    return bool(np.linalg.matrix_rank(np.vstack([base, target])) == np.linalg.matrix_rank(base))


def _derivable_small_sets(
    counts: dict[str, int], shown: dict[str, frozenset[str]]
) -> list[frozenset[str]]:
    keys = sorted(counts)
    rows = [[1 if key in groups else 0 for key in keys] for groups in shown.values()]
    found = []
    for size in range(1, len(keys) + 1):
        for subset in combinations(keys, size):
            count = sum(counts[key] for key in subset)
            if 1 <= count < MIN_GROUP_SIZE and _in_span(
                rows, [1 if key in subset else 0 for key in keys]
            ):
                found.append(frozenset(subset))
    return found


group_counts = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f"]),
    st.integers(min_value=0, max_value=14),
    min_size=1,
)


@settings(max_examples=300, deadline=None)
@given(counts=group_counts, show_total=st.booleans())
def test_no_suppressed_cell_is_derivable_from_total_minus_shown_groups(
    counts: dict[str, int], show_total: bool
) -> None:
    summary = summarize_groups(counts, show_total=show_total)
    shown = {cell.key: cell.count for cell in summary.groups if cell.count is not None}
    hidden = [cell.key for cell in summary.groups if cell.count is None]
    # Every shown number is 0 or at least k.
    assert all(count == 0 or count >= MIN_GROUP_SIZE for count in shown.values())
    assert summary.total is None or summary.total == 0 or summary.total >= MIN_GROUP_SIZE
    if summary.total is not None and hidden:
        # Subtraction yields only the sum of all hidden groups: it must not be small,
        # and it must be shared by at least two groups so none is pinned down.
        remainder = summary.total - sum(shown.values())
        assert remainder == sum(counts[key] for key in hidden)
        assert remainder >= MIN_GROUP_SIZE
        assert len(hidden) >= 2
    views = {key: frozenset([key]) for key in shown}
    if summary.total is not None:
        views["total"] = frozenset(counts)
    assert _derivable_small_sets(counts, views) == []


@settings(max_examples=300, deadline=None)
@given(
    community=st.integers(0, 12),
    partner=st.integers(0, 12),
    backbone=st.integers(0, 12),
)
def test_no_member_view_subset_of_under_five_is_derivable(
    community: int, partner: int, backbone: int
) -> None:
    counts = {"community": community, "partner": partner, "backbone": backbone}
    plan = plan_member_views(counts)
    shown = {view: frozenset(VIEW_GROUPS[view]) for view in plan.shown}
    for view in plan.shown:
        size = sum(counts[member] for member in VIEW_GROUPS[view])
        assert size == 0 or size >= MIN_GROUP_SIZE
    # Brute force over small integer combinations of the shown views, independent
    # of the linear algebra in the module.
    vectors = [[1 if m in groups else 0 for m in MEMBER_TYPES] for groups in shown.values()]
    reachable = set()
    for coefficients in product(range(-2, 3), repeat=len(vectors)):
        combined = tuple(
            sum(c * v[i] for c, v in zip(coefficients, vectors, strict=True))
            for i in range(len(MEMBER_TYPES))
        )
        reachable.add(combined)
    for vector in product((0, 1), repeat=len(MEMBER_TYPES)):
        size = sum(counts[m] for m, bit in zip(MEMBER_TYPES, vector, strict=True) if bit)
        if 1 <= size < MIN_GROUP_SIZE:
            assert vector not in reachable


@st.composite
def groups_and_views(
    draw: st.DrawFn,
) -> tuple[dict[str, int], dict[str, frozenset[str]], list[str]]:
    keys = ["g1", "g2", "g3", "g4"][: draw(st.integers(2, 4))]
    counts = {key: draw(st.integers(0, 12)) for key in keys}
    subsets = [frozenset(c) for size in range(1, len(keys) + 1) for c in combinations(keys, size)]
    chosen = draw(st.lists(st.sampled_from(subsets), min_size=1, max_size=6, unique=True))
    views = {f"v{index}": groups for index, groups in enumerate(chosen)}
    keep = draw(st.lists(st.sampled_from(sorted(views)), unique=True, max_size=2))
    return counts, views, keep


@settings(max_examples=200, deadline=None)
@given(case=groups_and_views())
def test_plan_views_never_leaves_a_small_set_derivable(
    case: tuple[dict[str, int], dict[str, frozenset[str]], list[str]],
) -> None:
    counts, views, keep = case
    plan = plan_views(counts, views, keep=keep)
    assert set(plan.shown) | set(plan.hidden) == set(views)
    shown = {name: views[name] for name in plan.shown}
    assert _derivable_small_sets(counts, shown) == []
    # Hiding was necessary: every complementary view, if shown, would expose a set.
    for name in plan.complementary:
        assert _derivable_small_sets(counts, {**shown, name: views[name]}) != []
