"""Small-group suppression for survey aggregates: the one implementation.

Rule (RELIABILITY.md, check 7): an aggregate of fewer than ``MIN_GROUP_SIZE`` (k = 5)
respondents is never shown, and neither is any aggregate that can be *derived* from
the shown ones, for example a hidden group obtained as "total minus the shown groups".
Every page, API answer, export and derived result (voice gap, action plan) of survey
answers is planned here; the ``voices`` of other apps reuse it.

Vocabulary:

- a *group* is a set of respondents that never overlap (community members, partners,
  backbone staff; or answer options), known by a key;
- a *source* is how the answers arrived: ``self`` (the respondent submitted them) or
  ``paper`` (staff typed them in from a worksheet). Counts are kept per source,
  because whoever entered the paper answers knows them and can subtract them from
  any aggregate: a shown set must hold 0 or at least k respondents *of each source*;
- a *view* is a published aggregate over a union of groups (the total, one member
  type, "institutional" = partner + backbone);
- a *release* is one publication of a round's results. A round is released when it
  closes; reopened and closed again, it is released again, and everything released
  before is still known (someone may have printed it). Respondents are counted by
  the release they first appear in, and the views of a later release are planned with
  the shown views of every earlier release counted as known;
- a set of groups is *exposed* by the known views when, for some source, its count of
  that source's respondents is between 1 and k - 1 and its indicator vector is a
  linear combination of the known views' vectors *restricted to the groups holding
  respondents of that source* (the other source's part is assumed known, and a group
  with none of this source's respondents adds nothing to it). Every sum, count, mean
  or list of such a set could then be computed by adding and subtracting shown
  aggregates (and the paper answers one typed in).

A view with zero respondents may be shown (it reports ``n = 0`` and no statistics):
no one is in it to protect.

Exactness: exposure is decided exactly, by enumerating the 0/1 vectors of the span
of the known views (at most ``2 ** MAX_RANK`` of them). When the known views span
more than ``MAX_RANK`` dimensions the check cannot be completed, and the candidate
view is hidden: the rule errs on the side of hiding.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from commonground.assessments.domain.errors import ScoringError

MIN_GROUP_SIZE: Final = 5
"""Smallest group whose aggregate may be shown. Callers may raise it, never lower it."""

MAX_RANK: Final = 12
"""Most independent known views the exact exposure check enumerates (2**12 vectors)."""

TOTAL_KEY: Final = "total"
ALL_SOURCES: Final = "all"
"""Source name used when answers are not told apart by how they arrived."""


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


def is_publishable(count: int, *, min_group_size: int = MIN_GROUP_SIZE) -> bool:
    """Whether a count of one source's respondents may stand alone: 0, or at least k.

    >>> [is_publishable(n) for n in (0, 1, 4, 5)]
    [True, False, False, True]
    """
    return count == 0 or count >= checked_min_group_size(min_group_size)


@dataclass(frozen=True, slots=True)
class ViewPlan:
    """Which views may be shown, and why the others are hidden.

    ``small`` views have 1 to k - 1 respondents of some source; ``complementary`` views
    are large enough but hidden so that a small set cannot be derived by subtraction
    (from the shown views, or from those of an earlier release).
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


# -- checks ----------------------------------------------------------------------------


