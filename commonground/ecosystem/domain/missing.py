"""Who is missing from the table: sectors and populations absent or cut off from the core.

A sector of the taxonomy is

* ``absent`` when no actor belongs to it;
* ``unconnected`` when it has actors but none is in the coalition core or
  tied (in either direction) to a core actor;
* ``connected`` otherwise.

The core is, in order of preference: the ``core`` ids the caller passes; the
actors holding the ``coalition_member`` role; or, for a network without
members marked, the main core of its largest component — the actors of that
component with the highest k-core number (every one tied to at least k others
of the group), i.e. its most densely interlinked group.

Populations served (``Actor.populations_served``, e.g. Latinx-serving) get
the same three statuses. ``flagged`` names the often-missing sectors and
populations (faith, business, K-12 schools, transit, tribal nations,
Latinx- and Native-serving organizations) that are absent or unconnected.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

import numpy as np

from commonground.ecosystem.domain.model import COALITION_MEMBER_ROLE, Network, NetworkError
from commonground.ecosystem.domain.network import serialized, simple_graph
from commonground.ecosystem.domain.sectors import POPULATIONS, SECTORS

Status = Literal["absent", "unconnected", "connected"]
CoreRule = Literal["given", "coalition_members", "main_core"]


@dataclass(frozen=True, slots=True)
class Presence:
    """How one sector (or population) sits at the table."""

    id: str
    status: Status
    actor_count: int
    connected_actor_count: int
    often_missing: bool


@dataclass(frozen=True, slots=True)
class MissingReport:
    core: tuple[str, ...]
    core_rule: CoreRule
    sectors: tuple[Presence, ...]
    populations: tuple[Presence, ...]
    absent: tuple[str, ...]
    unconnected: tuple[str, ...]
    flagged: tuple[str, ...]
    actors_outside_taxonomy: tuple[str, ...]


@serialized  # igraph runs under the one lock
def _main_core(network: Network) -> frozenset[str]:
    built = simple_graph(network, directed=False)
    graph = built.graph
    if graph.ecount() == 0:
        return frozenset()
    components = graph.connected_components(mode="weak")
    membership = np.asarray(components.membership)
    largest = int(np.argmax(components.sizes()))
    coreness = np.asarray(graph.coreness(mode="all"))
    inside = membership == largest
    top = coreness[inside].max()
    return frozenset(built.ids[i] for i in np.flatnonzero(inside & (coreness == top)))


def find_core(
    network: Network, core: Collection[str] | None = None
) -> tuple[frozenset[str], CoreRule]:
    """Return the coalition core of ``network`` and the rule that chose it (see module doc)."""
    if core is not None:
        given = frozenset(core)
        if not given <= network.actor_ids:
            raise NetworkError(
                f"core names unknown actors: {sorted(given - network.actor_ids)[:3]}"
            )
        return given, "given"
    members = frozenset(a.id for a in network.actors if COALITION_MEMBER_ROLE in a.roles)
    if members:
        return members, "coalition_members"
    return _main_core(network), "main_core"


def _presence(
    group_id: str, actors: set[str], reached: frozenset[str], often_missing: bool
) -> Presence:
    connected = len(actors & reached)
    status: Status = "absent" if not actors else ("connected" if connected else "unconnected")
    return Presence(group_id, status, len(actors), connected, often_missing)


def missing_sectors(network: Network, *, core: Collection[str] | None = None) -> MissingReport:
    """Return which taxonomy sectors and populations are absent or not tied to the core.

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> net = Network(
    ...     actors=(
    ...         Actor("clinic", "community_health_center", frozenset({"coalition_member"})),
    ...         Actor("church", "faith_community"),
    ...     ),
    ... )
    >>> report = missing_sectors(net)
    >>> [(p.id, p.status) for p in report.sectors][1], "faith_community" in report.flagged
    (('community_health_center', 'connected'), True)
    """
    core_ids, rule = find_core(network, core)
    reached = set(core_ids)
    for tie in network.ties:
        if tie.source in core_ids:
            reached.add(tie.target)
        if tie.target in core_ids:
            reached.add(tie.source)
    reached_ids = frozenset(reached)

    by_sector: dict[str, set[str]] = {s.id: set() for s in SECTORS}
    by_population: dict[str, set[str]] = {p.id: set() for p in POPULATIONS}
    outside = []
    for actor in network.actors:
        if actor.sector in by_sector:
            by_sector[actor.sector].add(actor.id)
        else:
            outside.append(actor.id)
        for population in actor.populations_served & by_population.keys():
            by_population[population].add(actor.id)

    sectors = tuple(_presence(s.id, by_sector[s.id], reached_ids, s.often_missing) for s in SECTORS)
    populations = tuple(
        _presence(p.id, by_population[p.id], reached_ids, p.often_missing) for p in POPULATIONS
    )
    gaps = [p for p in (*sectors, *populations) if p.status != "connected"]
    return MissingReport(
        core=tuple(sorted(core_ids)),
        core_rule=rule,
        sectors=sectors,
        populations=populations,
        absent=tuple(p.id for p in sectors if p.status == "absent"),
        unconnected=tuple(p.id for p in sectors if p.status == "unconnected"),
        flagged=tuple(p.id for p in gaps if p.often_missing),
        actors_outside_taxonomy=tuple(sorted(outside)),
    )


__all__ = ["MissingReport", "Presence", "find_core", "missing_sectors"]
