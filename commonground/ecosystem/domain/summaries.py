"""Short summaries of a coalition's ecosystem for other capabilities (assessments, reports).

:class:`ActorSummary` tells, per actor, its sector, the framework roles it plays,
how strongly it is tied to the coalition core and the trust it receives.
:class:`EcosystemFacts` gives the headline counts of the whole map.

Intensity of a tie is stored on the 1-4 scale (1 awareness, 2 cooperation,
3 coordination, 4 integration). ``tie_intensity_to_core`` reports it on 0-3 as
*working* intensity: 0 when there is no tie to a core actor or only awareness,
1 cooperation, 2 coordination, 3 integration — i.e. ``max(0, intensity − 1)`` of
the strongest tie, in either direction, with an actor of the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from commonground.ecosystem.domain.model import COALITION_MEMBER_ROLE, Network
from commonground.ecosystem.domain.ratings import score_ratings

__all__ = ["ActorSummary", "EcosystemFacts", "summarize_actors"]


@dataclass(frozen=True, slots=True)
class ActorSummary:
    """One actor as other capabilities need it (see the module docstring for the scale)."""

    id: int
    name: str
    sector_id: str
    role_ids: frozenset[str]
    tie_intensity_to_core: int
    trust_received: float | None
    is_member: bool


@dataclass(frozen=True, slots=True)
class EcosystemFacts:
    """Headline facts of a coalition's ecosystem map.

    ``missing_sector_ids`` lists, in taxonomy order, the sectors with no actor or
    with actors none of which is tied to the coalition core. ``response_rate`` is
    the share (0-1) of invited actors that answered the latest network survey,
    ``None`` without a survey.
    """

    actor_count: int
    tie_count: int
    sector_ids_present: frozenset[str]
    missing_sector_ids: tuple[str, ...]
    response_rate: float | None
    snapshot_count: int


def summarize_actors(network: Network, ids: Mapping[str, int]) -> list[ActorSummary]:
    """Return one :class:`ActorSummary` per actor of ``network``, in the network's order.

    ``ids`` maps an actor's network id to its integer id. The core is the actors
    with the ``coalition_member`` role; ``role_ids`` leaves that marker out.

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> net = Network(
    ...     actors=(
    ...         Actor("1", "food", frozenset({"coalition_member", "funding"}), name="Hub"),
    ...         Actor("2", "housing", name="Homes"),
    ...         Actor("3", "media", name="Radio"),
    ...     ),
    ...     ties=(
    ...         Tie("2", "1", intensity=4, reported_by="2", ratings={"reliability": 3}),
    ...         Tie("3", "2", intensity=4),
    ...     ),
    ... )
    >>> [(s.name, s.tie_intensity_to_core, s.trust_received) for s in
    ...  summarize_actors(net, {"1": 1, "2": 2, "3": 3})]
    [('Hub', 0, 3.0), ('Homes', 3, None), ('Radio', 0, None)]
    """
    core = frozenset(a.id for a in network.actors if COALITION_MEMBER_ROLE in a.roles)
    strongest: dict[str, int] = {}
    for tie in network.ties:
        if tie.source == tie.target:
            continue
        level = max(0, (tie.intensity or 1) - 1)
        for end, other in ((tie.source, tie.target), (tie.target, tie.source)):
            if other in core and level > strongest.get(end, 0):
                strongest[end] = level
    trust = score_ratings(network).actor_trust
    return [
        ActorSummary(
            id=ids[actor.id],
            name=actor.name,
            sector_id=actor.sector or "",
            role_ids=actor.roles - {COALITION_MEMBER_ROLE},
            tie_intensity_to_core=min(3, strongest.get(actor.id, 0)),
            trust_received=trust.get(actor.id),
            is_member=actor.id in core,
        )
        for actor in network.actors
    ]