def _checked_count(value: object, *, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ScoringError(f"count for {where} is {value!r}; expected an integer >= 0")
    return value


def _checked_sources(
    source_counts: Mapping[str, Mapping[Any, int]],
) -> tuple[list[Hashable], dict[str, dict[Hashable, int]]]:
    """Return the group keys (in first-seen order) and every source's counts, 0-filled."""
    keys: dict[Hashable, None] = {}
    for counts in source_counts.values():
        keys.update(dict.fromkeys(counts))
    checked: dict[str, dict[Hashable, int]] = {}
    for source, counts in source_counts.items():
        checked[source] = {
            key: _checked_count(
                counts.get(key, 0),
                where=f"group {key!r}" if len(source_counts) == 1 else f"group {key!r} ({source})",
            )
            for key in keys
        }
    return list(keys), checked


def _checked_views(
    views: Mapping[str, Collection[Hashable]], keys: Collection[Hashable]
) -> dict[str, frozenset[Hashable]]:
    known = set(keys)
    checked: dict[str, frozenset[Hashable]] = {}
    for name, members in views.items():
        if isinstance(members, str):
            raise ScoringError(f"view {name!r} must list group keys, not the string {members!r}")
        unknown = sorted(map(repr, set(members) - known))
        if unknown:
            raise ScoringError(f"view {name!r} names unknown groups [{', '.join(unknown)}]")
        if not members:
            raise ScoringError(f"view {name!r} covers no groups")
        checked[name] = frozenset(members)
    return checked


# -- exposure ----------------------------------------------------------------------------


class _Unprovable(Exception):
    """The known views span more than ``MAX_RANK`` dimensions: exposure cannot be ruled out."""


def _echelon(vectors: Sequence[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form of ``vectors``: (pivot column, row) pairs."""
    rows: list[tuple[int, list[Fraction]]] = []
    for raw in vectors:
        vector = list(raw)
        for pivot, row in rows:
            factor = vector[pivot]
            if factor:
                vector = [value - factor * basis for value, basis in zip(vector, row, strict=True)]
        position = next((index for index, value in enumerate(vector) if value), None)
        if position is None:
            continue
        lead = vector[position]
        vector = [value / lead for value in vector]
        reduced: list[tuple[int, list[Fraction]]] = []
        for pivot, row in rows:
            factor = row[position]
            if factor:
                row = [value - factor * basis for value, basis in zip(row, vector, strict=True)]
            reduced.append((pivot, row))
        rows = [*reduced, (position, vector)]
    return rows


def _source_exposures(
    counts: Mapping[Hashable, int], known: Sequence[frozenset[Hashable]], k: int
) -> Iterator[frozenset[Hashable]]:
    """Every set of groups with 1 to k - 1 respondents (of this source) derivable from ``known``.

    Only groups holding respondents of this source are coordinates. In reduced echelon
    form a vector of the span is fixed by its pivot entries, so its 0/1 vectors are
    found by trying every 0/1 choice of the pivots.
    """
    coordinates = [key for key, count in counts.items() if count > 0]
    if all(counts[key] >= k for key in coordinates):
        # Every derivable set is a union of these groups, so none can hold 1 to k - 1.
        return
    vectors = [
        [Fraction(1) if key in groups else Fraction(0) for key in coordinates] for groups in known
    ]
    rows = _echelon(vectors)
    if len(rows) > MAX_RANK:
        raise _Unprovable
    if not rows:
        return
    # Pivot entries of a combination are its 0/1 choices; only the other columns need
    # checking. Integers over a common denominator keep the sums exact and fast.
    pivots = {pivot for pivot, _row in rows}
    free = [index for index in range(len(coordinates)) if index not in pivots]
    denominator = math.lcm(*(value.denominator for _pivot, row in rows for value in row))
    scaled = [[int(row[index] * denominator) for index in free] for _pivot, row in rows]
    current = [0] * len(free)
    chosen = [False] * len(rows)
    for step in range(1, 2 ** len(rows)):
        bit = (step & -step).bit_length() - 1  # Gray code: one pivot changes per step
        chosen[bit] = not chosen[bit]
        delta = scaled[bit]
        if chosen[bit]:
            current = [value + change for value, change in zip(current, delta, strict=True)]
        else:
            current = [value - change for value, change in zip(current, delta, strict=True)]
        if all(value == 0 or value == denominator for value in current):
            members = [
                coordinates[pivot] for (pivot, _row), on in zip(rows, chosen, strict=True) if on
            ]
            members += [
                coordinates[index]
                for index, value in zip(free, current, strict=True)
                if value == denominator
            ]
            size = sum(counts[key] for key in members)
            if 1 <= size < k:
                yield frozenset(members)


def _exposures(
    source_counts: Mapping[str, Mapping[Any, int]],
    known: Sequence[frozenset[Hashable]],
    k: int,
) -> Iterator[frozenset[Hashable]]:
    for counts in source_counts.values():
        yield from _source_exposures(counts, known, k)


def _is_exposing(
    source_counts: Mapping[str, Mapping[Any, int]],
    known: Sequence[frozenset[Hashable]],
    k: int,
) -> bool:
    try:
        return next(_exposures(source_counts, known, k), None) is not None
    except _Unprovable:
        return True


def exposed_sets(
    group_counts: Mapping[str, int],
    shown_views: Mapping[str, Collection[str]],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[frozenset[str], ...]:
    """Return every set of groups with 1 to k - 1 respondents derivable from the shown views.

    One source of answers; see ``exposed_source_sets`` for several. Sets are returned
    smallest first, then by sorted keys.

    >>> counts = {"community": 3, "partner": 10, "backbone": 6}
    >>> exposed_sets(counts, {"total": counts, "institutional": ["partner", "backbone"]})
    (frozenset({'community'}),)
    >>> exposed_sets(counts, {"total": counts, "partner": ["partner"]})
    ()
    """
    found = exposed_source_sets(
        {ALL_SOURCES: group_counts}, shown_views, min_group_size=min_group_size
    )
    return tuple(groups for _source, groups in found)


def exposed_source_sets(
    source_counts: Mapping[str, Mapping[str, int]],
    shown_views: Mapping[str, Collection[str]],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[tuple[str, frozenset[str]], ...]:
    """Return (source, groups) for every set derivable with 1 to k - 1 of that source's people.

    Hand-worked (the paper-worksheet attack): one resident answered herself; staff
    typed in four community worksheets and five partner worksheets. Community is one
    view, everyone another. Community has 1 self-submitted respondent and 4 paper ones:
    the paper answers are known to whoever typed them, so the community view alone
    pins down the resident's answer.

    >>> counts = {"self": {"community": 1, "partner": 0}, "paper": {"community": 4, "partner": 5}}
    >>> exposed_source_sets(counts, {"community": ["community"]})
    (('paper', frozenset({'community'})), ('self', frozenset({'community'})))
    """
    k = checked_min_group_size(min_group_size)
    keys, checked = _checked_sources(source_counts)
    views = _checked_views(shown_views, keys)
    found: set[tuple[str, frozenset[str]]] = set()
    try:
        for source, counts in checked.items():
            for groups in _source_exposures(counts, list(views.values()), k):
                found.add((source, frozenset(str(key) for key in groups)))
    except _Unprovable:
        raise ScoringError(
            f"the shown views span more than {MAX_RANK} dimensions; exposure cannot be checked"
        ) from None
    return tuple(sorted(found, key=lambda pair: (len(pair[1]), sorted(pair[1]), pair[0])))


# -- planning ------------------------------------------------------------------------------


def plan_views(
    group_counts: Mapping[str, int],
    views: Mapping[str, Collection[str]],
    *,
    keep: Sequence[str] = (),
    min_group_size: int = MIN_GROUP_SIZE,
) -> ViewPlan:
    """Decide which views to show so that no set of 1 to k - 1 respondents is derivable.

    One source of answers and one release; see ``plan_source_views``.

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
    return plan_source_views(
        {ALL_SOURCES: group_counts}, views, keep=keep, min_group_size=min_group_size
    )


def plan_source_views(
    source_counts: Mapping[str, Mapping[Any, int]],
    views: Mapping[str, Collection[Hashable]],
    *,
    keep: Sequence[str] = (),
    known: Sequence[Collection[Hashable]] = (),
    min_group_size: int = MIN_GROUP_SIZE,
) -> ViewPlan:
    """Decide which views to show when answers arrive from several sources.

    Rule:

    1. *Small*: a view holding 1 to k - 1 respondents of any one source is hidden.
    2. *Complementary*: the remaining views are considered in priority order (the
       ``keep`` views in the order given, then the others by respondent count,
       largest first, then by name). A view is shown when the ``known`` views (shown
       by an earlier release), the views already chosen and this one together expose
       no set (module docstring); otherwise it is hidden.

    Showing more never un-derives anything, so this gives the best shown set in
    priority order: each view is kept whenever some safe plan keeps it together
    with every higher-priority view already kept.

    Hand-worked: 6 residents answered themselves and 4 more residents' worksheets
    were typed in; 7 partners answered themselves. Community (6 self, 4 paper) is
    small for paper; the total (13 self, 4 paper) too. Partner (7 self) is shown.

    >>> counts = {"self": {"community": 6, "partner": 7}, "paper": {"community": 4}}
    >>> plan = plan_source_views(counts, {"overall": ["community", "partner"],
    ...     "community": ["community"], "partner": ["partner"]}, keep=["overall"])
    >>> plan.shown, plan.small
    (('partner',), ('overall', 'community'))
    """
    k = checked_min_group_size(min_group_size)
    keys, checked_counts = _checked_sources(source_counts)
    checked = _checked_views(views, keys)
    known_views = {f"known view {index + 1}": groups for index, groups in enumerate(known)}
    known_sets = list(_checked_views(known_views, keys).values())
    unknown_keep = [name for name in keep if name not in checked]
    if unknown_keep:
        raise ScoringError(f"views to keep {unknown_keep} are not among the views given")

    def count(view: str, source: str) -> int:
        return sum(checked_counts[source][group] for group in checked[view])

    totals = {name: sum(count(name, source) for source in checked_counts) for name in checked}
    small = [
        name for name in checked if any(1 <= count(name, source) < k for source in checked_counts)
    ]
    rank = {name: position for position, name in enumerate(dict.fromkeys(keep))}
    candidates = sorted(
        (name for name in checked if name not in small),
        key=lambda name: (rank.get(name, len(rank)), -totals[name], name),
    )
    shown: list[str] = []
    complementary: list[str] = []
    for name in candidates:
        trial = [*known_sets, *(checked[view] for view in shown), checked[name]]
        if _is_exposing(checked_counts, trial, k):
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


Tally = Mapping[tuple[str, str, int], int]
"""Respondents of one aggregate by (group, source, release they first appear in)."""


def plan_released_views(
    tally: Tally,
    views: Mapping[str, Collection[str]],
    *,
    keep: Sequence[str] = (),
    min_group_size: int = MIN_GROUP_SIZE,
) -> ViewPlan:
    """Plan the views of the latest release, every earlier release's shown views being known.

    Releases are replayed in order: release r's plan is made with the groups of
    releases 1..r (each (group, release) pair is a group of its own) and the shown
    views of releases before r as known. A release nobody joined in is skipped: its
    views are those of the release before. Nothing shown in one release and the
    next can be subtracted to single out fewer than k newcomers.

    Hand-worked: release 1 has 5 residents and 5 partners, all shown. The round is
    reopened; one more resident answers. Community of release 2 (6) minus community
    of release 1 (5) would give the newcomer's answer, and so would the totals
    (11 - 10): both are hidden, partner (unchanged) stays shown.

    >>> tally = {("community", "self", 1): 5, ("partner", "self", 1): 5,
    ...          ("community", "self", 2): 1}
    >>> views = {"overall": ["community", "partner"], "community": ["community"],
    ...          "partner": ["partner"]}
    >>> plan = plan_released_views(tally, views, keep=["overall"])
    >>> plan.shown, plan.small, plan.complementary
    (('partner',), (), ('overall', 'community'))
    """
    k = checked_min_group_size(min_group_size)
    groups: dict[str, None] = {}
    for members in views.values():
        if isinstance(members, str):
            raise ScoringError(f"view {members!r} must list group keys, not a string")
        groups.update(dict.fromkeys(members))
    sources: dict[str, None] = {}
    releases: set[int] = set()
    for key, value in tally.items():
        if not (isinstance(key, tuple) and len(key) == 3):
            raise ScoringError(f"tally key {key!r} is not (group, source, release)")
        group, source, release = key
        if group not in groups:
            raise ScoringError(f"tally names group {group!r}, which no view covers")
        if isinstance(release, bool) or not isinstance(release, int) or release < 1:
            raise ScoringError(f"release for group {group!r} is {release!r}; expected 1 or more")
        sources.setdefault(source, None)
        if _checked_count(value, where=f"group {group!r} ({source}, release {release})"):
            releases.add(release)
    ordered = sorted(releases) or [1]
    known: list[frozenset[Hashable]] = []
    plan: ViewPlan | None = None
    for position in range(len(ordered)):
        upto = ordered[: position + 1]
        keys = [(group, release) for release in upto for group in groups]
        source_counts: dict[str, dict[Hashable, int]] = {
            source: {(g, r): tally.get((g, source, r), 0) for g, r in keys}
            for source in sources or [ALL_SOURCES]
        }
        release_views: dict[str, list[Hashable]] = {
            name: [(group, release) for release in upto for group in members]
            for name, members in views.items()
        }
        plan = plan_source_views(
            source_counts, release_views, keep=keep, known=known, min_group_size=k
        )
        known.extend(frozenset(release_views[name]) for name in plan.shown)
    assert plan is not None
    return plan


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
    if TOTAL_KEY in group_counts and show_total:
        raise ScoringError(f"group key {TOTAL_KEY!r} is reserved for the total")
    keys = sorted(group_counts)
    for key in keys:
        _checked_count(group_counts[key], where=f"group {key!r}")
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
