"""The result of a vote under a body's decision rule and quorum.

Each vote is a seat's choice (yes, no, abstain, block) with the seat's votes. Quorum is
a number of seats present; below it nothing is decided. Rules:

- simple majority: approved when the yes votes outnumber the no votes (abstentions
  are not counted);
- two-thirds: approved when yes is at least two thirds of yes + no;
- consensus: approved when at least one seat says yes and none says no or blocks
  (an abstention stands aside);
- one vote per organization: each organization counts once, with one vote (its first
  seat's choice), then simple majority.

>>> tally("simple_majority", [Ballot("a", "yes", 1), Ballot("b", "no", 1),
...       Ballot("c", "yes", 1)], quorum=2, present=3).approved
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from commonground.governance.domain.errors import GovernanceError

RULES = ("consensus", "simple_majority", "two_thirds", "one_vote_per_organization")
CHOICES = ("yes", "no", "abstain", "block")


@dataclass(frozen=True, slots=True)
class Ballot:
    seat: str
    choice: str
    votes: int = 1
    organization: str | None = None  # under one vote per organization


@dataclass(frozen=True, slots=True)
class Tally:
    rule: str
    quorum: int
    present: int
    quorum_reached: bool
    yes: int
    no: int
    abstain: int
    block: int
    approved: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "quorum": self.quorum,
            "present": self.present,
            "quorum_reached": self.quorum_reached,
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "block": self.block,
            "approved": self.approved,
        }


def tally(rule: str, ballots: Sequence[Ballot], *, quorum: int, present: int) -> Tally:
    """Count ``ballots`` under ``rule``; not approved without quorum (``present < quorum``)."""
    if rule not in RULES:
        raise GovernanceError(f"unknown decision rule {rule!r}")
    if quorum < 0 or present < 0:
        raise GovernanceError("quorum and seats present cannot be negative")
    seen: set[str] = set()
    counted: list[Ballot] = []
    for ballot in ballots:
        if ballot.choice not in CHOICES:
            raise GovernanceError(f"unknown vote {ballot.choice!r}")
        if ballot.seat in seen:
            raise GovernanceError(f"seat {ballot.seat!r} voted twice")
        seen.add(ballot.seat)
        if rule == "one_vote_per_organization":
            org = ballot.organization or f"seat:{ballot.seat}"
            if org in {b.organization or f"seat:{b.seat}" for b in counted}:
                continue
            counted.append(Ballot(ballot.seat, ballot.choice, 1, org))
        else:
            counted.append(ballot)
    totals = {c: sum(b.votes for b in counted if b.choice == c) for c in CHOICES}
    reached = present >= quorum
    yes, no = totals["yes"], totals["no"]
    if rule == "consensus":
        passes = yes > 0 and no == 0 and totals["block"] == 0
    elif rule == "two_thirds":
        passes = yes + no > 0 and Fraction(yes, yes + no) >= Fraction(2, 3)
    else:
        passes = yes > no
    return Tally(
        rule=rule,
        quorum=quorum,
        present=present,
        quorum_reached=reached,
        yes=yes,
        no=no,
        abstain=totals["abstain"],
        block=totals["block"],
        approved=reached and passes,
    )


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    period: str  # e.g. "2026-Q1"
    seat_type: str
    is_present: bool


@dataclass(frozen=True, slots=True)
class Rate:
    period: str
    seat_type: str
    present: int
    expected: int
    rate: float | None


def attendance_rates(rows: Sequence[AttendanceRow]) -> list[Rate]:
    """Present / expected per period and seat type, sorted by period then type."""
    counts: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        cell = counts.setdefault((row.period, row.seat_type), [0, 0])
        cell[1] += 1
        if row.is_present:
            cell[0] += 1
    return [
        Rate(period, seat_type, p, n, p / n if n else None)
        for (period, seat_type), (p, n) in sorted(counts.items())
    ]
