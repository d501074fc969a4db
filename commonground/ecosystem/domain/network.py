"""Whole-network and per-actor metrics of a coalition network, computed with igraph.

:func:`analyze` takes a :class:`~.model.Network` and returns a
:class:`NetworkReport`. Every metric follows the networkx convention of the
same name (the test suite checks them against networkx), on the *simple*
graph: duplicate reports of a tie become one tie, self-ties are dropped and
counted.

Conventions (n actors, m ties after merging):

* ``directed=True`` keeps one tie per ordered pair; ``directed=False`` one per
  unordered pair. A merged tie's weight is the mean of its reported weights
  (1 when none), used only when ``weighted=True``.
* Path metrics (betweenness, closeness) treat every tie as length 1: a strong
  tie does not make a path shorter. Weights enter eigenvector centrality,
  strength and community detection.
* degree centrality = degree / (n − 1) (in + out degree when directed; 1 for a
  lone actor), as ``nx.degree_centrality``; in/out likewise.
* betweenness = ``nx.betweenness_centrality(normalized=True)``: the igraph
  value × 1/((n−1)(n−2)) when directed, × 2/((n−1)(n−2)) when undirected.
  Above ``betweenness_sample_above`` actors it is estimated from
  ``sample_size`` random pivots (Brandes & Pich 2007): igraph's subset
  betweenness from the pivots × n/k, an unbiased estimate of the exact value.
* closeness = ``nx.closeness_centrality(wf_improved=True)``: from the distances
  *to* the actor (incoming paths when directed), (r−1)/Σd × (r−1)/(n−1) where r
  counts the actors that can reach it (itself included) — Wasserman & Faust's
  correction for disconnected networks; 0 for an actor nobody reaches. Above
  ``closeness_sample_above`` it is estimated from the same pivots
  (Eppstein & Wang 2004): r−1 and Σd are scaled up from the pivots' distances.
* eigenvector = ``nx.eigenvector_centrality``: the limit of networkx's power
  iteration (incoming ties when directed), scaled to Euclidean norm 1; weights
  count when ``weighted``. Computed without igraph by :mod:`.eigenvector`
  (exact below a size, a checked power iteration above): an acyclic directed
  network with ties gets zeros, a network without ties 1/√n each. When it
  cannot be computed the failure is logged, every actor's ``eigenvector`` is
  ``None`` and ``"eigenvector"`` is listed in ``NetworkReport.unavailable``.
* density = m / (n(n−1)) directed, 2m / (n(n−1)) undirected (``nx.density``).
* reciprocity = share of directed ties whose reverse tie exists
  (``nx.reciprocity``); ``None`` when undirected or without ties.
* degree centralization (Freeman 1979) = Σᵢ (d_max − dᵢ) / max, where max is
  the value for a star: (n−1)(n−2) on the undirected graph, (n−1)² for in- or
  out-degree. For a directed network ``degree_centralization`` is computed on
  its undirected version (who is tied to whom) and the in/out versions are
  reported separately; 0 when n < 3.
* communities: Leiden (igraph, modularity objective, fixed seed) on the
  undirected version (a reciprocated pair is one tie; weight = the larger of
  the two); ``modularity`` is Newman's Q of that partition on that graph
  (= ``nx.community.modularity``). Numbered 0, 1, … from the largest.
* brokers: actors with positive betweenness in the top tenth of the network
  by betweenness (at most ``max_brokers``), with how many other communities
  and other sectors their direct ties reach.
* sector mixing: see :class:`SectorMixing`.

Threads: python-igraph's C core is not safe to call from several threads at once
(eight threads running eigenvector centrality on small graphs abort the
process). Every igraph call of the product runs under :data:`GRAPH_LOCK`: the
entry points here (:func:`analyze`, :func:`simple_graph`) and in :mod:`.missing`
and :mod:`.snapshots` are :func:`serialized`. A report is picklable, so a cache
can keep it.
"""

from __future__ import annotations

import copyreg
import functools
import logging
import math
import random
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import ParamSpec, TypeVar

import igraph
import numpy as np
import numpy.typing as npt

