"""Member types and which member-type views of an aggregate may be shown.

Every assessment result is split by member type: community members (residents),
institutional partners, and backbone staff. "Institutional" is partners and
backbone together, the side compared with residents in the voice gap.

The five views of one aggregate overlap (overall = community + institutional,
institutional = partner + backbone), so suppression is planned over all five at
once with ``suppression.plan_views``, keeping in this order of importance:
overall, community, institutional, then partner and backbone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Final

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.suppression import MIN_GROUP_SIZE, ViewPlan, plan_views

COMMUNITY: Final = "community"
PARTNER: Final = "partner"
BACKBONE: Final = "backbone"
MEMBER_TYPES: Final = (COMMUNITY, PARTNER, BACKBONE)
INSTITUTIONAL_TYPES: Final = (PARTNER, BACKBONE)

OVERALL: Final = "overall"
INSTITUTIONAL: Final = "institutional"
MEMBER_VIEWS: Final = (OVERALL, COMMUNITY, INSTITUTIONAL, PARTNER, BACKBONE)
"""Views of one aggregate, in the order results list them."""

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


def plan_member_views(
    counts_by_type: Mapping[str, int], *, min_group_size: int = MIN_GROUP_SIZE
) -> ViewPlan:
    """Return which of the five member-type views may be shown for these counts.

    Hand-worked: 10 residents, 3 partners, 1 backbone. Partner, backbone and
    institutional (4) are small. Overall and community both shown would give
    institutional = 14 - 10 = 4, so community is hidden as the complement and only
    the overall view is shown.

    >>> plan_member_views({"community": 10, "partner": 3, "backbone": 1}).shown
    ('overall',)
    >>> plan_member_views({"community": 6, "partner": 8, "backbone": 5}).shown
    ('overall', 'community', 'institutional', 'partner', 'backbone')
    """
    for member_type in counts_by_type:
        checked_member_type(member_type, where="respondent counts")
    community, partner, backbone = (
        counts_by_type.get(member_type, 0) for member_type in MEMBER_TYPES
    )
    if all(type(value) is int for value in (community, partner, backbone, min_group_size)):
        return _cached_plan(community, partner, backbone, min_group_size)
    return _plan(community, partner, backbone, min_group_size)  # raises: not counts


def _plan(community: int, partner: int, backbone: int, min_group_size: int) -> ViewPlan:
    return plan_views(
        {COMMUNITY: community, PARTNER: partner, BACKBONE: backbone},
        VIEW_GROUPS,
        keep=(OVERALL, COMMUNITY, INSTITUTIONAL),
        min_group_size=min_group_size,
    )


# Results plan the same few count combinations for every item of every round, and a
# plan depends on nothing but the counts, so the plans of plain integer counts are kept.
_cached_plan = lru_cache(maxsize=4096)(_plan)
