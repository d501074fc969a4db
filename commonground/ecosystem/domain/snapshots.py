"""Compare two snapshots of a coalition network (e.g. two survey rounds).

Actors are matched by id. Ties are compared on the simple graph (one tie per
ordered pair when directed, per unordered pair when not), so a tie reported
twice in one round and once in the other is "kept", not gained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commonground.ecosystem.domain.model import Actor, Network, NetworkError, Tie
from commonground.ecosystem.domain.network import NetworkReport, analyze, serialized, simple_graph
from commonground.ecosystem.domain.response import MetricWarning

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Change:
    """A metric in both snapshots; ``difference`` = after − before when both exist."""

    before: float | None
    after: float | None

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class SnapshotComparison:
    ties_gained: tuple[Pair, ...]
    ties_lost: tuple[Pair, ...]
    ties_kept_count: int
    actors_joined: tuple[str, ...]
    actors_left: tuple[str, ...]
    density: Change
    degree_centralization: Change
    reciprocity: Change
    component_count: Change
    modularity: Change
    trust: Change
    value: Change
    cross_sector_share: Change
    response_share: Change
    before_warnings: tuple[MetricWarning, ...]
    after_warnings: tuple[MetricWarning, ...]


@serialized  # igraph runs under the one lock
def tie_pairs(network: Network, *, directed: bool) -> frozenset[Pair]:
    """Return the ties of ``network`` as id pairs (sorted within a pair when undirected)."""
    built = simple_graph(network, directed=directed)
    ids = built.ids
    pairs = ((ids[a], ids[b]) for a, b in built.graph.get_edgelist())
    if directed:
        return frozenset(pairs)
    return frozenset((a, b) if a <= b else (b, a) for a, b in pairs)


def _summary(report: NetworkReport) -> dict[str, float | None]:
    mixing = report.sector_mixing
    return {
        "density": report.density,
        "degree_centralization": report.degree_centralization,
        "reciprocity": report.reciprocity,
        "component_count": float(report.component_count),
        "modularity": report.modularity,
        "trust": None if report.trust is None else report.trust.score,
        "value": None if report.value is None else report.value.score,
        "cross_sector_share": None if mixing is None else mixing.cross_sector_share,
        "response_share": None if report.response is None else report.response.response_share,
    }


def compare_snapshots(
    before: Network,
    after: Network,
    *,
    directed: bool = True,
    weighted: bool = False,
    before_report: NetworkReport | None = None,
    after_report: NetworkReport | None = None,
) -> SnapshotComparison:
    """Return ties gained and lost and how the headline metrics moved between snapshots.

    Pass reports already computed (with the same ``directed``) to skip re-analysis.

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> actors = (Actor("a"), Actor("b"), Actor("c"))
    >>> one = Network(actors=actors, ties=(Tie("a", "b"),))
    >>> two = Network(actors=actors, ties=(Tie("a", "b"), Tie("b", "c")))
    >>> change = compare_snapshots(one, two, directed=False)
    >>> change.ties_gained, round(change.density.difference, 4)
    ((('b', 'c'),), 0.3333)
    """
    first = before_report or analyze(before, directed=directed, weighted=weighted)
    second = after_report or analyze(after, directed=directed, weighted=weighted)
    old, new = tie_pairs(before, directed=directed), tie_pairs(after, directed=directed)
    a, b = _summary(first), _summary(second)
    return SnapshotComparison(
        ties_gained=tuple(sorted(new - old)),
        ties_lost=tuple(sorted(old - new)),
        ties_kept_count=len(old & new),
        actors_joined=tuple(sorted(after.actor_ids - before.actor_ids)),
        actors_left=tuple(sorted(before.actor_ids - after.actor_ids)),
        density=Change(a["density"], b["density"]),
        degree_centralization=Change(a["degree_centralization"], b["degree_centralization"]),
        reciprocity=Change(a["reciprocity"], b["reciprocity"]),
        component_count=Change(a["component_count"], b["component_count"]),
        modularity=Change(a["modularity"], b["modularity"]),
        trust=Change(a["trust"], b["trust"]),
        value=Change(a["value"], b["value"]),
        cross_sector_share=Change(a["cross_sector_share"], b["cross_sector_share"]),
        response_share=Change(a["response_share"], b["response_share"]),
        before_warnings=() if first.response is None else first.response.warnings,
        after_warnings=() if second.response is None else second.response.warnings,
    )


def network_to_data(network: Network) -> dict[str, object]:
    """Return ``network`` as plain JSON-ready data (what a stored snapshot keeps).

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> net = Network(actors=(Actor("a", "food", name="A"), Actor("b")), ties=(Tie("a", "b"),))
    >>> network_from_data(network_to_data(net)) == net
    True
    """
    return {
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "sector": a.sector,
                "roles": sorted(a.roles),
                "populations": sorted(a.populations_served),
            }
            for a in network.actors
        ],
        "ties": [
            {
                "source": t.source,
                "target": t.target,
                "types": sorted(t.types),
                "intensity": t.intensity,
                "reported_by": t.reported_by,
                "ratings": dict(t.ratings),
            }
            for t in network.ties
        ],
        "invited": None if network.invited is None else sorted(network.invited),
        "respondents": None if network.respondents is None else sorted(network.respondents),
    }


def network_from_data(data: Mapping[str, Any]) -> Network:
    """Rebuild a :class:`Network` from :func:`network_to_data`'s output.

    Raise :class:`NetworkError` when the data is malformed.
    """
    try:
        actors = tuple(
            Actor(
                id=str(a["id"]),
                sector=a.get("sector"),
                roles=frozenset(a.get("roles", ())),
                populations_served=frozenset(a.get("populations", ())),
                name=str(a.get("name", "")),
            )
            for a in data.get("actors", ())
        )
        ties = tuple(
            Tie(
                source=str(t["source"]),
                target=str(t["target"]),
                types=frozenset(t.get("types", ())),
                intensity=t.get("intensity"),
                ratings={str(k): int(v) for k, v in (t.get("ratings") or {}).items()},
                reported_by=None if t.get("reported_by") is None else str(t["reported_by"]),
            )
            for t in data.get("ties", ())
        )
    except (KeyError, TypeError, ValueError) as error:
        raise NetworkError(f"malformed snapshot data: {error}") from None
    invited = data.get("invited")
    respondents = data.get("respondents")
    return Network(
        actors=actors,
        ties=ties,
        invited=None if invited is None else frozenset(str(i) for i in invited),
        respondents=None if respondents is None else frozenset(str(i) for i in respondents),
    )
