"""Every metric of ``analyze`` against networkx: real networks, networkx's classics, random graphs."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.ecosystem.domain import cli
from commonground.ecosystem.domain.model import Actor, Network, NetworkError, Tie, subnetwork
from commonground.ecosystem.domain.network import (
    _betweenness,
    analyze,
    freeman_centralization,
    simple_graph,
)
from commonground.ecosystem.domain.tests.reference import (
    as_nx,
    assert_matches_networkx,
    network_from_nx,
)
from commonground.lib.paths import shared_data_dir

MODULES = [
    "model",
    "network",
    "ratings",
    "response",
    "sectors",
    "missing",
    "snapshots",
    "cli",
    "eigenvector",
    "fingerprint",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name: str) -> None:
    module = importlib.import_module(f"commonground.ecosystem.domain.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_domain_never_imports_django() -> None:
    modules = ", ".join(f"commonground.ecosystem.domain.{name}" for name in MODULES)
    code = f"import sys, {modules}; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- real networks -----------------------------------------------------------------


def _real(name: str) -> tuple[Network, bool]:
    folder = shared_data_dir() / "networks"
    weight = "collab" if name == "dhhs" else None
    sector = "agency" if name == "dhhs" else "state"
    return cli.read_network_files(
        folder / f"{name}_edges.csv",
        folder / f"{name}_nodes.csv",
        weight_column=weight,
        sector_column=sector,
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_dhhs_matches_networkx_undirected_weighted_by_collab(weighted: bool) -> None:
    network, _ = _real("dhhs")
    report = assert_matches_networkx(network, directed=False, weighted=weighted)
    assert (report.actor_count, report.tie_count) == (54, 447)


def test_dhhs_matches_networkx_when_read_as_directed() -> None:
    network, _ = _real("dhhs")
    assert_matches_networkx(network, directed=True, check_eigenvector=False)


def test_lhds_matches_networkx() -> None:
    network, _ = _real("lhds")
    report = assert_matches_networkx(network, directed=False)
    assert (report.actor_count, report.tie_count) == (1283, 2708)
    assert report.sector_mixing is not None  # states as "sectors"


# --- networkx's real social networks -------------------------------------------------


def _classics() -> list[tuple[str, nx.Graph, str | None, str | None]]:
    return [
        ("karate", nx.karate_club_graph(), "weight", "club"),
        ("florentine", nx.florentine_families_graph(), None, None),
        ("les_miserables", nx.les_miserables_graph(), "weight", None),
        ("davis", nx.davis_southern_women_graph(), None, "bipartite"),
    ]


@pytest.mark.parametrize(
    ("name", "graph", "weight", "sector"),
    _classics(),
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_classic_networks_match_networkx(
    name: str, graph: nx.Graph, weight: str | None, sector: str | None
) -> None:
    network = network_from_nx(graph, weight=weight, sector=sector)
    assert_matches_networkx(network, directed=False)
    if weight is not None:
        assert_matches_networkx(network, directed=False, weighted=True)


def test_karate_communities_are_near_the_known_optimum() -> None:
    report = analyze(network_from_nx(nx.karate_club_graph()), directed=False)
    assert report.modularity is not None and report.modularity > 0.41  # optimum 0.4198


# --- random graphs ------------------------------------------------------------------


@st.composite
def random_networks(draw: st.DrawFn) -> Network:
    n = draw(st.integers(min_value=0, max_value=18))
    sectors = ["food", "housing", "media", None]
    actors = tuple(Actor(str(i), draw(st.sampled_from(sectors))) for i in range(n))
    if n == 0:
        return Network(actors=())
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from([None, 1.0, 2.0, 3.5])
            ),
            max_size=3 * n,
        )
    )
    ties = tuple(Tie(str(a), str(b), weight=w) for a, b, w in pairs)
    return Network(actors=actors, ties=ties)


def _eigen_defined(network: Network, directed: bool, weighted: bool = False) -> bool:
    """Whether networkx's eigenvector centrality converges (then ours must match it)."""
    graph = as_nx(network, directed=directed, weighted=weighted)
    if graph.number_of_nodes() == 0:
        return False
    try:
        nx.eigenvector_centrality(
            graph, max_iter=10_000, tol=1e-12, weight="weight" if weighted else None
        )
    except nx.PowerIterationFailedConvergence:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(network=random_networks(), directed=st.booleans(), weighted=st.booleans())
def test_random_networks_match_networkx(network: Network, directed: bool, weighted: bool) -> None:
    assert_matches_networkx(
        network,
        directed=directed,
        weighted=weighted,
        check_eigenvector=_eigen_defined(network, directed, weighted),
    )


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(min_value=3, max_value=40),
    p=st.floats(min_value=0.05, max_value=0.5),
    seed=st.integers(0, 10_000),
    directed=st.booleans(),
)
def test_gnp_graphs_match_networkx(n: int, p: float, seed: int, directed: bool) -> None:
    graph = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    network = network_from_nx(graph)
    assert_matches_networkx(
        network, directed=directed, check_eigenvector=_eigen_defined(network, directed)
    )


