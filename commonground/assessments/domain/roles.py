"""Role-matrix gaps and the partners suggested to fill them.

Role matrix: for each focus area and each of the eight roles, the coalition says
whether the role is needed and whether the backbone or coalition covers it
internally. A *gap* is a role that is needed and not covered internally: it needs
an external partner.

Partner suggestion score for an ecosystem actor who plays the gap's role and is
not yet a coalition member (points, 8 at most):

- tie points: the intensity of its strongest existing tie to the coalition,
  0 (none) to 3 (strong);
- trust points: ``trust_received - 1``, where ``trust_received`` is the mean trust
  (1-4) other actors report in it; missing counts as the neutral midpoint 2.5,
  giving 1.5 points;
- diversity points: 2 when its sector is not yet in the coalition, else 0.

``score = (tie + trust + diversity) / 8``, from 0 to 1. Candidates are ranked by
score (highest first), then by name (case-insensitive), then by actor id.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final

from commonground.assessments.domain.errors import ScoringError

MAX_TIE_INTENSITY: Final = 3
TRUST_MIN: Final = 1
TRUST_MAX: Final = 4
NEUTRAL_TRUST: Final = Fraction(5, 2)
NEW_SECTOR_POINTS: Final = 2
MAX_POINTS: Final = MAX_TIE_INTENSITY + (TRUST_MAX - TRUST_MIN) + NEW_SECTOR_POINTS
DEFAULT_SUGGESTION_LIMIT: Final = 5


@dataclass(frozen=True, slots=True)
class RoleMatrixEntry:
    """One cell of the role matrix for a focus area."""

    focus_area_id: str
    role_id: str
    is_needed: bool
    is_covered_internally: bool


@dataclass(frozen=True, slots=True)
class RoleGap:
    """A needed role that is not covered internally: an external partner is needed."""

    focus_area_id: str
    role_id: str


@dataclass(frozen=True, slots=True)
class Actor:
    """An ecosystem actor as the suggestion rule sees it.

    ``tie_intensity`` is its strongest tie to the coalition (0-3, 0 when none);
    ``trust_received`` the mean trust (1-4) others report in it, ``None`` when unrated.
    """

    actor_id: str
    name: str
    sector_id: str
    role_ids: frozenset[str]
    tie_intensity: int = 0
    trust_received: float | None = None
    is_member: bool = False


@dataclass(frozen=True, slots=True)
class PartnerSuggestion:
    actor_id: str
    name: str
    sector_id: str
    rank: int
    score: float
    tie_points: float
    trust_points: float
    diversity_points: float
    is_new_sector: bool


@dataclass(frozen=True, slots=True)
class GapSuggestions:
    gap: RoleGap
    suggestions: tuple[PartnerSuggestion, ...]


def find_role_gaps(entries: Sequence[RoleMatrixEntry]) -> tuple[RoleGap, ...]:
    """Return the gaps (needed and not covered internally) in the order given.

    >>> find_role_gaps([
    ...     RoleMatrixEntry("housing", "funding", is_needed=True, is_covered_internally=False),
    ...     RoleMatrixEntry("housing", "convening", is_needed=True, is_covered_internally=True),
    ...     RoleMatrixEntry("housing", "advising", is_needed=False, is_covered_internally=False),
    ... ])
    (RoleGap(focus_area_id='housing', role_id='funding'),)
    """
    seen: set[tuple[str, str]] = set()
    gaps: list[RoleGap] = []
    for entry in entries:
        key = (entry.focus_area_id, entry.role_id)
        if key in seen:
            raise ScoringError(
                f"role {entry.role_id!r} is listed twice for focus area {entry.focus_area_id!r}"
            )
        seen.add(key)
        if entry.is_needed and not entry.is_covered_internally:
            gaps.append(RoleGap(entry.focus_area_id, entry.role_id))
    return tuple(gaps)


def uncovered_role_ids(gaps: Sequence[RoleGap]) -> tuple[str, ...]:
    """Return each role id with a gap in any focus area, once, in first-seen order.

    >>> uncovered_role_ids(
    ...     [RoleGap("a", "funding"), RoleGap("b", "learning"), RoleGap("b", "funding")]
    ... )
    ('funding', 'learning')
    """
    return tuple(dict.fromkeys(gap.role_id for gap in gaps))


def _check_actor(actor: Actor) -> None:
    intensity = actor.tie_intensity
    if isinstance(intensity, bool) or not isinstance(intensity, int):
        raise ScoringError(
            f"actor {actor.name!r}: tie intensity {intensity!r} is not a whole number"
        )
    if not 0 <= intensity <= MAX_TIE_INTENSITY:
        raise ScoringError(
            f"actor {actor.name!r}: tie intensity {intensity} is outside 0 to {MAX_TIE_INTENSITY}"
        )
    trust = actor.trust_received
    if trust is not None and (
        isinstance(trust, bool)
        or not isinstance(trust, int | float)
        or not math.isfinite(trust)
        or not TRUST_MIN <= trust <= TRUST_MAX
    ):
        raise ScoringError(
            f"actor {actor.name!r}: trust received {trust!r} is outside {TRUST_MIN} to {TRUST_MAX}"
        )


def score_partner(actor: Actor, *, coalition_sector_ids: Collection[str]) -> PartnerSuggestion:
    """Return the unranked suggestion score of ``actor`` (formula in the module docstring).

    Hand-worked: a faith group with a tie of intensity 1, trust received 3.0, from a
    sector new to the coalition: (1 + 2 + 2) / 8 = 0.625.

    >>> actor = Actor("a1", "Faith Alliance", "faith", frozenset({"convening"}), 1, 3.0)
    >>> score_partner(actor, coalition_sector_ids={"health_care"}).score
    0.625
    """
    _check_actor(actor)
    tie_points = Fraction(actor.tie_intensity)
    trust = NEUTRAL_TRUST if actor.trust_received is None else Fraction(actor.trust_received)
    trust_points = trust - TRUST_MIN
    is_new_sector = actor.sector_id not in coalition_sector_ids
    diversity_points = Fraction(NEW_SECTOR_POINTS if is_new_sector else 0)
    return PartnerSuggestion(
        actor_id=actor.actor_id,
        name=actor.name,
        sector_id=actor.sector_id,
        rank=0,
        score=float((tie_points + trust_points + diversity_points) / MAX_POINTS),
        tie_points=float(tie_points),
        trust_points=float(trust_points),
        diversity_points=float(diversity_points),
        is_new_sector=is_new_sector,
    )


def suggest_partners(
    gaps: Sequence[RoleGap],
    actors: Sequence[Actor],
    *,
    coalition_sector_ids: Collection[str],
    limit: int = DEFAULT_SUGGESTION_LIMIT,
) -> tuple[GapSuggestions, ...]:
    """Return, for each gap, the top ``limit`` non-member actors who play its role.

    Ranking: score (highest first), then name (case-insensitive), then actor id.
    Every actor is validated, including those that match no gap.

    >>> actors = [
    ...     Actor("h", "Eastside Housing", "housing", frozenset({"funding"})),
    ...     Actor("p", "County Health", "public_health", frozenset({"funding"}), 3, 3.5),
    ... ]
    >>> [s.name for s in suggest_partners(
    ...     [RoleGap("housing", "funding")], actors, coalition_sector_ids={"public_health"}
    ... )[0].suggestions]
    ['County Health', 'Eastside Housing']
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ScoringError(f"suggestion limit {limit!r} must be a whole number of at least 1")
    ids = [actor.actor_id for actor in actors]
    if len(set(ids)) != len(ids):
        raise ScoringError("an actor id is listed more than once")
    scored = [
        (actor, score_partner(actor, coalition_sector_ids=coalition_sector_ids)) for actor in actors
    ]
    results: list[GapSuggestions] = []
    for gap in gaps:
        candidates = sorted(
            (
                suggestion
                for actor, suggestion in scored
                if gap.role_id in actor.role_ids and not actor.is_member
            ),
            key=lambda s: (-s.score, s.name.casefold(), s.actor_id),
        )
        ranked = tuple(
            replace(suggestion, rank=position + 1)
            for position, suggestion in enumerate(candidates[:limit])
        )
        results.append(GapSuggestions(gap=gap, suggestions=ranked))
    return tuple(results)
