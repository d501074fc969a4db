"""Eigenvector centrality never raises and matches networkx; igraph runs under one lock.

The property tests draw thousands of graphs (directed and undirected, weighted,
disconnected, stars, acyclic, cycles with chords). Where networkx's power iteration
converges, ours must be within 1e-4 of it; everywhere else it must still be the limit
that iteration approaches (checked against repeated squaring of A + I) or, for an
acyclic directed network with ties, zeros (the documented convention).
"""

from __future__ import annotations

import ast
import logging
import math
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import igraph
import networkx as nx
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from commonground.ecosystem.domain import cli
from commonground.ecosystem.domain.eigenvector import (
    DENSE_MAX,
    Eigenvector,
    eigenvector_centrality,
)
from commonground.ecosystem.domain.missing import missing_sectors
from commonground.ecosystem.domain.model import Actor, Network, Tie
from commonground.ecosystem.domain.network import GRAPH_LOCK, analyze, simple_graph
from commonground.ecosystem.domain.snapshots import compare_snapshots, tie_pairs
from commonground.ecosystem.domain.tests.reference import network_from_nx

#: networkx's iteration in these tests: tight enough that "converged" means "at the limit".
NX_TOL = 1e-10
NX_MAX_ITER = 1000
CLOSE = 1e-4

Edges = dict[tuple[int, int], float]


# --- graphs -------------------------------------------------------------------------------


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, Edges, bool, bool]:
    """(n, {(u, v): weight}, directed, weighted): no self-ties, one tie per (ordered) pair."""
    kind = draw(st.sampled_from(["random", "disconnected", "star", "acyclic", "cycles"]))
    event(kind)
    directed = draw(st.booleans())
    weighted = draw(st.booleans())
    weight = st.sampled_from([0.5, 1.0, 2.0, 3.5]) if weighted else st.just(1.0)
    pairs: list[tuple[int, int]] = []
    if kind in ("random", "disconnected"):
        parts = 1 if kind == "random" else draw(st.integers(2, 3))
        n = 0
        for _ in range(parts):
            size = draw(st.integers(1, 12))
            for _ in range(draw(st.integers(0, 3 * size))):
                a, b = draw(st.integers(0, size - 1)), draw(st.integers(0, size - 1))
                pairs.append((n + a, n + b))
            n += size
        n += draw(st.integers(0, 2))  # isolates
    elif kind == "star":
        n = draw(st.integers(2, 20))
        way = draw(st.sampled_from(["out", "in", "both"]))
        for leaf in range(1, n):
            if way in ("out", "both"):
                pairs.append((0, leaf))
            if way in ("in", "both"):
                pairs.append((leaf, 0))
    elif kind == "acyclic":
        n = draw(st.integers(2, 16))
        rank = draw(st.permutations(range(n)))
        for _ in range(draw(st.integers(1, 3 * n))):
            a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            if a != b:
                pairs.append((rank[min(a, b)], rank[max(a, b)]))
    else:  # cycles, with chords
        n = draw(st.integers(2, 20))
        ring = draw(st.integers(2, n))
        pairs.extend((i, (i + 1) % ring) for i in range(ring))
        for _ in range(draw(st.integers(0, n))):
            pairs.append((draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))))
    edges: Edges = {}
    for a, b in pairs:
        if a == b:
            continue
        key = (a, b) if directed or a < b else (b, a)
        edges[key] = draw(weight)
    return n, edges, directed, weighted


def solve(n: int, edges: Edges, directed: bool, weighted: bool, **options: Any) -> Eigenvector:
    sources = [a for a, _ in edges]
    targets = [b for _, b in edges]
    weights = list(edges.values()) if weighted else None
    return eigenvector_centrality(n, sources, targets, weights, directed=directed, **options)


def networkx_or_none(n: int, edges: Edges, directed: bool, weighted: bool) -> np.ndarray | None:
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(n))
    for (a, b), w in edges.items():
        graph.add_edge(a, b, weight=w)
    try:
        values = nx.eigenvector_centrality(
            graph, max_iter=NX_MAX_ITER, tol=NX_TOL, weight="weight" if weighted else None
        )
    except nx.PowerIterationFailedConvergence:
        return None
    return np.array([values[v] for v in range(n)])


