"""Role-matrix gaps and partner ranking, worked by hand."""

from __future__ import annotations

import pytest

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.roles import (
    Actor,
    RoleGap,
    RoleMatrixEntry,
    find_role_gaps,
    suggest_partners,
    uncovered_role_ids,
)


def test_gaps_are_needed_roles_not_covered_internally() -> None:
    entries = [
        RoleMatrixEntry("housing", "funding", is_needed=True, is_covered_internally=False),
        RoleMatrixEntry("housing", "convening", is_needed=True, is_covered_internally=True),
        RoleMatrixEntry("housing", "advising", is_needed=False, is_covered_internally=False),
        RoleMatrixEntry("food", "funding", is_needed=True, is_covered_internally=False),
        RoleMatrixEntry("food", "learning", is_needed=True, is_covered_internally=False),
    ]
    gaps = find_role_gaps(entries)
    assert gaps == (
        RoleGap("housing", "funding"),
        RoleGap("food", "funding"),
        RoleGap("food", "learning"),
    )
    assert uncovered_role_ids(gaps) == ("funding", "learning")


def test_duplicate_matrix_cell_is_rejected() -> None:
    entry = RoleMatrixEntry("housing", "funding", is_needed=True, is_covered_internally=False)
    with pytest.raises(
        ScoringError, match="role 'funding' is listed twice for focus area 'housing'"
    ):
        find_role_gaps([entry, entry])


def test_partner_ranking_worked_by_hand() -> None:
    # Coalition sectors: health_care, public_health. Gap: funding.
    # score = (tie + (trust - 1) + 2 if new sector) / 8; missing trust counts 2.5.
    # County Health   public_health tie 3 trust 3.5: (3 + 2.5 + 0) / 8 = 0.6875
    # Faith Alliance  faith         tie 1 trust 3.0: (1 + 2.0 + 2) / 8 = 0.625
    # Eastside Housing housing      tie 0 no trust : (0 + 1.5 + 2) / 8 = 0.4375
    # Bank Foundation  philanthropy tie 0 trust 2.0: (0 + 1.0 + 2) / 8 = 0.375
    # United Way       philanthropy member: excluded. School district: no funding role.
    actors = [
        Actor("a4", "Bank Foundation", "philanthropy", frozenset({"funding"}), 0, 2.0),
        Actor("a3", "Eastside Housing", "housing", frozenset({"funding", "advocating"})),
        Actor("a2", "Faith Alliance", "faith", frozenset({"funding"}), 1, 3.0),
        Actor("a1", "County Health", "public_health", frozenset({"funding"}), 3, 3.5),
        Actor("a5", "United Way", "philanthropy", frozenset({"funding"}), 3, 4.0, is_member=True),
        Actor("a6", "School District", "education", frozenset({"learning"}), 3, 4.0),
    ]
    result = suggest_partners(
        [RoleGap("housing", "funding")],
        actors,
        coalition_sector_ids={"health_care", "public_health"},
    )[0]
    ranked = [(s.rank, s.name, s.score) for s in result.suggestions]
    assert ranked == [
        (1, "County Health", 0.6875),
        (2, "Faith Alliance", 0.625),
        (3, "Eastside Housing", 0.4375),
        (4, "Bank Foundation", 0.375),
    ]
    eastside = result.suggestions[2]
    assert (eastside.tie_points, eastside.trust_points, eastside.diversity_points) == (0, 1.5, 2)
    assert eastside.is_new_sector


def test_equal_scores_break_ties_by_name_then_id() -> None:
    actors = [
        Actor("b", "zeta org", "faith", frozenset({"amplifying"})),
        Actor("a", "Alpha Org", "faith", frozenset({"amplifying"})),
        Actor("c", "alpha org", "faith", frozenset({"amplifying"})),
    ]
    (result,) = suggest_partners([RoleGap("f", "amplifying")], actors, coalition_sector_ids=())
    assert [s.actor_id for s in result.suggestions] == ["a", "c", "b"]


def test_limit_keeps_the_top_candidates() -> None:
    actors = [Actor(str(i), f"Org {i}", "faith", frozenset({"funding"}), i % 4) for i in range(10)]
    (result,) = suggest_partners(
        [RoleGap("f", "funding")], actors, coalition_sector_ids=(), limit=2
    )
    assert [s.rank for s in result.suggestions] == [1, 2]
    assert all(s.tie_points == 3 for s in result.suggestions)


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        (Actor("x", "Clinic", "health", frozenset(), 4), "actor 'Clinic': tie intensity 4"),
        (Actor("x", "Clinic", "health", frozenset(), -1), "actor 'Clinic': tie intensity -1"),
        (
            Actor("x", "Clinic", "health", frozenset(), 1, 4.5),
            "actor 'Clinic': trust received 4.5 is outside 1 to 4",
        ),
        (
            Actor("x", "Clinic", "health", frozenset(), 1, 0.5),
            "actor 'Clinic': trust received 0.5 is outside 1 to 4",
        ),
    ],
)
def test_bad_actor_values_are_named(actor: Actor, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        suggest_partners([], [actor], coalition_sector_ids=())
