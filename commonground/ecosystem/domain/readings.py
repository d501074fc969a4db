"""Plain-language readings of the network scores: the numbers behind each sentence.

A score such as "density 0.12" or "bridging 0.087" means little to a coalition director.
Each reading here turns one score into the few whole numbers a sentence needs ("12 of
every 100 possible ties exist"; "connects 5 sectors that are not otherwise tied"); the
pages word the sentence in the reader's language. Everything is computed from the
network and its :class:`~commonground.ecosystem.domain.network.NetworkReport`, so a
reading never disagrees with the score it explains.

Sector bridging (:func:`sector_bridges`): take the sectors of an actor's partners, leaving
out the actor's own sector. Two of those sectors are *otherwise tied* when some tie joins
an actor of one to an actor of the other; a tie of the actor itself never does, because
its own sector is left out. The sectors the actor *connects that are not otherwise tied*
are those in at least one pair that no tie joins: the actor is their go-between (a
"liaison" in Gould and Fernandez's brokerage terms, 1989). Directions are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from commonground.ecosystem.domain.model import Network
from commonground.ecosystem.domain.network import ActorMetrics, NetworkReport
from commonground.ecosystem.domain.ratings import NetworkScore

Level = Literal["low", "moderate", "high"]
Comparison = Literal["above", "near", "below"]

#: Degree centralization below ``low`` reads "spread out", from ``high`` "a few hubs".
CENTRALIZATION_BANDS = (0.25, 0.5)
#: Ratings on the 1-4 scale: below 2.5 read low, from 3.0 high, in between moderate.
RATING_BANDS = (2.5, 3.0)
#: An actor's trust is "near" the network average within this many points (1-4 scale).
NEAR = 0.15


@dataclass(frozen=True, slots=True)
class PerHundred:
    """A share as "``count`` of every ``base``": base 100, or 1,000 for shares under 1%.

    ``below`` is set when a share above zero is still under 1 in 1,000 (then
    ``count`` is 1 and the sentence says "fewer than").
    """

    count: int
    base: int
    below: bool = False


def per_hundred(share: float) -> PerHundred:
    """Return ``share`` (0-1) as whole ties per 100, or per 1,000 when it is under 1%.

    Rounds half up, so a sentence never shows 0 for a share that rounds to 1.

    >>> per_hundred(0.12)
    PerHundred(count=12, base=100, below=False)
    >>> per_hundred(0.004)
    PerHundred(count=4, base=1000, below=False)
    >>> per_hundred(0.0002)
    PerHundred(count=1, base=1000, below=True)
    """
    share = min(max(share, 0.0), 1.0)
    if share == 0 or share >= 0.005:
        return PerHundred(math.floor(share * 100 + 0.5), 100)
    count = math.floor(share * 1000 + 0.5)
    if count == 0:
        return PerHundred(1, 1000, below=True)
    return PerHundred(count, 1000)


def level(value: float, bands: tuple[float, float]) -> Level:
    """``"low"`` below ``bands[0]``, ``"high"`` from ``bands[1]``, ``"moderate"`` between.

    >>> level(0.43, CENTRALIZATION_BANDS), level(3.1, RATING_BANDS)
    ('moderate', 'high')
    """
    if value < bands[0]:
        return "low"
    return "high" if value >= bands[1] else "moderate"


# ---------------------------------------------------------------- the whole network


@dataclass(frozen=True, slots=True)
class NetworkReading:
    """The numbers behind the sentences of the network's headline scores.

    ``possible_tie_count`` is n(n-1) for a directed network (n(n-1)/2 undirected), the
    denominator of density. ``trust``/``value`` are ``None`` without ratings,
    ``reciprocity`` and ``cross_sector`` without ties.
    """

    density: PerHundred
    possible_tie_count: int
    reciprocity: PerHundred | None
    centralization: Level
    cross_sector: PerHundred | None
    trust: Level | None
    value: Level | None
    component_count: int
    isolate_count: int
    community_count: int


def _rating_level(score: NetworkScore | None) -> Level | None:
    return None if score is None else level(score.score, RATING_BANDS)


def read_network(report: NetworkReport) -> NetworkReading:
    """Return the reading of ``report``'s headline scores.

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> from commonground.ecosystem.domain.network import analyze
    >>> net = Network(actors=(Actor("a"), Actor("b"), Actor("c")), ties=(Tie("a", "b"),))
    >>> r = read_network(analyze(net))
    >>> r.density, r.possible_tie_count
    (PerHundred(count=17, base=100, below=False), 6)
    """
    n = report.actor_count
    possible = n * (n - 1) if report.is_directed else n * (n - 1) // 2
    mixing = report.sector_mixing
    cross = None if mixing is None else mixing.cross_sector_share
    return NetworkReading(
        density=per_hundred(report.density),
        possible_tie_count=possible,
        reciprocity=None if report.reciprocity is None else per_hundred(report.reciprocity),
        centralization=level(report.degree_centralization, CENTRALIZATION_BANDS),
        cross_sector=None if cross is None else per_hundred(cross),
        trust=_rating_level(report.trust),
        value=_rating_level(report.value),
        component_count=report.component_count,
        isolate_count=len(report.isolates),
        community_count=len(report.communities),
    )


# ---------------------------------------------------------------- one actor


@dataclass(frozen=True, slots=True)
class SectorBridge:
    """The sectors one actor connects that no tie joins otherwise (see the module doc).

    ``sectors_reached``: the other sectors among its partners; ``sectors``: those of them
    in at least one pair no tie joins; ``pairs``: those pairs, each sorted.
    """

    actor_id: str
    sectors_reached: tuple[str, ...]
    sectors: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]


def partners(network: Network) -> dict[str, set[str]]:
    """Return each actor's partners: the actors it is tied to in either direction.

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> net = Network(actors=(Actor("a"), Actor("b")), ties=(Tie("a", "b"), Tie("b", "a")))
    >>> partners(net)
    {'a': {'b'}, 'b': {'a'}}
    """
    found: dict[str, set[str]] = {a.id: set() for a in network.actors}
    for tie in network.ties:
        if tie.source != tie.target:
            found[tie.source].add(tie.target)
            found[tie.target].add(tie.source)
    return found


def sector_bridges(network: Network) -> dict[str, SectorBridge]:
    """Return the :class:`SectorBridge` of every actor of ``network``, by actor id.

    Ties are read without direction, self ties and ties to unknown sectors are ignored.

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> net = Network(
    ...     actors=(Actor("h", "hospital"), Actor("c", "church"), Actor("s", "school"),
    ...             Actor("p", "pantry")),
    ...     ties=(Tie("h", "c"), Tie("h", "s"), Tie("h", "p"), Tie("c", "s")),
    ... )
    >>> bridge = sector_bridges(net)["h"]
    >>> bridge.sectors, bridge.pairs
    (('church', 'pantry', 'school'), (('church', 'pantry'), ('pantry', 'school')))
    """
    sector_of = {a.id: a.sector for a in network.actors}
    neighbours = partners(network)
    tied_pairs: set[tuple[str, str]] = set()
    for tie in network.ties:
        a, b = sector_of[tie.source], sector_of[tie.target]
        if a is not None and b is not None and a != b:
            tied_pairs.add((min(a, b), max(a, b)))
    bridges = {}
    for actor in network.actors:
        own = actor.sector
        reached = sorted(
            {
                sector
                for partner in neighbours[actor.id]
                if (sector := sector_of[partner]) is not None and sector != own
            }
        )
        pairs = tuple(pair for pair in combinations(reached, 2) if pair not in tied_pairs)
        bridged = sorted({sector for pair in pairs for sector in pair})
        bridges[actor.id] = SectorBridge(actor.id, tuple(reached), tuple(bridged), pairs)
    return bridges


@dataclass(frozen=True, slots=True)
class ActorReading:
    """The numbers behind the sentences about one actor's scores.

    ``partner_count`` is how many other actors it is tied to, in either direction (a
    tie both sides reported counts once), out of ``other_count``. Ranks count from 1 (the highest) and share a place on ties ("competition" ranking:
    1, 2, 2, 4); ``eigenvector_rank`` is ``None`` when eigenvector is unavailable.
    ``trust_vs_network`` compares the trust it received with the network's average.
    """

    actor_id: str
    other_count: int
    partner_count: int
    partner_share: PerHundred
    betweenness: PerHundred
    betweenness_rank: int
    closeness_rank: int
    eigenvector_rank: int | None
    bridge: SectorBridge
    trust: Level | None
    trust_vs_network: Comparison | None


def _rank(value: float, values: Sequence[float]) -> int:
    return 1 + sum(1 for other in values if other > value)


def compare_to(value: float, average: float, *, near: float = NEAR) -> Comparison:
    """``"near"`` within ``near`` of ``average``, else ``"above"`` or ``"below"``.

    >>> compare_to(3.4, 3.0), compare_to(3.1, 3.0), compare_to(2.5, 3.0)
    ('above', 'near', 'below')
    """
    if abs(value - average) <= near:
        return "near"
    return "above" if value > average else "below"


def read_actors(network: Network, report: NetworkReport) -> dict[str, ActorReading]:
    """Return the reading of every actor's scores in ``report`` (of ``network``), by id."""
    bridges = sector_bridges(network)
    found = partners(network)
    metrics: Sequence[ActorMetrics] = report.actors
    betweenness = [m.betweenness for m in metrics]
    closeness = [m.closeness for m in metrics]
    eigen = [m.eigenvector for m in metrics if m.eigenvector is not None]
    others = max(report.actor_count - 1, 0)
    network_trust = None if report.trust is None else report.trust.score
    readings = {}
    for m in metrics:
        readings[m.id] = ActorReading(
            actor_id=m.id,
            other_count=others,
            partner_count=len(found[m.id]),
            partner_share=per_hundred(len(found[m.id]) / others if others else 0.0),
            betweenness=per_hundred(m.betweenness),
            betweenness_rank=_rank(m.betweenness, betweenness),
            closeness_rank=_rank(m.closeness, closeness),
            eigenvector_rank=None if m.eigenvector is None else _rank(m.eigenvector, eigen),
            bridge=bridges[m.id],
            trust=None if m.trust is None else level(m.trust, RATING_BANDS),
            trust_vs_network=None
            if m.trust is None or network_trust is None
            else compare_to(m.trust, network_trust),
        )
    return readings