# --- normalizations by hand ---------------------------------------------------------


def test_degree_centralization_of_a_star_is_one_and_of_a_circle_zero() -> None:
    actors = tuple(Actor(str(i)) for i in range(5))
    star = Network(actors=actors, ties=tuple(Tie("0", str(i)) for i in range(1, 5)))
    circle = Network(actors=actors, ties=tuple(Tie(str(i), str((i + 1) % 5)) for i in range(5)))
    assert analyze(star, directed=False).degree_centralization == pytest.approx(1.0)
    assert analyze(circle, directed=False).degree_centralization == pytest.approx(0.0)
    directed_star = analyze(star, directed=True)
    assert directed_star.out_degree_centralization == pytest.approx(1.0)
    # In-degrees 0,1,1,1,1: (1-0 + 0*4) / 4² = 1/16.
    assert directed_star.in_degree_centralization == pytest.approx(1 / 16)


def test_freeman_centralization_by_hand() -> None:
    # Degrees 3,2,2,1 (a triangle with a tail): Σ(3-d) = 0+1+1+2 = 4, over (4-1)(4-2)=6.
    assert freeman_centralization([3, 2, 2, 1], maximum=6) == pytest.approx(4 / 6)


@pytest.mark.parametrize("directed", [False, True])
def test_betweenness_from_every_pivot_equals_exact(directed: bool) -> None:
    graph = nx.gnm_random_graph(60, 200, seed=3, directed=directed)
    built = simple_graph(network_from_nx(graph), directed=directed)
    exact = _betweenness(built.graph, directed, None)
    every = _betweenness(built.graph, directed, np.arange(60, dtype=np.int64))
    assert np.allclose(exact, every)


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_betweenness_and_closeness_stay_close_to_exact(directed: bool) -> None:
    graph = nx.gnm_random_graph(1200, 6000, seed=5, directed=directed)
    network = network_from_nx(graph)
    exact = analyze(network, directed=directed)
    estimate = analyze(
        network,
        directed=directed,
        betweenness_sample_above=1000,
        closeness_sample_above=1000,
        sample_size=400,
    )
    assert estimate.betweenness_is_estimate and estimate.closeness_is_estimate
    b_exact = np.array([a.betweenness for a in exact.actors])
    b_est = np.array([a.betweenness for a in estimate.actors])
    c_exact = np.array([a.closeness for a in exact.actors])
    c_est = np.array([a.closeness for a in estimate.actors])
    # Homogeneous random graphs are the hard case (every actor similar); with 400 pivots the
    # estimate keeps the ordering and a mean error near 1/sqrt(400) of the typical value.
    assert np.corrcoef(b_exact, b_est)[0, 1] > 0.9
    assert np.abs(b_est - b_exact).mean() < 0.25 * b_exact.mean()
    top_exact = set(np.argsort(-b_exact)[:20].tolist())
    assert len(top_exact & set(np.argsort(-b_est)[:20].tolist())) >= 10
    # Closeness: distances average out quickly, so the error is small.
    reached = c_exact > 0
    error = np.abs(c_est[reached] - c_exact[reached])
    assert error.max() < 0.1 * c_exact.max()
    assert error.mean() < 0.05 * c_exact[reached].mean()


# --- edge cases -----------------------------------------------------------------------


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_networks_do_not_fail(n: int, directed: bool) -> None:
    actors = tuple(Actor(str(i)) for i in range(n))
    report = analyze(Network(actors=actors), directed=directed)
    assert report.tie_count == 0 and report.density == 0.0 and report.modularity is None
    assert report.isolates == tuple(a.id for a in actors)


def test_self_ties_are_dropped_and_counted() -> None:
    net = Network(actors=(Actor("a"), Actor("b")), ties=(Tie("a", "a"), Tie("a", "b")))
    report = analyze(net)
    assert report.self_ties_ignored == 1 and report.tie_count == 1


def test_network_rejects_bad_input() -> None:
    with pytest.raises(NetworkError, match="duplicate"):
        Network(actors=(Actor("a"), Actor("a")))
    with pytest.raises(NetworkError, match="outside 1-4"):
        Network(
            actors=(Actor("a"), Actor("b")),
            ties=(Tie("a", "b", reported_by="a", ratings={"reliability": 5}),),
        )
    with pytest.raises(NetworkError, match="neither end"):
        Network(actors=(Actor("a"), Actor("b"), Actor("c")), ties=(Tie("a", "b", reported_by="c"),))
    with pytest.raises(NetworkError, match="weight"):
        Network(actors=(Actor("a"), Actor("b")), ties=(Tie("a", "b", weight=0.0),))