def limit_by_squaring(n: int, edges: Edges, directed: bool, weighted: bool) -> np.ndarray:
    """lim (A+I)ᵀᵏ·1 / ‖·‖ by squaring (A+I)ᵀ 30 times: k = 2³⁰ steps of networkx's iteration."""
    step = np.eye(n)
    for (a, b), w in edges.items():
        weight = w if weighted else 1.0
        step[b, a] += weight
        if not directed:
            step[a, b] += weight
    for _ in range(30):
        step = step @ step
        step /= step.max()
    x = step @ np.ones(n)
    return x / np.linalg.norm(x)


def is_acyclic_with_ties(n: int, edges: Edges, directed: bool) -> bool:
    if not directed or not edges:
        return False
    graph = nx.DiGraph(list(edges))
    graph.add_nodes_from(range(n))
    return nx.is_directed_acyclic_graph(graph)


# --- the property ---------------------------------------------------------------------------


@settings(max_examples=2500, deadline=None)
@given(graph=graphs())
def test_eigenvector_never_raises_and_matches_networkx_where_it_converges(
    graph: tuple[int, Edges, bool, bool],
) -> None:
    n, edges, directed, weighted = graph
    ours = solve(n, edges, directed, weighted)
    assert ours.values is not None, ours.problem
    assert ours.values.shape == (n,) and np.all(np.isfinite(ours.values))
    assert np.all(ours.values >= 0)
    reference = networkx_or_none(n, edges, directed, weighted)
    if is_acyclic_with_ties(n, edges, directed):
        assert ours.method == "acyclic" and not ours.values.any()
        assert reference is None  # networkx never settles on an acyclic network with ties
        return
    assert math.isclose(float(np.linalg.norm(ours.values)), 1.0, abs_tol=1e-9)
    if reference is not None:
        event("networkx converged")
        assert np.abs(ours.values - reference).max() <= CLOSE
    else:
        event("networkx did not converge")
        assert np.abs(ours.values - limit_by_squaring(n, edges, directed, weighted)).max() < 1e-6


@settings(max_examples=600, deadline=None)
@given(graph=graphs())
def test_power_iteration_above_the_dense_size_matches_networkx_or_says_unavailable(
    graph: tuple[int, Edges, bool, bool],
) -> None:
    n, edges, directed, weighted = graph
    ours = solve(n, edges, directed, weighted, dense_max=0, max_iter=NX_MAX_ITER, tol=NX_TOL)
    reference = networkx_or_none(n, edges, directed, weighted)
    if ours.method in ("empty", "no_ties", "acyclic"):
        return
    if reference is not None:
        assert ours.method == "power" and ours.values is not None
        assert np.abs(ours.values - reference).max() <= CLOSE
    else:
        assert ours.values is None and ours.method == "unavailable"
        assert ours.problem is not None and "did not converge" in ours.problem


# --- conventions by hand ------------------------------------------------------------------


def test_no_actors_no_ties_and_acyclic_networks() -> None:
    assert solve(0, {}, True, False).values.tolist() == []  # type: ignore[union-attr]
    lone = solve(4, {}, True, False)
    assert lone.method == "no_ties" and np.allclose(lone.values, 0.5)  # type: ignore[arg-type]
    chain = solve(4, {(0, 1): 1.0, (1, 2): 1.0, (2, 3): 1.0}, True, False)
    assert chain.method == "acyclic" and not chain.values.any()  # type: ignore[union-attr]
    # The same chain undirected is a path: symmetric, defined, largest in the middle.
    path = solve(4, {(0, 1): 1.0, (1, 2): 1.0, (2, 3): 1.0}, False, False)
    assert path.values is not None and path.values[1] > path.values[0] > 0


