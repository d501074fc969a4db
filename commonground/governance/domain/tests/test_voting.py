"""Vote results under each rule and quorum, and attendance rates, worked by hand."""

from __future__ import annotations

import pytest

from commonground.governance.domain.errors import GovernanceError
from commonground.governance.domain.voting import AttendanceRow, Ballot, attendance_rates, tally


def ballots(*choices: str) -> list[Ballot]:
    return [Ballot(f"s{i}", c) for i, c in enumerate(choices)]


def test_simple_majority_counts_yes_against_no_and_ignores_abstentions() -> None:
    result = tally(
        "simple_majority", ballots("yes", "yes", "no", "abstain", "abstain"), quorum=5, present=5
    )
    assert (result.yes, result.no, result.abstain, result.approved) == (2, 1, 2, True)
    tie = tally("simple_majority", ballots("yes", "no"), quorum=0, present=2)
    assert tie.approved is False


def test_two_thirds_needs_two_yes_for_every_no() -> None:
    assert tally("two_thirds", ballots("yes", "yes", "no"), quorum=3, present=3).approved is True
    assert (
        tally("two_thirds", ballots("yes", "yes", "no", "no"), quorum=3, present=4).approved
        is False
    )


def test_consensus_body_passes_only_without_a_block_or_a_no() -> None:
    # Seven members: six agree, one stands aside -> consensus.
    assert (
        tally("consensus", ballots(*["yes"] * 6, "abstain"), quorum=5, present=7).approved is True
    )
    blocked = tally("consensus", ballots(*["yes"] * 6, "block"), quorum=5, present=7)
    assert (blocked.yes, blocked.block, blocked.approved) == (6, 1, False)
    assert tally("consensus", ballots(*["yes"] * 6, "no"), quorum=5, present=7).approved is False


def test_body_without_quorum_decides_nothing_even_when_everyone_present_agrees() -> None:
    result = tally("simple_majority", ballots("yes", "yes", "yes"), quorum=7, present=5)
    assert result.quorum_reached is False and result.approved is False
    assert result.yes == 3


def test_one_organization_holding_two_seats_has_one_vote() -> None:
    votes = [
        Ballot("mhp1", "yes", 1, "actor:1"),
        Ballot("mhp2", "yes", 1, "actor:1"),  # the same organization: not counted again
        Ballot("city", "no", 1, "actor:2"),
        Ballot("res", "no", 1, None),
    ]
    result = tally("one_vote_per_organization", votes, quorum=3, present=4)
    assert (result.yes, result.no, result.approved) == (1, 2, False)
    # Without the rule the two seats would have carried a tie to 2-2 (not approved either),
    # and with a third yes seat of another org the count is 2-2 under the rule.
    plain = tally("simple_majority", votes, quorum=3, present=4)
    assert (plain.yes, plain.no) == (2, 2)


def test_weighted_votes_count_with_their_weight() -> None:
    result = tally(
        "simple_majority",
        [Ballot("a", "yes", 3), Ballot("b", "no", 2), Ballot("c", "no", 2)],
        quorum=2,
        present=3,
    )
    assert (result.yes, result.no, result.approved) == (3, 4, False)


def test_a_seat_voting_twice_or_an_unknown_rule_is_refused() -> None:
    with pytest.raises(GovernanceError, match="voted twice"):
        tally("simple_majority", [Ballot("a", "yes"), Ballot("a", "no")], quorum=0, present=1)
    with pytest.raises(GovernanceError, match="unknown decision rule"):
        tally("plurality", [], quorum=0, present=0)


def test_attendance_rate_by_seat_type_and_quarter() -> None:
    rows = [
        AttendanceRow("2026-Q1", "resident", True),
        AttendanceRow("2026-Q1", "resident", True),
        AttendanceRow("2026-Q1", "resident", False),
        AttendanceRow("2026-Q1", "institution", True),
        AttendanceRow("2026-Q2", "resident", False),
        AttendanceRow("2026-Q2", "resident", True),
    ]
    rates = attendance_rates(rows)
    assert [(r.period, r.seat_type, r.present, r.expected) for r in rates] == [
        ("2026-Q1", "institution", 1, 1),
        ("2026-Q1", "resident", 2, 3),
        ("2026-Q2", "resident", 1, 2),
    ]
    assert rates[1].rate == pytest.approx(2 / 3)
    assert attendance_rates([]) == []
