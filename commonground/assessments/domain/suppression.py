"""Small-group suppression for survey aggregates.

Rule (RELIABILITY.md, check 7): an aggregate of fewer than ``MIN_GROUP_SIZE`` (k = 5)
respondents is never shown, and neither is any aggregate that can be *derived* from
the shown ones, for example a hidden group obtained as "total minus the shown groups".

Vocabulary:

- a *group* is a set of respondents that never overlap (community members, partners,
  backbone staff; or answer options), known by a key and a respondent count;
- a *view* is a published aggregate over a union of groups (the total, one member
  type, "institutional" = partner + backbone);
- a set of groups is *exposed* by the shown views when its respondent count is
  between 1 and k - 1 and its indicator vector is a linear combination of the shown
  views' indicator vectors (every sum, count or mean of such a set could then be
  computed by adding and subtracting shown aggregates).

A view with zero respondents may be shown (it reports ``n = 0`` and no statistics):
no one is in it to protect, and the exposure check still counts it when it helps
derive another set.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Final

from commonground.assessments.domain.errors import ScoringError

MIN_GROUP_SIZE: Final = 5
"""Smallest group whose aggregate may be shown. Callers may raise it, never lower it."""

MAX_GROUPS: Final = 12
"""Largest number of disjoint groups the exact exposure check accepts (2**12 sets)."""

TOTAL_KEY: Final = "total"


def checked_min_group_size(min_group_size: int) -> int:
    """Return ``min_group_size`` when it is at least ``MIN_GROUP_SIZE``; raise otherwise.

    >>> checked_min_group_size(8)
    8
    >>> try:
    ...     checked_min_group_size(3)
    ... except ScoringError as error:
    ...     print(error)
    minimum group size 3 is below the floor of 5
    """
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, int):
        raise ScoringError(f"minimum group size must be an integer, got {min_group_size!r}")
    if min_group_size < MIN_GROUP_SIZE:
        raise ScoringError(
            f"minimum group size {min_group_size} is below the floor of {MIN_GROUP_SIZE}"
        )
    return min_group_size


@dataclass(frozen=True, slots=True)
class ViewPlan:
    """Which views may be shown, and why the others are hidden.

    ``small`` views have 1 to k - 1 respondents; ``complementary`` views are large
    enough but hidden so that a small set cannot be derived by subtraction.
    """

    shown: tuple[str, ...]
    small: tuple[str, ...]
    complementary: tuple[str, ...]
    min_group_size: int

    def is_shown(self, view: str) -> bool:
        return view in self.shown

    @property
    def hidden(self) -> tuple[str, ...]:
        return self.small + self.complementary


@dataclass(frozen=True, slots=True)
class GroupCell:
    """One group of a partition: its count, or ``None`` when suppressed."""

    key: str
    count: int | None
    is_suppressed: bool
    is_complementary: bool


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """A partition of respondents into groups, with suppressed cells blanked."""

    groups: tuple[GroupCell, ...]
    total: int | None
    is_total_suppressed: bool
    min_group_size: int

    def cell(self, key: str) -> GroupCell:
        for group in self.groups:
            if group.key == key:
                return group
        raise ScoringError(f"no group {key!r} in this summary")


def _count_of(groups: Collection[str], group_counts: Mapping[str, int]) -> int:
    return sum(group_counts[group] for group in groups)


def _checked_counts(group_counts: Mapping[str, int]) -> list[str]:
    keys = sorted(group_counts)
    if len(keys) > MAX_GROUPS:
        raise ScoringError(f"{len(keys)} groups given; at most {MAX_GROUPS} are supported")
    for key in keys:
        count = group_counts[key]
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ScoringError(f"count for group {key!r} is {count!r}; expected an integer >= 0")
    return keys


def _checked_views(
    views: Mapping[str, Collection[str]], group_counts: Mapping[str, int]
) -> dict[str, frozenset[str]]:
    checked: dict[str, frozenset[str]] = {}
    for name, members in views.items():
        if isinstance(members, str):
            raise ScoringError(f"view {name!r} must list group keys, not the string {members!r}")
        unknown = sorted(set(members) - set(group_counts))
        if unknown:
            raise ScoringError(f"view {name!r} names unknown groups {unknown}")
        if not members:
            raise ScoringError(f"view {name!r} covers no groups")
        checked[name] = frozenset(members)
    return checked


class _Span:
    """Row space of 0/1 vectors over the rationals, kept in reduced echelon form."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._index = {key: position for position, key in enumerate(keys)}
        self._rows: list[tuple[int, list[Fraction]]] = []

    def _vector(self, groups: Collection[str]) -> list[Fraction]:
        vector = [Fraction(0)] * len(self._index)
        for group in groups:
            vector[self._index[group]] = Fraction(1)
        return vector

    def _reduce(self, vector: list[Fraction]) -> list[Fraction]:
        for pivot, row in self._rows:
            factor = vector[pivot]
            if factor:
                vector = [value - factor * basis for value, basis in zip(vector, row, strict=True)]
        return vector

    def add(self, groups: Collection[str]) -> None:
        vector = self._reduce(self._vector(groups))
        for position, value in enumerate(vector):
            if value:
                self._rows.append((position, [entry / value for entry in vector]))
                return

    def contains(self, groups: Collection[str]) -> bool:
        return not any(self._reduce(self._vector(groups)))


