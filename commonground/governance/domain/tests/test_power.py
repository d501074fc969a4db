"""Power share against hand-worked examples from the IHI guide and independent sums."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.governance.domain.errors import GovernanceError
from commonground.governance.domain.power import Seat, power_report, share_of


def wsu_planning_committee() -> list[Seat]:
    """WSU's planning committee: 8 residents, 4 institutional representatives, 2 government
    representatives and 2 citywide nonprofit leaders (16 seats, one vote each)."""
    seats = [Seat("Planning", f"R{i}", "resident", 1, f"Resident {i}", True) for i in range(8)]
    seats += [Seat("Planning", f"I{i}", "institution", 1, f"Hospital {i}") for i in range(4)]
    seats += [Seat("Planning", f"G{i}", "government", 1, f"City {i}") for i in range(2)]
    # Citywide nonprofits are "other" unless the coalition counts them as community.
    seats += [Seat("Planning", f"N{i}", "funder", 1, f"Nonprofit {i}") for i in range(2)]
    return seats


def test_wsu_planning_committee_is_half_community_without_the_citywide_nonprofits() -> None:
    share = share_of(wsu_planning_committee(), body="Planning")
    assert share.community_share == 0.5  # 8 / 16
    assert share.below_target is False  # exactly at the target is not below it
    assert share.paid_community_share == 1.0
    assert share.largest_holder_share == 1 / 16
    assert share.community_share_filled == 0.5


def test_wsu_planning_committee_is_62_5_percent_when_nonprofits_count_as_community() -> None:
    seats = [
        Seat(s.body, s.seat, "community_organization", s.votes, s.holder)
        if s.type == "funder"
        else s
        for s in wsu_planning_committee()
    ]
    share = share_of(seats, body="Planning")
    assert share.community_share == 0.625  # (8 + 2) / 16
    # Same answer from the types instead of the seats: count funder as community.
    again = share_of(
        wsu_planning_committee(), body="Planning", community_types=["resident", "funder"]
    )
    assert again.community_share == 0.625
    # 2 paid of 10 community seats? No: the 8 residents are paid, the 2 nonprofits not.
    assert share.paid_community_share == 0.8


def test_executive_council_six_and_six_is_exactly_half_with_community_seats_vacant() -> None:
    seats = [Seat("ELC", f"H{i}", "institution", 1, f"Health system {i}") for i in range(6)]
    seats += [Seat("ELC", f"C{i}", "resident", 1, f"Rep {i}" if i < 2 else None) for i in range(6)]
    share = share_of(seats, body="ELC")
    assert share.community_share == 0.5  # vacant seats count as their type's
    assert share.community_share_filled == 2 / 8  # 2 filled community of 8 filled
    assert share.vacant == 4 and share.vacant_by_type == {"resident": 4}
    assert share.below_target is False
    assert share.paid_community_share == 0.0


def test_one_organization_holding_two_seats_is_flagged_only_under_one_vote_per_organization() -> (
    None
):
    seats = [
        Seat(
            "Housing",
            "H1",
            "community_organization",
            1,
            "Montgomery Housing Partnership",
            rule="one_vote_per_organization",
        ),
        Seat(
            "Housing",
            "H2",
            "community_organization",
            1,
            "montgomery  housing partnership",
            rule="one_vote_per_organization",
        ),
        Seat("Housing", "C", "government", 1, "City", rule="one_vote_per_organization"),
        Seat("Other", "A", "institution", 1, "Hospital"),
        Seat("Other", "B", "institution", 1, "Hospital"),
    ]
    report = power_report(seats)
    housing, other = report.bodies
    assert housing.duplicate_holders == ["Montgomery Housing Partnership"]
    assert housing.largest_holder_share == pytest.approx(2 / 3)
    assert other.duplicate_holders == []  # same holder twice, but no such rule
    assert report.coalition.duplicate_holders == ["Montgomery Housing Partnership"]


def test_coalition_counts_only_deciding_bodies_and_agrees_with_numpy() -> None:
    rng = np.random.default_rng(7)
    types = np.array(
        ["resident", "community_organization", "institution", "government", "funder", "ex_officio"]
    )
    seats: list[Seat] = []
    for b in range(5):
        authority = ["decides", "advises", "decides", "recommends", "decides"][b]
        for i in range(int(rng.integers(3, 12))):
            kind = str(rng.choice(types))
            votes = int(rng.integers(0 if kind == "ex_officio" else 1, 4))
            holder = None if rng.random() < 0.2 else f"Org {int(rng.integers(0, 9))}"
            seats.append(
                Seat(f"B{b}", f"S{i}", kind, votes, holder, bool(rng.random() < 0.5), authority)
            )
    report = power_report(seats)
    deciding = [s for s in seats if s.authority == "decides"]
    votes = np.array([s.votes for s in deciding])
    community = np.array([s.type in ("resident", "community_organization") for s in deciding])
    assert report.coalition.votes == votes.sum()
    assert report.coalition.community_share == pytest.approx(votes[community].sum() / votes.sum())
    filled = np.array([s.holder is not None for s in deciding])
    assert report.coalition.community_share_filled == pytest.approx(
        votes[community & filled].sum() / votes[filled].sum()
    )
    by_holder: dict[str, int] = {}
    for s in deciding:
        if s.holder:
            by_holder[s.holder] = by_holder.get(s.holder, 0) + s.votes
    assert report.coalition.largest_holder_share == pytest.approx(
        max(by_holder.values()) / votes.sum()
    )
    assert [b.body for b in report.bodies] == ["B0", "B1", "B2", "B3", "B4"]


@pytest.mark.parametrize(
    ("seats", "expected"),
    [
        (
            [],
            {"community_share": None, "community_share_filled": None, "paid_community_share": None},
        ),
        (
            [Seat("X", "a", "ex_officio", 0, "Mayor")],
            {"community_share": None, "community_share_filled": None, "paid_community_share": None},
        ),
        (
            [Seat("X", "a", "resident", 1, None)],
            {"community_share": 1.0, "community_share_filled": None, "paid_community_share": 0.0},
        ),
    ],
)
def test_empty_and_voteless_bodies_give_null_shares(
    seats: list[Seat], expected: dict[str, object]
) -> None:
    share = share_of(seats, body="X")
    for key, value in expected.items():
        assert getattr(share, key) == value
    assert share.below_target is False


def test_below_target_uses_the_coalitions_own_target() -> None:
    seats = [Seat("X", "a", "resident", 2, "A"), Seat("X", "b", "institution", 3, "B")]
    assert share_of(seats, body="X").below_target is True  # 0.4 < 0.5
    assert share_of(seats, body="X", target=0.4).below_target is False


def test_bad_inputs_raise_the_one_error_type() -> None:
    with pytest.raises(GovernanceError, match="target"):
        power_report([], target=1.5)
    with pytest.raises(GovernanceError, match="unknown seat type"):
        power_report([], community_types=["neighbors"])
    with pytest.raises(GovernanceError, match="different authority"):
        power_report(
            [
                Seat("X", "a", "resident", 1, authority="decides"),
                Seat("X", "b", "resident", 1, authority="advises"),
            ]
        )