from commonground.ecosystem.domain import eigenvector as eigen
from commonground.ecosystem.domain.model import Actor, Network, NetworkError, Tie
from commonground.ecosystem.domain.ratings import NetworkScore, score_ratings
from commonground.ecosystem.domain.response import ResponseReport, response_report
from commonground.ecosystem.domain.sectors import SECTORS_BY_ID

__all__ = [
    "GRAPH_LOCK",
    "Actor",
    "ActorMetrics",
    "Broker",
    "Network",
    "NetworkError",
    "NetworkReport",
    "OneSidedTie",
    "SectorMixing",
    "SectorMixingRow",
    "SimpleGraph",
    "Tie",
    "actor_values",
    "analyze",
    "freeman_centralization",
    "serialized",
    "simple_graph",
]

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

#: Held around every igraph call in the product (re-entrant: entry points nest).
GRAPH_LOCK = threading.RLock()


def serialized(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` holding :data:`GRAPH_LOCK`: no two igraph calls at once in a process."""

    @functools.wraps(function)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with GRAPH_LOCK:
            return function(*args, **kwargs)

    return locked


# Reports hold read-only mappings (ratings by dimension); they pickle as a
# read-only view of a copy, so a report can be cached.
def readonly_mapping(items: dict[object, object]) -> MappingProxyType[object, object]:
    """Rebuild a pickled read-only mapping."""
    return MappingProxyType(items)


def _reduce_mapping(
    proxy: MappingProxyType[object, object],
) -> tuple[Callable[[dict[object, object]], MappingProxyType[object, object]], tuple[object]]:
    return readonly_mapping, (dict(proxy),)


copyreg.pickle(MappingProxyType, _reduce_mapping)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Exact betweenness and closeness up to this many actors; sampled above.
DEFAULT_SAMPLE_ABOVE = 4000
#: Pivots used by the sampled estimates.
DEFAULT_SAMPLE_SIZE = 500
#: Leiden runs until stable up to this many ties, and 5 iterations above.
LEIDEN_STABLE_MAX_TIES = 20_000


@dataclass(frozen=True, slots=True)
class ActorMetrics:
    """Metrics of one actor; ``trust``/``value`` are ``None`` when it received no rating.

    ``eigenvector`` is ``None`` when it could not be computed (see the module doc).
    """

    id: str
    sector: str | None
    degree: int
    in_degree: int
    out_degree: int
    strength: float
    degree_centrality: float
    in_degree_centrality: float
    out_degree_centrality: float
    betweenness: float
    closeness: float
    eigenvector: float | None
    coreness: int
    community: int
    is_isolate: bool
    trust: float | None
    value: float | None


@dataclass(frozen=True, slots=True)
class Broker:
    id: str
    betweenness: float
    other_communities_reached: int
    other_sectors_reached: int


@dataclass(frozen=True, slots=True)
class SectorMixingRow:
    """Ties of one sector: ``internal`` inside it, ``external`` to another known sector."""

    sector: str
    actor_count: int
    internal_tie_count: int
    external_tie_count: int
    ei_index: float | None


@dataclass(frozen=True, slots=True)
class SectorMixing:
    """How ties cross sectors; ties touching an actor of unknown sector are left out.

    Each tie counts once (a reciprocated directed pair is two ties).
    ``cross_sector_share`` = E / (E + I) and ``ei_index`` = (E − I) / (E + I)
    (Krackhardt & Stern 1988) for E ties across sectors and I within.
    ``matrix[i][j]`` counts ties from ``sectors[i]`` to ``sectors[j]`` as
    ``nx.attribute_mixing_dict`` does: an undirected tie counts in both
    directions, so the matrix is symmetric and a within-sector tie adds 2 to
    the diagonal.
    """

    sectors: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]
    internal_tie_count: int
    external_tie_count: int
    cross_sector_share: float | None
    ei_index: float | None
    unknown_sector_tie_count: int
    by_sector: tuple[SectorMixingRow, ...]


@dataclass(frozen=True, slots=True)
class OneSidedTie:
    """A tie only one end reported; ``partner_responded`` False means the partner never answered."""

    reported_by: str
    partner: str
    partner_responded: bool | None


@dataclass(frozen=True, slots=True)
class NetworkReport:
    actor_count: int
    tie_count: int
    is_directed: bool
    is_weighted: bool
    density: float
    reciprocity: float | None
    mutual_pair_count: int
    degree_centralization: float
    in_degree_centralization: float | None
    out_degree_centralization: float | None
    component_count: int
    strong_component_count: int | None
    largest_component_size: int
    isolates: tuple[str, ...]
    communities: tuple[tuple[str, ...], ...]
    modularity: float | None
    actors: tuple[ActorMetrics, ...]
    brokers: tuple[Broker, ...]
    sector_mixing: SectorMixing | None
    trust: NetworkScore | None
    value: NetworkScore | None
    response: ResponseReport | None
    confirmed_pair_count: int
    one_sided_ties: tuple[OneSidedTie, ...]
    self_ties_ignored: int
    betweenness_is_estimate: bool
    closeness_is_estimate: bool
    sample_size: int | None
    #: Metrics that could not be computed (their values are ``None``), e.g. ``("eigenvector",)``.
    unavailable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SimpleGraph:
    """The merged simple graph of a network: ``graph`` vertex i is ``ids[i]``."""

    ids: tuple[str, ...]
    graph: igraph.Graph
    weights: FloatArray
    self_ties: int


@serialized
def simple_graph(network: Network, *, directed: bool) -> SimpleGraph:
    """Return ``network`` as a simple igraph graph (duplicates merged, self-ties dropped).

    A caller that goes on to call the returned graph's methods must hold
    :data:`GRAPH_LOCK` while it does (decorate it with :func:`serialized`).

    >>> simple_graph(
    ...     Network(actors=(Actor("a"), Actor("b")), ties=(Tie("a", "b"), Tie("b", "a"))),
    ...     directed=False,
    ... ).graph.ecount()
    1
    """
    ids = tuple(actor.id for actor in network.actors)
    n = len(ids)
    index = {actor_id: i for i, actor_id in enumerate(ids)}
    ties = network.ties
    count = len(ties)
    src = np.fromiter((index[t.source] for t in ties), dtype=np.int64, count=count)
    dst = np.fromiter((index[t.target] for t in ties), dtype=np.int64, count=count)
    has_weight = np.fromiter((t.weight is not None for t in ties), dtype=np.bool_, count=count)
    weight = np.fromiter(
        (1.0 if t.weight is None else t.weight for t in ties), dtype=np.float64, count=count
    )
    loops = src == dst
    src, dst, has_weight, weight = src[~loops], dst[~loops], has_weight[~loops], weight[~loops]
    if not directed:
        src, dst = np.minimum(src, dst), np.maximum(src, dst)
    keys, inverse = np.unique(src * n + dst, return_inverse=True)
    weight_sum = np.bincount(inverse, weights=np.where(has_weight, weight, 0.0))
    weight_count = np.bincount(inverse, weights=has_weight.astype(np.float64))
    weights = np.where(weight_count > 0, weight_sum / np.maximum(weight_count, 1), 1.0)
    edges = np.column_stack((keys // max(n, 1), keys % max(n, 1))).tolist()
    graph = igraph.Graph(n=n, edges=edges, directed=directed)
    return SimpleGraph(ids=ids, graph=graph, weights=weights, self_ties=int(loops.sum()))


@contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    # igraph draws from a process-wide generator (Python's `random` module by
    # default); pin it for reproducible communities and put the default back.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def freeman_centralization(degrees: Sequence[int] | IntArray, maximum: float) -> float:
    """Return Σ (max degree − degree) / ``maximum``; 0 when ``maximum`` ≤ 0.

    ``maximum`` is the sum for a star of the same size: (n−1)(n−2) for
    undirected degree, (n−1)² for in- or out-degree.

    >>> freeman_centralization([3, 1, 1, 1], maximum=3 * 2)  # a star
    1.0
    >>> round(freeman_centralization([2, 2, 1, 1], maximum=3 * 2), 4)  # a path
    0.3333
    """
    values = np.asarray(degrees, dtype=np.float64)
    if maximum <= 0 or values.size == 0:
        return 0.0
    return float((values.max() - values).sum() / maximum)


def _pivots(n: int, size: int, seed: int) -> IntArray:
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=min(size, n), replace=False)).astype(np.int64)


def _betweenness(graph: igraph.Graph, directed: bool, pivots: IntArray | None) -> FloatArray:
    n = graph.vcount()
    if pivots is None:
        raw = np.asarray(graph.betweenness(directed=directed), dtype=np.float64)
    else:
        sampled = graph.betweenness(directed=directed, sources=pivots.tolist())
        raw = np.asarray(sampled, dtype=np.float64) * (n / len(pivots))
    if n <= 2:
        return raw
    scale = (1.0 if directed else 2.0) / ((n - 1) * (n - 2))
    return raw * scale


def _reach_in_minus_one(graph: igraph.Graph, directed: bool) -> FloatArray:
    """Return, per actor, how many other actors have a path to it."""
    if not directed:
        components = graph.connected_components(mode="weak")
        sizes = np.asarray(components.sizes(), dtype=np.float64)
        return sizes[np.asarray(components.membership)] - 1
    strong = graph.connected_components(mode="strong")
    member = np.asarray(strong.membership, dtype=np.int64)
    sizes = np.asarray(strong.sizes(), dtype=np.float64)
    k = len(sizes)
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    a, b = member[edges[:, 0]], member[edges[:, 1]]
    between = np.unique(a[a != b] * k + b[a != b])
    dag = igraph.Graph(
        n=k, edges=np.column_stack((between // k, between % k)).tolist(), directed=True
    )
    ancestors = dag.neighborhood(vertices=None, order=k, mode="in")
    lengths = np.fromiter((len(x) for x in ancestors), dtype=np.int64, count=k)
    flat = np.fromiter((v for x in ancestors for v in x), dtype=np.int64, count=int(lengths.sum()))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    reach = np.add.reduceat(sizes[flat], offsets) if k else np.zeros(0)
    return reach[member] - 1


def _closeness(graph: igraph.Graph, directed: bool, pivots: IntArray | None) -> FloatArray:
    n = graph.vcount()
    if n <= 1:
        return np.zeros(n)
    if pivots is None:
        # igraph: (r−1)/Σd over reachable actors; NaN for an actor nobody reaches.
        within = np.asarray(graph.closeness(mode="in", normalized=True), dtype=np.float64)
        reach = _reach_in_minus_one(graph, directed)
        closeness = within * reach / (n - 1)
        return np.nan_to_num(closeness, nan=0.0)
    reached = np.zeros(n)
    total = np.zeros(n)
    for start in range(0, len(pivots), 100):
        block = pivots[start : start + 100]
        distances = np.asarray(
            graph.distances(source=block.tolist(), mode="out" if directed else "all"),
            dtype=np.float64,
        )
        # Distance 0 is the pivot itself, which does not count as reaching.
        hit = np.isfinite(distances) & (distances > 0)
        reached += hit.sum(axis=0)
        total += np.where(hit, distances, 0.0).sum(axis=0)
    is_pivot = np.zeros(n, dtype=np.bool_)
    is_pivot[pivots] = True
    others = len(pivots) - is_pivot.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = (reached / total) * (reached / others)
    return np.nan_to_num(closeness, nan=0.0, posinf=0.0)


def _eigenvector(
    graph: igraph.Graph, weights: FloatArray | None, dense_max: int, max_iter: int
) -> FloatArray | None:
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    result = eigen.eigenvector_centrality(
        graph.vcount(),
        edges[:, 0],
        edges[:, 1],
        weights,
        directed=graph.is_directed(),
        dense_max=dense_max,
        max_iter=max_iter,
    )
    if result.values is None:
        logger.error("eigenvector centrality shown as unavailable: %s", result.problem)
    return result.values


def _undirected(graph: igraph.Graph, weights: FloatArray) -> tuple[igraph.Graph, FloatArray]:
    if not graph.is_directed():
        return graph, weights
    n = graph.vcount()
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    lo, hi = edges.min(axis=1), edges.max(axis=1)
    keys, inverse = np.unique(lo * n + hi, return_inverse=True)
    merged = np.zeros(len(keys))
    np.maximum.at(merged, inverse, weights)
    pairs = np.column_stack((keys // max(n, 1), keys % max(n, 1))).tolist()
    return igraph.Graph(n=n, edges=pairs, directed=False), merged


def _communities(
    graph: igraph.Graph, weights: FloatArray | None, seed: int
) -> tuple[IntArray, float | None]:
    n = graph.vcount()
    if graph.ecount() == 0:
        return np.arange(n, dtype=np.int64), None
    weight_list = None if weights is None else weights.tolist()
    iterations = -1 if graph.ecount() <= LEIDEN_STABLE_MAX_TIES else 5
    with _seeded_igraph(seed):
        found = graph.community_leiden(
            objective_function="modularity", weights=weight_list, n_iterations=iterations
        )
    raw = np.asarray(found.membership, dtype=np.int64)
    # Number communities by size (largest first), then by first member, for stable output.
    sizes = np.bincount(raw)
    first = np.full(len(sizes), n, dtype=np.int64)
    np.minimum.at(first, raw, np.arange(n, dtype=np.int64))
    order = np.lexsort((first, -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    membership = rank[raw]
    modularity = graph.modularity(membership.tolist(), weights=weight_list)
    return membership, float(modularity)


def _reached_other(codes: IntArray, heads: IntArray, tails: IntArray, n: int) -> IntArray:
    """Return per actor the number of distinct other known codes among its neighbours."""
    a = np.concatenate((heads, tails))
    b = np.concatenate((tails, heads))
    keep = (codes[b] >= 0) & (codes[b] != codes[a])
    span = max(int(codes.max()) + 1, 1) if codes.size else 1
    pairs = np.unique(a[keep] * span + codes[b][keep])
    return np.bincount(pairs // span, minlength=n).astype(np.int64)


def _sector_codes(network: Network) -> tuple[tuple[str, ...], IntArray]:
    known = {actor.sector for actor in network.actors if actor.sector is not None}
    order = sorted(
        known,
        key=lambda s: (0, SECTORS_BY_ID[s].order, s) if s in SECTORS_BY_ID else (1, 0, s),
    )
    code = {sector: i for i, sector in enumerate(order)}
    codes = np.fromiter(
        (
            code.get(actor.sector, -1) if actor.sector is not None else -1
            for actor in network.actors
        ),
        dtype=np.int64,
        count=len(network.actors),
    )
    return tuple(order), codes


def _ei(external: int, internal: int) -> float | None:
    total = external + internal
    return None if total == 0 else (external - internal) / total


def _sector_mixing(
    sectors: tuple[str, ...], codes: IntArray, heads: IntArray, tails: IntArray, directed: bool
) -> SectorMixing:
    k = len(sectors)
    sa, sb = codes[heads], codes[tails]
    known = (sa >= 0) & (sb >= 0)
    sa, sb = sa[known], sb[known]
    internal = sa == sb
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (sa, sb), 1)
    if not directed:
        np.add.at(matrix, (sb, sa), 1)
    actor_counts = np.bincount(codes[codes >= 0], minlength=k)
    internal_by = np.bincount(sa[internal], minlength=k)
    external_by = np.bincount(sa[~internal], minlength=k) + np.bincount(sb[~internal], minlength=k)
    rows = tuple(
        SectorMixingRow(
            sector=sectors[i],
            actor_count=int(actor_counts[i]),
            internal_tie_count=int(internal_by[i]),
            external_tie_count=int(external_by[i]),
            ei_index=_ei(int(external_by[i]), int(internal_by[i])),
        )
        for i in range(k)
    )
    n_internal, n_external = int(internal.sum()), int((~internal).sum())
    total = n_internal + n_external
    return SectorMixing(
        sectors=sectors,
        matrix=tuple(tuple(int(x) for x in row) for row in matrix),
        internal_tie_count=n_internal,
        external_tie_count=n_external,
        cross_sector_share=None if total == 0 else n_external / total,
        ei_index=_ei(n_external, n_internal),
        unknown_sector_tie_count=int((~known).sum()),
        by_sector=rows,
    )


def _one_sided(
    network: Network, respondents: frozenset[str] | None
) -> tuple[int, tuple[OneSidedTie, ...]]:
    reporters: dict[tuple[str, str], set[str]] = {}
    for tie in network.ties:
        if tie.reported_by is None or tie.source == tie.target:
            continue
        pair = (tie.source, tie.target) if tie.source < tie.target else (tie.target, tie.source)
        reporters.setdefault(pair, set()).add(tie.reported_by)
    confirmed = 0
    one_sided = []
    for (a, b), who in reporters.items():
        if len(who) == 2:
            confirmed += 1
            continue
        reporter = next(iter(who))
        partner = b if reporter == a else a
        responded = None if respondents is None else partner in respondents
        one_sided.append(OneSidedTie(reporter, partner, responded))
    one_sided.sort(key=lambda t: (t.reported_by, t.partner))
    return confirmed, tuple(one_sided)


@serialized
def analyze(
    network: Network,
    *,
    directed: bool = True,
    weighted: bool = False,
    betweenness_sample_above: int = DEFAULT_SAMPLE_ABOVE,
    closeness_sample_above: int = DEFAULT_SAMPLE_ABOVE,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    max_brokers: int = 10,
    seed: int = 0,
    eigenvector_dense_max: int = eigen.DENSE_MAX,
    eigenvector_max_iter: int = eigen.MAX_ITER,
) -> NetworkReport:
    """Return every network and actor metric of ``network`` (conventions in the module docstring).

    ``eigenvector_dense_max`` and ``eigenvector_max_iter`` are the eigenvector
    solver's ``dense_max`` and ``max_iter`` (see :mod:`.eigenvector`). Runs under
    :data:`GRAPH_LOCK`; never raises on a valid network (bad arguments raise
    :class:`NetworkError`).

    >>> net = Network(
    ...     actors=(Actor("hub", "food"), Actor("a", "housing"), Actor("b", "housing")),
    ...     ties=(Tie("hub", "a"), Tie("hub", "b")),
    ... )
    >>> report = analyze(net, directed=False)
    >>> report.density, report.degree_centralization, report.actors[0].betweenness
    (0.6666666666666666, 1.0, 1.0)
    >>> report.sector_mixing.ei_index
    1.0
    """
    if sample_size < 1:
        raise NetworkError("sample_size must be at least 1")
    built = simple_graph(network, directed=directed)
    graph = built.graph
    n, m = graph.vcount(), graph.ecount()
    weights = built.weights if weighted else None

    degree = np.asarray(graph.degree(mode="all"), dtype=np.int64)
    if directed:
        in_degree = np.asarray(graph.degree(mode="in"), dtype=np.int64)
        out_degree = np.asarray(graph.degree(mode="out"), dtype=np.int64)
    else:
        in_degree = out_degree = degree
    strength = (
        np.asarray(graph.strength(mode="all", weights=weights.tolist()), dtype=np.float64)
        if weights is not None
        else degree.astype(np.float64)
    )
    scale = 1.0 / (n - 1) if n > 1 else 1.0
    lone = 1.0 if n == 1 else 0.0  # nx gives a lone actor degree centrality 1

    density = 0.0 if n <= 1 else m / (n * (n - 1)) * (1 if directed else 2)
    reciprocity = (
        float(graph.reciprocity(ignore_loops=True, mode="default")) if directed and m else None
    )
    mutual_pairs = round(reciprocity * m / 2) if reciprocity is not None else 0

    undirected, undirected_weights = _undirected(graph, built.weights)
    plain_degree = np.asarray(undirected.degree(), dtype=np.int64)
    degree_centralization = freeman_centralization(plain_degree, (n - 1) * (n - 2))
    star = float((n - 1) ** 2) if n >= 3 else 0.0
    in_centralization = freeman_centralization(in_degree, star) if directed else None
    out_centralization = freeman_centralization(out_degree, star) if directed else None

    weak = graph.connected_components(mode="weak")
    strong_count = len(graph.connected_components(mode="strong")) if directed else None
    largest = max(weak.sizes()) if n else 0

    sample_between = n > betweenness_sample_above
    sample_close = n > closeness_sample_above
    pivots = _pivots(n, sample_size, seed) if (sample_between or sample_close) else None
    betweenness = _betweenness(graph, directed, pivots if sample_between else None)
    closeness = _closeness(graph, directed, pivots if sample_close else None)
    eigenvector = _eigenvector(graph, weights, eigenvector_dense_max, eigenvector_max_iter)
    coreness = np.asarray(graph.coreness(mode="all"), dtype=np.int64)
    membership, modularity = _communities(
        undirected, undirected_weights if weighted else None, seed
    )

    sectors, codes = _sector_codes(network)
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    heads, tails = edges[:, 0], edges[:, 1]
    mixing = _sector_mixing(sectors, codes, heads, tails, directed) if sectors else None

    ids = built.ids
    ratings = score_ratings(network)
    response = response_report(network)
    respondents = network.respondents
    if respondents is None and response is not None:
        respondents = frozenset(t.reported_by for t in network.ties if t.reported_by is not None)
    confirmed, one_sided = _one_sided(network, respondents)

    broker_pool = min(max_brokers, math.ceil(n / 10))
    ranked = np.argsort(-betweenness, kind="stable")[:broker_pool]
    ranked = ranked[betweenness[ranked] > 0]
    communities_reached = _reached_other(membership, heads, tails, n)
    sectors_reached = _reached_other(codes, heads, tails, n)
    brokers = tuple(
        Broker(
            id=ids[i],
            betweenness=float(betweenness[i]),
            other_communities_reached=int(communities_reached[i]),
            other_sectors_reached=int(sectors_reached[i]),
        )
        for i in ranked
    )

    community_lists: list[list[str]] = [[] for _ in range(int(membership.max()) + 1 if n else 0)]
    for i, community in enumerate(membership.tolist()):
        community_lists[community].append(ids[i])

    actor_rows = zip(
        network.actors,
        degree.tolist(),
        in_degree.tolist(),
        out_degree.tolist(),
        strength.tolist(),
        betweenness.tolist(),
        closeness.tolist(),
        [None] * n if eigenvector is None else eigenvector.tolist(),
        coreness.tolist(),
        membership.tolist(),
        strict=True,
    )
    actors = tuple(
        ActorMetrics(
            id=actor.id,
            sector=actor.sector,
            degree=d,
            in_degree=d_in,
            out_degree=d_out,
            strength=s,
            degree_centrality=d * scale + lone,
            in_degree_centrality=d_in * scale + lone,
            out_degree_centrality=d_out * scale + lone,
            betweenness=b,
            closeness=c,
            eigenvector=e,
            coreness=k,
            community=g,
            is_isolate=d == 0,
            trust=ratings.actor_trust.get(actor.id),
            value=ratings.actor_value.get(actor.id),
        )
        for actor, d, d_in, d_out, s, b, c, e, k, g in actor_rows
    )

    return NetworkReport(
        actor_count=n,
        tie_count=m,
        is_directed=directed,
        is_weighted=weighted,
        density=density,
        reciprocity=reciprocity,
        mutual_pair_count=mutual_pairs,
        degree_centralization=degree_centralization,
        in_degree_centralization=in_centralization,
        out_degree_centralization=out_centralization,
        component_count=len(weak),
        strong_component_count=strong_count,
        largest_component_size=largest,
        isolates=tuple(ids[i] for i in np.flatnonzero(degree == 0)),
        communities=tuple(tuple(c) for c in community_lists),
        modularity=modularity,
        actors=actors,
        brokers=brokers,
        sector_mixing=mixing,
        trust=ratings.trust,
        value=ratings.value,
        response=response,
        confirmed_pair_count=confirmed,
        one_sided_ties=one_sided,
        self_ties_ignored=built.self_ties,
        betweenness_is_estimate=sample_between,
        closeness_is_estimate=sample_close,
        sample_size=len(pivots) if pivots is not None else None,
        unavailable=("eigenvector",) if eigenvector is None else (),
    )


def actor_values(report: NetworkReport, metric: str) -> Mapping[str, float | None]:
    """Return ``{actor id: value}`` of one :class:`ActorMetrics` field, like a networkx result.

    >>> net = Network(actors=(Actor("a"), Actor("b")), ties=(Tie("a", "b"),))
    >>> dict(actor_values(analyze(net), "in_degree"))
    {'a': 0, 'b': 1}
    """
    return MappingProxyType({a.id: getattr(a, metric) for a in report.actors})
