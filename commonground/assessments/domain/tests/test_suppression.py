"""Suppression: k = 5 floor, small cells at 4 vs 5, complementary cells, no derivation,
self-submitted and paper answers counted apart, releases that cannot be subtracted."""

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
    plan_member_tally,
    plan_member_views,
)
from commonground.assessments.domain.suppression import (
    MAX_RANK,
    MIN_GROUP_SIZE,
    exposed_sets,
    exposed_source_sets,
    plan_released_views,
    plan_source_views,
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
    # A group with nobody in it adds nothing to any aggregate, so it is no coordinate:
    # {a, empty} and {a} publish the same numbers.
    keys = sorted(key for key, count in counts.items() if count > 0)
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


# --- sources and releases (paper worksheets, reopened rounds) -----------------------------


def test_a_group_with_nobody_is_no_cover_for_a_small_one() -> None:
    # Found by the property above once empty groups stopped counting as coordinates:
    # v2 = {g1 (empty), g3} publishes g3's aggregate, and v0 - v2 = g2, one person.
    counts = {"g1": 0, "g2": 1, "g3": 5, "g4": 0}
    views = {"v0": ["g2", "g3"], "v2": ["g1", "g3"]}
    assert exposed_sets(counts, views) == (frozenset({"g2"}),)
    assert plan_views(counts, views).shown == ("v0",)


def test_paper_answers_are_counted_apart_from_self_submitted_ones() -> None:
    # The attack of issue 14: 1 resident answered, 4 worksheets typed in for residents.
    counts = {"self": {"community": 1, "partner": 0}, "paper": {"community": 4, "partner": 5}}
    assert exposed_source_sets(counts, {"community": ["community"]}) == (
        ("paper", frozenset({"community"})),
        ("self", frozenset({"community"})),
    )
    plan = plan_source_views(
        counts,
        {"overall": ["community", "partner"], "community": ["community"], "partner": ["partner"]},
        keep=["overall"],
    )
    assert plan.small == ("overall", "community")
    assert plan.shown == ("partner",)


def test_five_of_each_source_is_shown() -> None:
    counts = {"self": {"community": 5}, "paper": {"community": 5}}
    assert plan_source_views(counts, {"community": ["community"]}).shown == ("community",)


def test_a_release_cannot_be_subtracted_from_the_one_before() -> None:
    # Released with 5 residents and 5 partners; reopened; one more resident answers.
    tally = {("community", "self", 1): 5, ("partner", "self", 1): 5, ("community", "self", 2): 1}
    views = {
        "overall": ["community", "partner"],
        "community": ["community"],
        "partner": ["partner"],
    }
    plan = plan_released_views(tally, views, keep=["overall"])
    assert plan.shown == ("partner",)
    assert set(plan.complementary) == {"overall", "community"}
    # Five newcomers may be told apart from the earlier release: everything is shown.
    tally[("community", "self", 2)] = 5
    assert plan_released_views(tally, views, keep=["overall"]).shown == tuple(views)


def test_minimum_cannot_be_lowered_for_sources_or_releases() -> None:
    with pytest.raises(ScoringError, match="below the floor of 5"):
        plan_source_views({"self": {"a": 9}}, {"a": ["a"]}, min_group_size=4)
    with pytest.raises(ScoringError, match="below the floor of 5"):
        plan_released_views({("a", "self", 1): 9}, {"a": ["a"]}, min_group_size=2)
    with pytest.raises(ScoringError, match="release for group 'a' is 0"):
        plan_released_views({("a", "self", 0): 9}, {"a": ["a"]})


def _small_sets_of_history(
    tally: dict[tuple[str, str, int], int], shown: list[frozenset[tuple[str, int]]]
) -> list[tuple[str, frozenset[tuple[str, int]]]]:
    """Independent check: for each source, every set of (type, release) groups holding 1-4 of
    its people whose vector, over the groups that hold any of its people, is in the span of
    everything ever shown (numpy ranks, not the module's algebra)."""
    found = []
    for source in ("self", "paper"):
        keys = sorted(
            (member_type, release)
            for (member_type, src, release), count in tally.items()
            if src == source and count > 0
        )
        rows = [[1 if key in groups else 0 for key in keys] for groups in shown]
        for size in range(1, len(keys) + 1):
            for subset in combinations(keys, size):
                count = sum(tally.get((t, source, r), 0) for t, r in subset)
                if 1 <= count < MIN_GROUP_SIZE and _in_span(
                    rows, [1 if key in subset else 0 for key in keys]
                ):
                    found.append((source, frozenset(subset)))
    return found


@settings(max_examples=300, deadline=None)
@given(
    counts=st.lists(st.integers(0, 7), min_size=18, max_size=18),
    releases=st.integers(1, 3),
)
def test_nothing_shown_in_any_release_lets_a_small_set_be_derived(
    counts: list[int], releases: int
) -> None:
    """Every release's shown member-type views, taken together, derive no set of 1-4 people
    of either source, whatever was typed in from paper and however often the round reopened."""
    keys = [
        (member_type, source, release)
        for release in range(1, releases + 1)
        for source in ("self", "paper")
        for member_type in MEMBER_TYPES
    ]
    tally = dict(zip(keys, counts, strict=False))
    shown: list[frozenset[tuple[str, int]]] = []
    for release in range(1, releases + 1):
        so_far = {key: count for key, count in tally.items() if key[2] <= release}
        plan = plan_member_tally(so_far)
        for view in plan.shown:
            shown.append(
                frozenset((t, r) for r in range(1, release + 1) for t in VIEW_GROUPS[view])
            )
            for source in ("self", "paper"):
                size = sum(
                    so_far.get((t, source, r), 0)
                    for r in range(1, release + 1)
                    for t in VIEW_GROUPS[view]
                )
                assert size == 0 or size >= MIN_GROUP_SIZE
    assert _small_sets_of_history(tally, shown) == []


@settings(max_examples=300, deadline=None)
@given(
    self_counts=st.lists(st.integers(0, 7), min_size=5, max_size=5),
    paper_counts=st.lists(st.integers(0, 7), min_size=5, max_size=5),
    chosen=st.lists(st.integers(1, 31), min_size=1, max_size=7),
)
def test_exposed_source_sets_are_exactly_the_brute_force_ones(
    self_counts: list[int], paper_counts: list[int], chosen: list[int]
) -> None:
    keys = ["a", "b", "c", "d", "e"]
    counts = {
        "self": dict(zip(keys, self_counts, strict=True)),
        "paper": dict(zip(keys, paper_counts, strict=True)),
    }
    views = {
        f"v{n}": [key for bit, key in enumerate(keys) if mask >> bit & 1]
        for n, mask in enumerate(chosen)
    }
    expected = set()
    for source, by_key in counts.items():
        shown = {name: frozenset(groups) for name, groups in views.items()}
        for found in _derivable_small_sets(by_key, shown):
            expected.add((source, found))
    assert set(exposed_source_sets(counts, views)) == expected


def test_groups_all_at_least_k_expose_nothing_whatever_the_rank() -> None:
    """Any derivable set is a union of groups; with every group at k or more, none is small,
    so even more views than the exposure search could enumerate are all shown."""
    groups = [f"g{index}" for index in range(MAX_RANK + 4)]
    counts = {group: MIN_GROUP_SIZE for group in groups}
    views = {"total": groups} | {group: [group] for group in groups}
    plan = plan_source_views({"self": counts}, views, keep=["total"])
    assert set(plan.shown) == set(views)
    counts[groups[0]] = MIN_GROUP_SIZE - 1
    plan = plan_source_views({"self": counts}, views, keep=["total"])
    assert groups[0] not in plan.shown and "total" in plan.shown
