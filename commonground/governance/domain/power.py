"""Who holds the votes: the community share of voting power, per body and for the coalition.

Plain data in, plain data out. A seat has a type, a number of votes, a holder (an
organization or a person; ``None`` = vacant) and whether it is paid. The *community
share* of a body is the votes of community seats (by default residents and
community-based organizations) over all its votes, counting vacant seats as their
type's (the seats exist; ``community_share``) and, separately, over filled seats only
(``community_share_filled``). The coalition's share takes the seats of every body that
*decides* together.

>>> seats = [Seat("Council", "R1", "resident", 1, "Ana", True),
...          Seat("Council", "H1", "institution", 1, "Mercy Hospital", False)]
>>> share = body_shares(seats)[0]
>>> share.community_share, share.paid_community_share
(0.5, 1.0)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from commonground.governance.domain.errors import GovernanceError

SEAT_TYPES = (
    "resident",
    "community_organization",
    "institution",
    "government",
    "funder",
    "ex_officio",
)
COMMUNITY_TYPES = ("resident", "community_organization")
AUTHORITIES = ("decides", "recommends", "advises")
ONE_VOTE_PER_ORGANIZATION = "one_vote_per_organization"
DEFAULT_TARGET = 0.5


@dataclass(frozen=True, slots=True)
class Seat:
    body: str
    seat: str
    type: str
    votes: int
    holder: str | None = None  # None or "": vacant
    paid: bool = False
    authority: str = "decides"
    rule: str = ""  # "one_vote_per_organization" or any other rule name

    @property
    def is_vacant(self) -> bool:
        return not (self.holder or "").strip()


@dataclass(frozen=True, slots=True)
class Share:
    """The power figures of one body (or of the coalition's deciding bodies together)."""

    body: str | None
    seats: int
    vacant: int
    votes: int
    community_share: float | None
    community_share_filled: float | None
    largest_holder_share: float | None
    paid_community_share: float | None
    below_target: bool
    duplicate_holders: list[str]
    # Not part of the command line's contract: pages show them.
    largest_holder: str | None = None
    vacant_by_type: dict[str, int] = field(default_factory=dict)
    seats_by_type: dict[str, int] = field(default_factory=dict)
    votes_by_type: dict[str, int] = field(default_factory=dict)
    authority: str = "decides"
    rule: str = ""
    target: float = DEFAULT_TARGET

    def as_contract(self) -> dict[str, object]:
        """The keys of ``commonground analyze governance --json``, in its order."""
        return {
            "body": self.body,
            "seats": self.seats,
            "vacant": self.vacant,
            "votes": self.votes,
            "community_share": self.community_share,
            "community_share_filled": self.community_share_filled,
            "largest_holder_share": self.largest_holder_share,
            "paid_community_share": self.paid_community_share,
            "below_target": self.below_target,
            "duplicate_holders": list(self.duplicate_holders),
        }


def _fraction(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def holder_key(holder: str) -> str:
    """Holders are the same organization when their names match ignoring case and spaces."""
    return " ".join(holder.split()).casefold()


def check_target(target: float) -> Fraction:
    if not 0 <= target <= 1:
        raise GovernanceError(f"the target must be a share from 0 to 1, not {target}")
    return Fraction(str(target))


def check_community_types(types: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(t.strip() for t in types if t.strip()))
    if not chosen:
        raise GovernanceError("name at least one community seat type")
    unknown = [t for t in chosen if t not in SEAT_TYPES]
    if unknown:
        raise GovernanceError(
            f"unknown seat type {unknown[0]!r} in the community types; use " + ", ".join(SEAT_TYPES)
        )
    return chosen


def share_of(
    seats: Sequence[Seat],
    *,
    body: str | None,
    community_types: Sequence[str] = COMMUNITY_TYPES,
    target: float = DEFAULT_TARGET,
    one_vote_per_organization: bool = False,
    authority: str = "decides",
    rule: str = "",
) -> Share:
    """The figures of one group of seats.

    community_share = votes of community seats / all votes (vacant seats included);
    community_share_filled = the same over filled seats (None when none is filled or
    they hold no vote); largest_holder_share = the votes of the holder with the most
    votes / all votes; paid_community_share = paid community seats / community seats
    (None when there is no community seat). Shares are None when there is no vote.
    """
    goal = check_target(target)
    community = set(community_types)
    votes = sum(s.votes for s in seats)
    community_votes = sum(s.votes for s in seats if s.type in community)
    filled = [s for s in seats if not s.is_vacant]
    filled_votes = sum(s.votes for s in filled)
    filled_community = sum(s.votes for s in filled if s.type in community)
    by_holder: dict[str, int] = defaultdict(int)
    seats_of: Counter[str] = Counter()
    names: dict[str, str] = {}
    for s in filled:
        key = holder_key(s.holder or "")
        names.setdefault(key, " ".join((s.holder or "").split()))
        by_holder[key] += s.votes
        seats_of[key] += 1
    largest_key = max(by_holder, key=lambda k: (by_holder[k], -list(names).index(k)), default=None)
    largest = by_holder[largest_key] if largest_key is not None else 0
    community_seats = [s for s in seats if s.type in community]
    paid = sum(1 for s in community_seats if s.paid)
    share = _fraction(community_votes, votes)
    duplicates = (
        sorted(names[k] for k, n in seats_of.items() if n > 1) if one_vote_per_organization else []
    )
    return Share(
        body=body,
        seats=len(seats),
        vacant=len(seats) - len(filled),
        votes=votes,
        community_share=_float(share),
        community_share_filled=_float(_fraction(filled_community, filled_votes)),
        largest_holder_share=_float(_fraction(largest, votes)),
        paid_community_share=_float(_fraction(paid, len(community_seats))),
        below_target=share is not None and share < goal,
        duplicate_holders=duplicates,
        largest_holder=names[largest_key] if largest_key is not None else None,
        vacant_by_type=dict(Counter(s.type for s in seats if s.is_vacant)),
        seats_by_type=dict(Counter(s.type for s in seats)),
        votes_by_type=dict(
            Counter(
                {t: sum(s.votes for s in seats if s.type == t) for t in {s.type for s in seats}}
            )
        ),
        authority=authority,
        rule=rule,
        target=float(goal),
    )


@dataclass(frozen=True, slots=True)
class PowerReport:
    bodies: list[Share]
    coalition: Share

    def as_contract(self) -> dict[str, object]:
        return {
            "bodies": [b.as_contract() for b in self.bodies],
            "coalition": self.coalition.as_contract(),
        }


def _body_setting(seats: Sequence[Seat], name: str, default: str) -> str:
    values = {getattr(s, name).strip() for s in seats if getattr(s, name).strip()}
    if len(values) > 1:
        raise GovernanceError(
            f"body {seats[0].body!r} has different {name} values: " + ", ".join(sorted(values))
        )
    return values.pop() if values else default


def body_shares(
    seats: Sequence[Seat],
    *,
    community_types: Sequence[str] = COMMUNITY_TYPES,
    target: float = DEFAULT_TARGET,
) -> list[Share]:
    """One ``Share`` per body, bodies in the order they first appear."""
    return power_report(seats, community_types=community_types, target=target).bodies


def power_report(
    seats: Sequence[Seat],
    *,
    community_types: Sequence[str] = COMMUNITY_TYPES,
    target: float = DEFAULT_TARGET,
) -> PowerReport:
    """Per body and for the coalition (the seats of the bodies that decide, together).

    The coalition's ``duplicate_holders`` is the sorted union of its deciding bodies'.
    """
    community_types = check_community_types(community_types)
    check_target(target)
    grouped: dict[str, list[Seat]] = {}
    for s in seats:
        grouped.setdefault(s.body, []).append(s)
    bodies: list[Share] = []
    deciding: list[Seat] = []
    duplicates: set[str] = set()
    for name, members in grouped.items():
        authority = _body_setting(members, "authority", "decides")
        if authority not in AUTHORITIES:
            raise GovernanceError(
                f"body {name!r}: authority must be one of {', '.join(AUTHORITIES)}"
            )
        rule = _body_setting(members, "rule", "")
        share = share_of(
            members,
            body=name,
            community_types=community_types,
            target=target,
            one_vote_per_organization=rule == ONE_VOTE_PER_ORGANIZATION,
            authority=authority,
            rule=rule,
        )
        bodies.append(share)
        if authority == "decides":
            deciding.extend(members)
            duplicates.update(share.duplicate_holders)
    overall = share_of(deciding, body=None, community_types=community_types, target=target)
    coalition = Share(
        **{
            **{f: getattr(overall, f) for f in Share.__dataclass_fields__},
            "duplicate_holders": sorted(duplicates),
        }
    )
    return PowerReport(bodies=bodies, coalition=coalition)