def exposed_sets(
    group_counts: Mapping[str, int],
    shown_views: Mapping[str, Collection[str]],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[frozenset[str], ...]:
    """Return every set of groups with 1 to k - 1 respondents derivable from the shown views.

    A set S is derivable when its indicator vector lies in the span of the shown
    views' indicator vectors. Sets are returned smallest first, then by sorted keys.

    >>> counts = {"community": 3, "partner": 10, "backbone": 6}
    >>> exposed_sets(counts, {"total": counts, "institutional": ["partner", "backbone"]})
    (frozenset({'community'}),)
    >>> exposed_sets(counts, {"total": counts, "partner": ["partner"]})
    ()
    """
    k = checked_min_group_size(min_group_size)
    keys = _checked_counts(group_counts)
    views = _checked_views(shown_views, group_counts)
    span = _Span(keys)
    for groups in views.values():
        span.add(groups)
    exposed: list[frozenset[str]] = []
    for size in range(1, len(keys) + 1):
        for subset in combinations(keys, size):
            if 1 <= _count_of(subset, group_counts) < k and span.contains(subset):
                exposed.append(frozenset(subset))
    return tuple(exposed)


def plan_views(
    group_counts: Mapping[str, int],
    views: Mapping[str, Collection[str]],
    *,
    keep: Sequence[str] = (),
    min_group_size: int = MIN_GROUP_SIZE,
) -> ViewPlan:
    """Decide which views to show so that no set of 1 to k - 1 respondents is derivable.

    Rule:

    1. *Small*: a view with 1 to k - 1 respondents is hidden.
    2. *Complementary*: the remaining views are considered in priority order (the
       ``keep`` views in the order given, then the others by respondent count,
       largest first, then by name). A view is shown when the views already chosen
       plus this one expose no set (see ``exposed_sets``); otherwise it is hidden.

    Showing more never un-derives anything, so this gives the best shown set in
    priority order: each view is kept whenever some safe plan keeps it together
    with every higher-priority view already kept.

    >>> counts = {"community": 3, "partner": 10, "backbone": 6}
    >>> plan = plan_views(
    ...     counts,
    ...     {"overall": counts, "institutional": ["partner", "backbone"],
    ...      "partner": ["partner"], "backbone": ["backbone"]},
    ...     keep=["overall"],
    ... )
    >>> plan.shown, plan.small, plan.complementary
    (('overall', 'partner'), (), ('institutional', 'backbone'))
    """
    k = checked_min_group_size(min_group_size)
    _checked_counts(group_counts)
    checked = _checked_views(views, group_counts)
    unknown_keep = [name for name in keep if name not in checked]
    if unknown_keep:
        raise ScoringError(f"views to keep {unknown_keep} are not among the views given")
    counts = {name: _count_of(groups, group_counts) for name, groups in checked.items()}
    small = [name for name in checked if 1 <= counts[name] < k]
    rank = {name: position for position, name in enumerate(dict.fromkeys(keep))}
    candidates = sorted(
        (name for name in checked if name not in small),
        key=lambda name: (rank.get(name, len(rank)), -counts[name], name),
    )
    shown: list[str] = []
    complementary: list[str] = []
    for name in candidates:
        trial = {view: checked[view] for view in [*shown, name]}
        if exposed_sets(group_counts, trial, min_group_size=k):
            complementary.append(name)
        else:
            shown.append(name)
    order = {name: position for position, name in enumerate(checked)}
    return ViewPlan(
        shown=tuple(sorted(shown, key=order.__getitem__)),
        small=tuple(sorted(small, key=order.__getitem__)),
        complementary=tuple(sorted(complementary, key=order.__getitem__)),
        min_group_size=k,
    )


def summarize_groups(
    group_counts: Mapping[str, int],
    *,
    show_total: bool = True,
    min_group_size: int = MIN_GROUP_SIZE,
) -> GroupSummary:
    """Summarize a partition of respondents, suppressing small and derivable cells.

    Rule (``plan_views`` applied to each group plus the total, total kept first):

    - a group with 1 to k - 1 respondents is suppressed; a group of 0 is shown as 0;
    - when the total is shown and some group is suppressed, further groups are
      suppressed, smallest first, until the suppressed groups together hold at
      least k respondents, so that "total minus the shown groups" reveals neither a
      single hidden group nor a small sum of them (with one small group hidden this
      is the second-smallest group);
    - a total of 1 to k - 1 is suppressed, and then every nonzero group with it.

    Hand-worked: groups 4 + 6 + 9 = 19. The 4 is small; showing the total, 9 and 6
    would give 19 - 9 - 6 = 4, so the 6 is suppressed as its complement.

    >>> summary = summarize_groups({"community": 4, "partner": 6, "backbone": 9})
    >>> [(cell.key, cell.count) for cell in summary.groups], summary.total
    ([('backbone', 9), ('community', None), ('partner', None)], 19)
    >>> summarize_groups({"community": 5, "partner": 6, "backbone": 9}).cell("community").count
    5
    """
    k = checked_min_group_size(min_group_size)
    keys = _checked_counts(group_counts)
    if TOTAL_KEY in group_counts and show_total:
        raise ScoringError(f"group key {TOTAL_KEY!r} is reserved for the total")
    views: dict[str, Collection[str]] = {key: [key] for key in keys}
    keep: list[str] = []
    if show_total and keys:
        views = {TOTAL_KEY: keys, **views}
        keep = [TOTAL_KEY]
    plan = plan_views(group_counts, views, keep=keep, min_group_size=k) if keys else None
    cells = tuple(
        GroupCell(
            key=key,
            count=group_counts[key] if plan is None or plan.is_shown(key) else None,
            is_suppressed=plan is not None and not plan.is_shown(key),
            is_complementary=plan is not None and key in plan.complementary,
        )
        for key in keys
    )
    total_count = sum(group_counts.values())
    is_total_shown = show_total and (plan is None or plan.is_shown(TOTAL_KEY))
    return GroupSummary(
        groups=cells,
        total=total_count if is_total_shown else None,
        is_total_suppressed=not is_total_shown,
        min_group_size=k,
    )
