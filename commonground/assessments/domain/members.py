"""Member types and which member-type views of an aggregate may be shown.

Every assessment result is split by member type: community members (residents),
institutional partners, and backbone staff. "Institutional" is partners and
backbone together, the side compared with residents in the voice gap.

The five views of one aggregate overlap (overall = community + institutional,
institutional = partner + backbone), so suppression is planned over all five at
once, keeping in this order of importance: overall, community, institutional, then
partner and backbone.

Each answer is counted by member type, by *source* (``self``: the member submitted
it; ``paper``: staff typed it in from a worksheet) and by the *release* of the round
it first appears in (a round reopened after closing is released again). The plan is
``suppression.plan_released_views`` over those counts: a view is shown only when its
self-submitted and its paper answers are each 0 or at least k, and nothing shown can
be subtracted from anything shown before to single out fewer than k people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.suppression import (
    MIN_GROUP_SIZE,
    ViewPlan,
    checked_min_group_size,
    plan_released_views,
)

COMMUNITY: Final = "community"
PARTNER: Final = "partner"
BACKBONE: Final = "backbone"
MEMBER_TYPES: Final = (COMMUNITY, PARTNER, BACKBONE)
INSTITUTIONAL_TYPES: Final = (PARTNER, BACKBONE)

OVERALL: Final = "overall"
INSTITUTIONAL: Final = "institutional"
MEMBER_VIEWS: Final = (OVERALL, COMMUNITY, INSTITUTIONAL, PARTNER, BACKBONE)
"""Views of one aggregate, in the order results list them."""

SELF: Final = "self"
PAPER: Final = "paper"
SOURCES: Final = (SELF, PAPER)
"""How an answer arrived: submitted by the member, or typed in by staff from paper."""

KEPT_VIEWS: Final = (OVERALL, COMMUNITY, INSTITUTIONAL)

VIEW_GROUPS: Final[Mapping[str, tuple[str, ...]]] = {
    OVERALL: MEMBER_TYPES,
    COMMUNITY: (COMMUNITY,),
    INSTITUTIONAL: INSTITUTIONAL_TYPES,
    PARTNER: (PARTNER,),
    BACKBONE: (BACKBONE,),
}


def checked_member_type(member_type: str, *, where: str) -> str:
    """Return ``member_type`` when it is known; raise naming ``where`` otherwise.

    >>> checked_member_type("partner", where="response 1")
    'partner'
    >>> try:
    ...     checked_member_type("funder", where="response 1")
    ... except ScoringError as error:
    ...     print(error)
    response 1: member type 'funder' is not one of community, partner, backbone
    """
    if member_type not in MEMBER_TYPES:
        raise ScoringError(
            f"{where}: member type {member_type!r} is not one of {', '.join(MEMBER_TYPES)}"
        )
    return member_type


def count_member_types(member_types: Iterable[str]) -> dict[str, int]:
    """Return respondents per member type, every type present (0 when none).

    >>> count_member_types(["community", "partner", "community"])
    {'community': 2, 'partner': 1, 'backbone': 0}
    """
    counts = dict.fromkeys(MEMBER_TYPES, 0)
    for position, member_type in enumerate(member_types):
        counts[checked_member_type(member_type, where=f"respondent {position + 1}")] += 1
    return counts


def checked_source(source: str, *, where: str) -> str:
    """Return ``source`` when it is ``self`` or ``paper``; raise naming ``where`` otherwise.

    >>> checked_source("paper", where="response 1")
    'paper'
    """
    if source not in SOURCES:
        raise ScoringError(f"{where}: source {source!r} is not one of {', '.join(SOURCES)}")
    return source


MemberTally = Mapping[tuple[str, str, int], int]
"""Respondents by (member type, source, release)."""


def tally_members(contributions: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str, int], int]:
    """Count respondents by (member type, source, release), checking each.

    >>> tally_members([("community", "self", 1), ("community", "paper", 1),
    ...                ("community", "self", 1)])
    {('community', 'self', 1): 2, ('community', 'paper', 1): 1}
    """
    counts: dict[tuple[str, str, int], int] = {}
    for position, (member_type, source, release) in enumerate(contributions):
        where = f"respondent {position + 1}"
        checked_member_type(member_type, where=where)
        checked_source(source, where=where)
        if isinstance(release, bool) or not isinstance(release, int) or release < 1:
            raise ScoringError(f"{where}: release {release!r} is not a whole number from 1")
        key = (member_type, source, release)
        counts[key] = counts.get(key, 0) + 1
    return counts


def plan_member_views(
    counts_by_type: Mapping[str, int], *, min_group_size: int = MIN_GROUP_SIZE
) -> ViewPlan:
    """Return which of the five member-type views may be shown for these counts.

    All respondents answered themselves, in one release (``plan_member_tally`` for
    the general case).

    Hand-worked: 10 residents, 3 partners, 1 backbone. Partner, backbone and
    institutional (4) are small. Overall and community both shown would give
    institutional = 14 - 10 = 4, so community is hidden as the complement and only
    the overall view is shown.

    >>> plan_member_views({"community": 10, "partner": 3, "backbone": 1}).shown
    ('overall',)
    >>> plan_member_views({"community": 6, "partner": 8, "backbone": 5}).shown
    ('overall', 'community', 'institutional', 'partner', 'backbone')
    """
    for member_type, count in counts_by_type.items():
        checked_member_type(member_type, where="respondent counts")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ScoringError(
                f"count for member type {member_type!r} is {count!r}; expected an integer >= 0"
            )
    return plan_member_tally(
        {(member_type, SELF, 1): count for member_type, count in counts_by_type.items()},
        min_group_size=min_group_size,
    )


def plan_member_tally(
    tally: MemberTally,
    *,
    views: Sequence[str] = MEMBER_VIEWS,
    min_group_size: int = MIN_GROUP_SIZE,
) -> ViewPlan:
    """Return which member-type ``views`` of the latest release may be shown.

    Hand-worked (the paper-worksheet attack): one resident answered herself, staff
    typed in four residents' worksheets, five partners answered. Community holds 1
    self-submitted and 4 paper answers, both small: hidden, although it has 5 people
    (whoever typed the 4 worksheets in would subtract them and read her answer).
    Everyone holds 4 paper answers: hidden too.

    >>> tally = {("community", "self", 1): 1, ("community", "paper", 1): 4,
    ...          ("partner", "self", 1): 5}
    >>> plan = plan_member_tally(tally)
    >>> plan.shown, plan.small
    (('institutional', 'partner', 'backbone'), ('overall', 'community'))
    """
    k = checked_min_group_size(min_group_size)
    unknown = [view for view in views if view not in VIEW_GROUPS]
    if unknown:
        raise ScoringError(f"unknown member-type views {unknown}")
    items = tuple(sorted((key, count) for key, count in tally.items() if count))
    for (member_type, source, _release), count in items:
        checked_member_type(member_type, where="respondent counts")
        checked_source(source, where="respondent counts")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ScoringError(
                f"count for member type {member_type!r} is {count!r}; expected an integer >= 0"
            )
    return _cached_plan(items, tuple(views), k)


@lru_cache(maxsize=8192)
def _cached_plan(
    items: tuple[tuple[tuple[str, str, int], int], ...], views: tuple[str, ...], k: int
) -> ViewPlan:
    # Results plan the same few count combinations for every item of every round, and a
    # plan depends on nothing but the counts, so plans are kept.
    return plan_released_views(
        dict(items),
        {view: VIEW_GROUPS[view] for view in views},
        keep=[view for view in KEPT_VIEWS if view in views],
        min_group_size=k,
    )


@dataclass(frozen=True, slots=True)
class ViewCount:
    """Respondents in one member-type view; ``None`` when the view is hidden."""

    view: str
    count: int | None
    is_suppressed: bool


def view_counts(
    tally: MemberTally, *, min_group_size: int = MIN_GROUP_SIZE
) -> tuple[ViewCount, ...]:
    """Respondents per member-type view, small and derivable views hidden.

    >>> [(c.view, c.count) for c in view_counts({("partner", "self", 1): 6})]
    [('overall', 6), ('community', 0), ('institutional', 6), ('partner', 6), ('backbone', 0)]
    """
    plan = plan_member_tally(tally, min_group_size=min_group_size)
    by_type = dict.fromkeys(MEMBER_TYPES, 0)
    for (member_type, _source, _release), count in tally.items():
        by_type[member_type] += count
    return tuple(
        ViewCount(
            view,
            sum(by_type[member] for member in VIEW_GROUPS[view]) if plan.is_shown(view) else None,
            not plan.is_shown(view),
        )
        for view in MEMBER_VIEWS
    )
