"""networkx as the reference implementation: build the same graph and compare every metric."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from commonground.ecosystem.domain.model import Actor, Network, Tie
from commonground.ecosystem.domain.network import NetworkReport, actor_values, analyze

TOL = 1e-6
EIGEN_TOL = 1e-4


def network_from_nx(
    graph: nx.Graph, *, weight: str | None = None, sector: str | None = None
) -> Network:
    ids = {node: str(node) for node in graph.nodes}
    actors = tuple(
        Actor(
            id=ids[node],
            sector=None if sector is None else str(data.get(sector)),
        )
        for node, data in graph.nodes(data=True)
    )
    ties = tuple(
        Tie(ids[u], ids[v], weight=None if weight is None else float(data[weight]))
        for u, v, data in graph.edges(data=True)
    )
    return Network(actors=actors, ties=ties)


def as_nx(network: Network, *, directed: bool, weighted: bool) -> nx.Graph:
    """The reference graph: networkx merges duplicate ties; self-ties are dropped like ours."""
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    for actor in network.actors:
        graph.add_node(actor.id, sector=actor.sector)
    sums: dict[tuple[str, str], list[float]] = {}
    for tie in network.ties:
        if tie.source == tie.target:
            continue
        key = (tie.source, tie.target)
        if not directed and key[0] > key[1]:
            key = (key[1], key[0])
        sums.setdefault(key, [])
        if tie.weight is not None:
            sums[key].append(tie.weight)
    for (u, v), weights in sums.items():
        w = sum(weights) / len(weights) if weights else 1.0
        graph.add_edge(u, v, weight=w if weighted else 1.0)
    return graph


def close(
    ours: dict[str, float] | object, theirs: dict[str, float], tol: float, label: str
) -> None:
    assert isinstance(ours, dict) or hasattr(ours, "items")
    for node, value in theirs.items():
        got = ours[node]  # type: ignore[index]
        assert math.isclose(got, value, abs_tol=tol), f"{label} of {node}: {got} != {value}"


def hand_centralization(degrees: list[int], maximum: float) -> float:
    if maximum <= 0 or not degrees:
        return 0.0
    top = max(degrees)
    return sum(top - d for d in degrees) / maximum


def assert_matches_networkx(
    network: Network,
    *,
    directed: bool,
    weighted: bool = False,
    check_eigenvector: bool = True,
    report: NetworkReport | None = None,
) -> NetworkReport:
    report = report or analyze(network, directed=directed, weighted=weighted)
    graph = as_nx(network, directed=directed, weighted=weighted)
    n = graph.number_of_nodes()
    assert report.actor_count == n
    assert report.tie_count == graph.number_of_edges()
    assert math.isclose(report.density, nx.density(graph), abs_tol=TOL)

    values = {
        name: dict(actor_values(report, name))
        for name in (
            "degree",
            "in_degree",
            "out_degree",
            "degree_centrality",
            "in_degree_centrality",
            "out_degree_centrality",
            "betweenness",
            "closeness",
            "eigenvector",
            "coreness",
            "strength",
            "community",
        )
    }
    assert values["degree"] == dict(graph.degree())
    if n:
        close(values["degree_centrality"], nx.degree_centrality(graph), TOL, "degree centrality")
    close(values["strength"], dict(graph.degree(weight="weight")), TOL, "strength")
    close(
        values["betweenness"],
        nx.betweenness_centrality(graph, normalized=True),
        TOL,
        "betweenness",
    )
    close(values["closeness"], nx.closeness_centrality(graph), TOL, "closeness")
    assert values["coreness"] == nx.core_number(graph)

    undirected = graph.to_undirected() if directed else graph
    plain = [d for _, d in undirected.degree()]
    assert math.isclose(
        report.degree_centralization,
        hand_centralization(plain, (n - 1) * (n - 2)),
        abs_tol=TOL,
    )
    if directed:
        assert isinstance(graph, nx.DiGraph)
        assert values["in_degree"] == dict(graph.in_degree())
        assert values["out_degree"] == dict(graph.out_degree())
        if n:
            close(values["in_degree_centrality"], nx.in_degree_centrality(graph), TOL, "in")
            close(values["out_degree_centrality"], nx.out_degree_centrality(graph), TOL, "out")
        star = (n - 1) ** 2 if n >= 3 else 0
        assert math.isclose(
            report.in_degree_centralization or 0.0,
            hand_centralization([d for _, d in graph.in_degree()], star),
            abs_tol=TOL,
        )
        assert math.isclose(
            report.out_degree_centralization or 0.0,
            hand_centralization([d for _, d in graph.out_degree()], star),
            abs_tol=TOL,
        )
        if graph.number_of_edges():
            assert report.reciprocity is not None
            assert math.isclose(report.reciprocity, nx.reciprocity(graph), abs_tol=TOL)
        if n:
            assert report.component_count == nx.number_weakly_connected_components(graph)
            assert report.strong_component_count == nx.number_strongly_connected_components(graph)
    else:
        assert report.reciprocity is None
        if n:
            assert report.component_count == nx.number_connected_components(graph)
    assert set(report.isolates) == set(nx.isolates(graph))

    # Communities: the partition is ours; its modularity must be networkx's on the same graph.
    if report.modularity is not None:
        communities = [set(c) for c in report.communities]
        # Our communities are found on the undirected version (max weight of the two directions).
        reference = nx.Graph()
        reference.add_nodes_from(graph.nodes)
        for u, v, data in graph.edges(data=True):
            w = data["weight"]
            if reference.has_edge(u, v):
                w = max(w, reference[u][v]["weight"])
            reference.add_edge(u, v, weight=w)
        expected = nx.community.modularity(
            reference, communities, weight="weight" if weighted else None
        )
        assert math.isclose(report.modularity, expected, abs_tol=TOL)
        assert all(values["community"][a] == i for i, c in enumerate(report.communities) for a in c)

    # Sector mixing equals networkx's attribute mixing on actors with a known sector.
    if report.sector_mixing is not None:
        mixing = report.sector_mixing
        known = graph.subgraph([v for v, s in graph.nodes(data="sector") if s is not None])
        expected_mix = nx.attribute_mixing_dict(known, "sector")
        for i, a in enumerate(mixing.sectors):
            for j, b in enumerate(mixing.sectors):
                assert mixing.matrix[i][j] == expected_mix.get(a, {}).get(b, 0)

    if check_eigenvector and n:
        try:
            expected_eigen = nx.eigenvector_centrality(
                graph, max_iter=10_000, tol=1e-12, weight="weight" if weighted else None
            )
        except nx.PowerIterationFailedConvergence:
            pytest.fail("networkx did not converge; exclude this graph from the eigenvector check")
        close(values["eigenvector"], expected_eigen, EIGEN_TOL, "eigenvector")
    return report