def test_star_hub_gets_the_largest_share() -> None:
    # Undirected star with 4 leaves: hub 1/√2, leaves 1/(2√2) each (networkx's values).
    star = solve(5, {(0, i): 1.0 for i in range(1, 5)}, False, False)
    assert star.values is not None
    assert star.values[0] == pytest.approx(1 / math.sqrt(2))
    assert star.values[1:] == pytest.approx([1 / (2 * math.sqrt(2))] * 4)


def test_two_equal_parts_share_and_a_weaker_part_vanishes() -> None:
    # Two triangles (equal radius 2) share the score; a separate pair (radius 1) gets 0.
    triangle = {(0, 1): 1.0, (1, 2): 1.0, (0, 2): 1.0}
    edges = {**triangle, **{(a + 3, b + 3): w for (a, b), w in triangle.items()}, (6, 7): 1.0}
    result = solve(8, edges, False, False)
    assert result.values is not None
    assert result.values[:6] == pytest.approx([1 / math.sqrt(6)] * 6)
    assert result.values[6:] == pytest.approx([0.0, 0.0], abs=1e-12)


def test_a_chain_of_equal_parts_puts_the_score_at_its_end() -> None:
    # a↔b → c↔d: networkx's iteration grows like k·2ᵏ at c, d and never settles;
    # its limit (and our answer) is all on the last pair.
    edges = {(0, 1): 1.0, (1, 0): 1.0, (2, 3): 1.0, (3, 2): 1.0, (1, 2): 1.0}
    assert networkx_or_none(4, edges, True, False) is None
    result = solve(4, edges, True, False)
    assert result.method == "dense" and result.values is not None
    assert result.values == pytest.approx([0, 0, 1 / math.sqrt(2), 1 / math.sqrt(2)], abs=1e-12)
    # Above the dense size the power iteration cannot settle: unavailable, not an error.
    slow = solve(4, edges, True, False, dense_max=1)
    assert slow.values is None and slow.method == "unavailable"


def test_bad_weights_are_reported_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="commonground.ecosystem.domain.eigenvector"):
        result = eigenvector_centrality(2, [0], [1], [float("nan")])
    assert result.values is None and result.problem is not None and "weights" in result.problem
    assert caplog.records and caplog.records[0].exc_info is not None  # logged with traceback


def test_non_convergence_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    edges = {(0, 1): 1.0, (1, 0): 1.0, (2, 3): 1.0, (3, 2): 1.0, (1, 2): 1.0}
    with caplog.at_level(logging.ERROR):
        result = solve(4, edges, True, False, dense_max=1, max_iter=50)
    assert result.problem == "the power iteration did not converge in 50 steps"
    logged = [r for r in caplog.records if r.exc_info is not None]
    assert logged and "eigenvector centrality unavailable" in logged[0].getMessage()


def test_a_large_part_uses_the_checked_power_iteration() -> None:
    graph = nx.gnm_random_graph(DENSE_MAX + 50, 4 * DENSE_MAX, seed=7)
    network = network_from_nx(graph)
    report = analyze(network, directed=False)
    biggest = max(len(c) for c in nx.connected_components(graph))
    assert biggest > DENSE_MAX
    expected = nx.eigenvector_centrality(graph, max_iter=5000, tol=1e-10)
    ours = {a.id: a.eigenvector for a in report.actors}
    assert max(abs(ours[str(v)] - value) for v, value in expected.items()) < CLOSE  # type: ignore[operator]


def test_analyze_reports_an_unavailable_eigenvector_as_none() -> None:
    actors = tuple(Actor(x) for x in "abcd")
    ties = (Tie("a", "b"), Tie("b", "a"), Tie("c", "d"), Tie("d", "c"), Tie("b", "c"))
    network = Network(actors=actors, ties=ties)
    exact = analyze(network)
    assert exact.unavailable == () and [a.eigenvector for a in exact.actors] == pytest.approx(
        [0, 0, 1 / math.sqrt(2), 1 / math.sqrt(2)], abs=1e-12
    )
    failed = analyze(network, eigenvector_dense_max=1, eigenvector_max_iter=100)
    assert failed.unavailable == ("eigenvector",)
    assert all(a.eigenvector is None for a in failed.actors)
    assert failed.density == exact.density and failed.brokers == exact.brokers
    assert pickle.loads(pickle.dumps(failed)) == failed  # noqa: S301 - our own data


