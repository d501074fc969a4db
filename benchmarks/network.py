"""Time the network analysis against networkx and against igraph's raw calls.

    python benchmarks/network.py [--quick]

Workloads: the real 1,283-actor LHD network (undirected), and synthetic
directed networks of 1,000 actors / 10,000 ties and 10,000 actors / 100,000
ties (23 sectors, ties mostly within loose communities). For each: our
``analyze`` (from Network dataclasses to the full report), igraph raw (the same
igraph calls on a prebuilt edge list, the floor), and networkx (the same
metrics). Where networkx would take many minutes, the time of its slowest
metrics is *estimated* from a sample of sources and scaled: those rows say so.
"""

from __future__ import annotations

import argparse
import random
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import igraph
import networkx as nx
import numpy as np

from commonground.ecosystem.domain import cli
from commonground.ecosystem.domain.model import Actor, Network, Tie
from commonground.ecosystem.domain.network import (
    DEFAULT_SAMPLE_ABOVE,
    DEFAULT_SAMPLE_SIZE,
    _pivots,
    analyze,
)
from commonground.ecosystem.domain.sectors import SECTORS
from commonground.lib.paths import shared_data_dir


@dataclass
class Workload:
    name: str
    network: Network
    directed: bool


def synthetic(n: int, m: int, seed: int = 1) -> Network:
    rng = np.random.default_rng(seed)
    community = rng.integers(0, max(n // 50, 2), size=n)
    src = rng.integers(0, n, size=m * 2)
    same = rng.random(m * 2) < 0.6
    # 60% of ties inside the source's community, the rest anywhere.
    members = np.argsort(community, kind="stable")
    starts = np.searchsorted(community[members], np.arange(community.max() + 2))
    c = community[src]
    within = members[starts[c] + (rng.random(m * 2) * (starts[c + 1] - starts[c])).astype(int)]
    dst = np.where(same, within, rng.integers(0, n, size=m * 2))
    keep = src != dst
    pairs = np.unique(np.column_stack((src[keep], dst[keep])), axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:m]]
    sectors = [s.id for s in SECTORS]
    actors = tuple(Actor(f"a{i}", sectors[i % len(sectors)]) for i in range(n))
    ties = tuple(Tie(f"a{a}", f"a{b}") for a, b in pairs.tolist())
    return Network(actors=actors, ties=ties)


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def igraph_raw(network: Network, directed: bool) -> float:
    index = {a.id: i for i, a in enumerate(network.actors)}
    edges = [(index[t.source], index[t.target]) for t in network.ties]
    n = len(network.actors)
    sampled = n > DEFAULT_SAMPLE_ABOVE

    def run() -> None:
        g = igraph.Graph(n=n, edges=edges, directed=directed)
        g.degree(mode="all"), g.degree(mode="in"), g.degree(mode="out"), g.density()
        if directed:
            g.reciprocity()
            g.connected_components(mode="strong")
        g.connected_components(mode="weak")
        if sampled:
            pivots = _pivots(n, DEFAULT_SAMPLE_SIZE, 0).tolist()
            g.betweenness(sources=pivots)
            g.distances(source=pivots, mode="out")
        else:
            g.betweenness()
            g.closeness(mode="in", normalized=True)
        g.eigenvector_centrality()
        g.coreness()
        u = g.as_undirected(mode="collapse") if directed else g
        iterations = -1 if u.ecount() <= 20_000 else 5
        c = u.community_leiden(objective_function="modularity", n_iterations=iterations)
        u.modularity(c.membership)

    return timed(run)


def networkx_time(network: Network, directed: bool, quick: bool) -> tuple[float, str]:
    """Return networkx's time for the same metrics and a note on what was estimated."""
    n = len(network.actors)
    notes = []
    start = time.perf_counter()
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(a.id for a in network.actors)
    g.add_edges_from((t.source, t.target) for t in network.ties)
    nx.degree_centrality(g), nx.density(g), nx.core_number(g)
    if directed:
        nx.in_degree_centrality(g), nx.out_degree_centrality(g), nx.reciprocity(g)
        nx.number_strongly_connected_components(g), nx.number_weakly_connected_components(g)
    else:
        nx.number_connected_components(g)
    nx.eigenvector_centrality(g, max_iter=1000)
    u = g.to_undirected() if directed else g
    parts = nx.community.louvain_communities(u, seed=0)
    nx.community.modularity(u, parts)
    total = time.perf_counter() - start
    if n <= DEFAULT_SAMPLE_ABOVE:
        total += timed(lambda: nx.betweenness_centrality(g))
        total += timed(lambda: nx.closeness_centrality(g))
    else:
        # Like for like: networkx's own pivot-sampled betweenness and one BFS per pivot for
        # closeness, with as many pivots as ours (measured). Exact networkx is extrapolated
        # from a few sources (Brandes and closeness both cost one traversal per source).
        k = min(DEFAULT_SAMPLE_SIZE, n)
        reverse = g.reverse(copy=False) if directed else g
        pivots = random.Random(0).sample(list(g.nodes), k)
        sampled_b = timed(lambda: nx.betweenness_centrality(g, k=k, seed=0))
        sampled_c = timed(lambda: [nx.single_source_shortest_path_length(g, v) for v in pivots])
        total += sampled_b + sampled_c
        few = 20 if quick else 50
        exact = timed(lambda: nx.betweenness_centrality(g, k=few, seed=0)) * n / few
        exact += (
            timed(lambda: [nx.single_source_shortest_path_length(reverse, v) for v in pivots[:few]])
            * n
            / few
        )
        notes.append(
            f"networkx with the same {k}-pivot estimators (measured); networkx exact "
            f"betweenness+closeness alone ≈ {exact:,.0f} s (extrapolated from {few} sources)"
        )
    return total, "; ".join(notes)


def main() -> None:
    warnings.simplefilter("ignore", RuntimeWarning)  # igraph on disconnected graphs
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, networkx estimated")
    args = parser.parse_args()
    folder = shared_data_dir() / "networks"
    lhds, _ = cli.read_network_files(folder / "lhds_edges.csv", folder / "lhds_nodes.csv")
    workloads = [
        Workload("LHD leaders (real)", lhds, directed=False),
        Workload("synthetic 1,000 / 10,000", synthetic(1_000, 10_000), directed=True),
    ]
    if not args.quick:
        workloads.append(
            Workload("synthetic 10,000 / 100,000", synthetic(10_000, 100_000), directed=True)
        )
    header = (
        f"{'workload':28} {'actors':>7} {'ties':>8} {'ours s':>8} {'igraph s':>9} "
        f"{'networkx s':>11} {'ours/igraph':>12} {'nx/ours':>8}  note"
    )
    print(header)
    print("-" * len(header))
    for workload in workloads:
        network = workload.network
        run = partial(analyze, network, directed=workload.directed)
        ours = min(timed(run) for _ in range(2))
        raw = min(igraph_raw(network, workload.directed) for _ in range(2))
        nx_seconds, note = networkx_time(network, workload.directed, args.quick)
        sampled = len(network.actors) > DEFAULT_SAMPLE_ABOVE
        if sampled:
            note = f"ours: sampled betweenness/closeness ({DEFAULT_SAMPLE_SIZE} pivots); " + note
        print(
            f"{workload.name:28} {len(network.actors):>7,} {len(network.ties):>8,} "
            f"{ours:>8.3f} {raw:>9.3f} {nx_seconds:>11.2f} {ours / raw:>12.2f} "
            f"{nx_seconds / ours:>8.1f}  {note}"
        )


if __name__ == "__main__":
    main()