def test_acyclic_directed_network_gets_zero_eigenvector_not_an_error() -> None:
    net = Network(actors=(Actor("a"), Actor("b"), Actor("c")), ties=(Tie("a", "b"), Tie("b", "c")))
    report = analyze(net, directed=True)
    assert [a.eigenvector for a in report.actors] == [0.0, 0.0, 0.0]
    assert report.unavailable == ()


# --- coalition features ----------------------------------------------------------------


def _survey() -> Network:
    actors = (
        Actor("clinic", "community_health_center", frozenset({"coalition_member"})),
        Actor("health_dept", "public_health_department", frozenset({"coalition_member"})),
        Actor("church", "faith_community", populations_served=frozenset({"latinx"})),
        Actor("school", "k12_schools"),
        Actor("bank", "business_chamber"),
    )
    ties = (
        Tie(
            "clinic",
            "health_dept",
            frozenset({"data"}),
            reported_by="clinic",
            ratings={"reliability": 4, "mission_support": 4, "openness": 3, "involvement": 4},
        ),
        Tie(
            "health_dept",
            "clinic",
            frozenset({"data"}),
            reported_by="health_dept",
            ratings={"reliability": 3, "mission_support": 3, "openness": 3},
        ),
        Tie(
            "church",
            "clinic",
            frozenset({"referrals"}),
            reported_by="church",
            ratings={"reliability": 2, "power_influence": 2},
        ),
        Tie("school", "bank", frozenset({"funding"}), reported_by="school"),
    )
    return Network(
        actors=actors,
        ties=ties,
        invited=frozenset({"clinic", "health_dept", "church", "school", "bank"}),
        respondents=frozenset({"clinic", "health_dept", "church", "school"}),
    )


def test_trust_and_value_average_the_ratings_an_actor_receives() -> None:
    report = analyze(_survey(), directed=False)
    by_id = {a.id: a for a in report.actors}
    # clinic receives (3,3,3) from health_dept and reliability 2 from church:
    # reliability mean 2.5, mission 3, openness 3 → trust (2.5+3+3)/3.
    assert by_id["clinic"].trust == pytest.approx((2.5 + 3 + 3) / 3)
    assert by_id["health_dept"].trust == pytest.approx((4 + 4 + 3) / 3)
    assert by_id["health_dept"].value == pytest.approx(4.0)
    assert by_id["school"].trust is None
    assert report.trust is not None
    # Three rating reports: means 11/3, 3, 2.
    assert report.trust.score == pytest.approx((11 / 3 + 3 + 2) / 3)
    assert report.trust.share_of_max == pytest.approx(report.trust.score / 4)


def test_one_sided_ties_are_kept_and_marked() -> None:
    report = analyze(_survey(), directed=False)
    assert report.tie_count == 3
    assert report.confirmed_pair_count == 1
    marked = {(t.reported_by, t.partner, t.partner_responded) for t in report.one_sided_ties}
    assert marked == {("church", "clinic", True), ("school", "bank", False)}


def test_response_rate_warns_for_sensitive_metrics() -> None:
    report = analyze(_survey())
    assert report.response is not None
    assert report.response.response_share == pytest.approx(0.8)
    severity = {w.metric: w.severity for w in report.response.warnings}
    assert severity["betweenness"] == "caution" and severity["degree_centralization"] == "caution"
    assert "density" not in severity


def test_filtering_to_a_tie_type_recomputes_scores() -> None:
    full = analyze(_survey(), directed=False)
    data_only = analyze(subnetwork(_survey(), tie_types=["data"]), directed=False)
    assert data_only.tie_count == 1 and full.tie_count == 3
    assert data_only.trust is not None and full.trust is not None
    assert data_only.trust.score > full.trust.score
    sector_only = subnetwork(_survey(), sectors=["k12_schools", "business_chamber"])
    assert {a.id for a in sector_only.actors} == {"school", "bank"}
    assert sector_only.respondents == frozenset({"school"})


def test_cross_sector_mixing_and_ei_index() -> None:
    report = analyze(_survey(), directed=False)
    mixing = report.sector_mixing
    assert mixing is not None
    assert mixing.external_tie_count == 3 and mixing.internal_tie_count == 0
    assert mixing.ei_index == 1.0 and mixing.cross_sector_share == 1.0


def test_brokers_are_top_betweenness_actors() -> None:
    # Two triangles joined through "bridge".
    names = ["a", "b", "c", "bridge", "x", "y", "z"]
    ties = [
        ("a", "b"),
        ("b", "c"),
        ("a", "c"),
        ("c", "bridge"),
        ("bridge", "x"),
        ("x", "y"),
        ("y", "z"),
        ("x", "z"),
    ]
    net = Network(actors=tuple(Actor(n) for n in names), ties=tuple(Tie(a, b) for a, b in ties))
    report = analyze(net, directed=False)
    assert report.brokers[0].id == "bridge"
    assert report.brokers[0].other_communities_reached == 1