def test_reports_pickle_small_and_equal() -> None:
    network = network_from_nx(nx.karate_club_graph(), weight="weight")
    report = analyze(network, directed=False, weighted=True)
    data = pickle.dumps(report)
    assert pickle.loads(data) == report  # noqa: S301 - our own data
    assert len(data) < 20_000  # 34 actors


# --- one lock around igraph -----------------------------------------------------------------


def _igraph_calls_without_the_lock(run: Callable[[], object]) -> tuple[int, list[str]]:
    """Run ``run`` and return (igraph calls seen, those made without holding GRAPH_LOCK)."""
    seen = 0
    unlocked: list[str] = []

    def profile(frame: FrameType, what: str, arg: Any) -> None:
        nonlocal seen
        if what == "c_call":
            owner = getattr(arg, "__self__", None)
            module = getattr(arg, "__module__", None) or type(owner).__module__
        elif what == "call":
            module = frame.f_globals.get("__name__", "")
        else:
            return
        if not (module == "igraph" or str(module).startswith("igraph.")):
            return
        seen += 1
        if not GRAPH_LOCK._is_owned():  # type: ignore[attr-defined]
            unlocked.append(getattr(arg, "__qualname__", None) or frame.f_code.co_qualname)

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return seen, unlocked


def _survey_network() -> Network:
    actors = tuple(Actor(x, "food" if x in "ab" else "housing") for x in "abcdef")
    ties = tuple(Tie(a, b) for a, b in ("ab", "ba", "bc", "cd", "de", "ec", "ef"))
    return Network(actors=actors, ties=ties)


def test_every_igraph_call_of_the_domain_holds_the_lock(tmp_path: Path) -> None:
    network = _survey_network()
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target\na,b\nb,c\nc,a\nc,d\n", encoding="utf-8")

    def everything() -> None:
        analyze(network, directed=True, weighted=True)
        analyze(network, directed=False)
        missing_sectors(network)
        compare_snapshots(network, Network(actors=network.actors), directed=True)
        tie_pairs(network, directed=False)
        simple_graph(network, directed=True)
        cli.analyze_network_files(edges)

    seen, unlocked = _igraph_calls_without_the_lock(everything)
    assert seen > 20 and unlocked == []


def test_the_lock_check_catches_an_unlocked_call() -> None:
    seen, unlocked = _igraph_calls_without_the_lock(lambda: igraph.Graph(n=3).degree())
    assert seen and unlocked


def test_only_the_network_module_imports_igraph() -> None:
    root = Path(__file__).resolve().parents[3]  # the commonground package
    importers = set()
    for path in root.rglob("*.py"):
        if "tests" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name == "igraph" or name.startswith("igraph.") for name in names):
                importers.add(path.relative_to(root).as_posix())
    assert importers == {"ecosystem/domain/network.py"}


def test_the_lock_is_one_lock_held_by_one_thread_at_a_time() -> None:
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with GRAPH_LOCK:
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    assert not GRAPH_LOCK.acquire(blocking=False)  # analyze would wait here
    release.set()
    holder.join()
    assert GRAPH_LOCK.acquire(blocking=False)
    GRAPH_LOCK.release()


def test_eight_threads_hammering_the_entry_points_do_not_crash_the_process() -> None:
    """The issue's crash: 8 threads of analyses on random graphs of 5-58 actors.

    Before, the interpreter aborted (SIGABRT, ARPACK error) within seconds; run in a
    subprocess so such a crash fails this test instead of killing the test runner.
    """
    done = subprocess.run(
        [sys.executable, "-m", "commonground.ecosystem.domain.tests.hammer", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert done.stdout.strip() == f"ok {8 * 2 * 3 * 40}"
