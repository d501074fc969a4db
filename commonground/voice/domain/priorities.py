"""Priorities ranked by residents and by institutions, separately and anonymously (k = 5).

Each ballot ranks some candidates, most important first. A candidate earns ``m - i``
points at position ``i`` (0-based) of a ballot over ``m`` candidates (a Borda count;
unranked candidates earn nothing), and the groups' rankings are shown side by side.
A group's ranking is shown only when the suppression plan shows its view: 0 or at
least k ballots of each source (self-submitted, typed in from paper). No total over
both groups is published, so neither group can be found by subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from commonground.assessments.domain.suppression import MIN_GROUP_SIZE, plan_source_views

GROUPS = ("residents", "institutions")


@dataclass(frozen=True, slots=True)
class Ballot:
    group: str
    ranking: tuple[int, ...]
    is_paper: bool = False


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    candidate: int
    points: int
    rank: int


@dataclass(frozen=True, slots=True)
class GroupRanking:
    group: str
    ballots: int | None
    suppressed: bool
    ranking: tuple[RankedCandidate, ...]


def borda(ballots: Sequence[Ballot], candidates: Sequence[int]) -> list[RankedCandidate]:
    """Points and rank (ties share a rank) of every candidate.

    >>> [(r.candidate, r.points, r.rank) for r in borda(
    ...     [Ballot("residents", (1, 2)), Ballot("residents", (2, 1, 3))], [1, 2, 3])]
    [(1, 5, 1), (2, 5, 1), (3, 1, 3)]
    """
    m = len(candidates)
    points = dict.fromkeys(candidates, 0)
    for ballot in ballots:
        for position, candidate in enumerate(ballot.ranking):
            if candidate in points:
                points[candidate] += m - position
    order = sorted(candidates, key=lambda c: (-points[c], candidates.index(c)))
    ranked: list[RankedCandidate] = []
    for candidate in order:
        better = sum(1 for other in candidates if points[other] > points[candidate])
        ranked.append(RankedCandidate(candidate, points[candidate], better + 1))
    return ranked


def rank_by_group(
    ballots: Sequence[Ballot], candidates: Sequence[int], *, min_group_size: int = MIN_GROUP_SIZE
) -> dict[str, GroupRanking]:
    """Each group's ranking, or a suppressed placeholder.

    >>> ballots = [Ballot("residents", (1, 2))] * 5 + [Ballot("institutions", (2, 1))] * 4
    >>> result = rank_by_group(ballots, [1, 2])
    >>> result["residents"].ranking[0].candidate, result["institutions"].suppressed
    (1, True)
    """
    counts: dict[str, dict[str, int]] = {"self": {}, "paper": {}}
    for ballot in ballots:
        if ballot.group not in GROUPS:
            continue
        bucket = counts["paper" if ballot.is_paper else "self"]
        bucket[ballot.group] = bucket.get(ballot.group, 0) + 1
    filled = {source: {g: c.get(g, 0) for g in GROUPS} for source, c in counts.items()}
    plan = plan_source_views(
        filled, {group: [group] for group in GROUPS}, min_group_size=min_group_size
    )
    result = {}
    for group in GROUPS:
        mine = [ballot for ballot in ballots if ballot.group == group]
        shown = plan.is_shown(group)
        result[group] = GroupRanking(
            group=group,
            ballots=len(mine) if shown else None,
            suppressed=not shown,
            ranking=tuple(borda(mine, candidates)) if shown and mine else (),
        )
    return result
