"""Eigenvector centrality that never raises, as networkx defines it, without igraph.

networkx's ``eigenvector_centrality`` runs the power iteration x ← (A + I)ᵀ x from
the uniform vector, normalizing x to Euclidean norm 1 after each step, until the
summed change is below ``n · tol``. The answer here is the *limit* of that
iteration, so wherever networkx converges the two agree (the test suite checks
this on thousands of random graphs), and the answer is defined where networkx
stops without converging too.

How it is computed:

* no actors: an empty vector; no ties: every actor 1/√n (networkx's answer).
* an acyclic directed network with ties (no actor can reach itself, so the
  largest eigenvalue is 0): **zeros everywhere**. The power iteration only
  drifts toward the ends of the longest chains and networkx never converges;
  "nobody is named by well-connected partners" is the honest reading.
* otherwise, when every strongly connected part (connected part when
  undirected) has at most :data:`DENSE_MAX` actors: exactly, part by part, with
  LAPACK (``numpy.linalg.eigh`` for a symmetric part, ``numpy.linalg.eig``
  otherwise). Let ρ be the largest spectral radius of a part. Parts whose
  radius equals ρ (to a relative 1e-9) carry the limit: their Perron vectors,
  weighted by how much of the start vector flows into them (through the left
  Perron vector), spread downstream through (ρI − B)⁻¹; parts upstream of
  them, or cut off from them, tend to 0. When such parts feed one another in a
  chain, the iteration grows like k^(h−1)(1+ρ)^k and its limit sits at the
  end of the longest chains (networkx does not converge there either; the
  limit is still what it approaches). Nothing here iterates, so nothing can
  fail to converge.
* above that size: the same power iteration as networkx, vectorized, checked
  for convergence (``max_iter`` steps, summed change below ``n · tol``).

The result is normalized to Euclidean norm 1, as networkx's. A failure (the
power iteration did not converge, LAPACK failed, a weight is not a positive
finite number) is logged with its traceback and returned as
``values=None`` with ``problem`` saying why: callers show the metric as
unavailable. :func:`eigenvector_centrality` never raises on any graph.

>>> star = eigenvector_centrality(4, [0, 0, 0], [1, 2, 3], directed=False)
>>> [round(float(v), 4) for v in star.values], star.method
([0.7071, 0.4082, 0.4082, 0.4082], 'dense')
>>> eigenvector_centrality(3, [0, 1], [1, 2]).values.tolist()  # a directed chain: acyclic
[0.0, 0.0, 0.0]
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "DENSE_MAX",
    "MAX_ITER",
    "TOL",
    "Eigenvector",
    "EigenvectorError",
    "eigenvector_centrality",
    "power_iteration",
]

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Method = Literal["empty", "no_ties", "acyclic", "dense", "power", "unavailable"]

#: Strongly connected parts up to this many actors are solved exactly (LAPACK: about
#: half a second for one part of 500 on one core); a larger part uses the power iteration.
DENSE_MAX = 500
#: Steps of the power iteration before it is declared not converged.
MAX_ITER = 5000
#: The power iteration stops when Σ|x − x_last| < n · TOL (networkx's rule).
TOL = 1e-10
#: Parts whose spectral radius is within this relative distance of the largest count as equal.
RADIUS_RTOL = 1e-9


class EigenvectorError(ArithmeticError):
    """The eigenvector could not be computed (the message says why)."""


@dataclass(frozen=True, slots=True)
class Eigenvector:
    """Centrality per actor (``None`` when unavailable), how it was found, and why not."""

    values: FloatArray | None
    method: Method
    problem: str | None = None


def eigenvector_centrality(
    n: int,
    sources: Sequence[int] | IntArray,
    targets: Sequence[int] | IntArray,
    weights: Sequence[float] | FloatArray | None = None,
    *,
    directed: bool = True,
    dense_max: int = DENSE_MAX,
    max_iter: int = MAX_ITER,
    tol: float = TOL,
) -> Eigenvector:
    """Return the eigenvector centrality of the graph with ``n`` vertices and these ties.

    Tie i goes from ``sources[i]`` to ``targets[i]`` with weight ``weights[i]`` (1
    when ``weights`` is None); repeated ties add up, as in a multigraph's
    adjacency matrix. Directed: an actor's score comes from the actors naming it
    (incoming ties, networkx's convention). ``dense_max`` bounds the size of a
    strongly connected part solved exactly; ``max_iter`` and ``tol`` control the
    power iteration used above it (see the module docstring). Never raises: a
    failure is logged and returned with ``values=None``.
    """
    try:
        return _solve(n, sources, targets, weights, directed, dense_max, max_iter, tol)
    except Exception as error:  # a metric must never take a page down
        logger.exception(
            "eigenvector centrality unavailable (%d actors, %d ties, directed=%s)",
            n,
            len(sources),
            directed,
        )
        return Eigenvector(values=None, method="unavailable", problem=str(error) or repr(error))


def _solve(
    n: int,
    sources: Sequence[int] | IntArray,
    targets: Sequence[int] | IntArray,
    weights: Sequence[float] | FloatArray | None,
    directed: bool,
    dense_max: int,
    max_iter: int,
    tol: float,
) -> Eigenvector:
    src = np.asarray(sources, dtype=np.int64).reshape(-1)
    dst = np.asarray(targets, dtype=np.int64).reshape(-1)
    if src.shape != dst.shape:
        raise ValueError("sources and targets differ in length")
    w = np.ones(len(src)) if weights is None else np.asarray(weights, dtype=np.float64).reshape(-1)
    if w.shape != src.shape:
        raise ValueError("weights and ties differ in length")
    if len(src) and (src.min() < 0 or dst.min() < 0 or max(src.max(), dst.max()) >= n):
        raise ValueError("a tie names a vertex outside 0..n-1")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise EigenvectorError("tie weights must be positive finite numbers")
    if n == 0:
        return Eigenvector(values=np.zeros(0), method="empty")
    if len(src) == 0:
        return Eigenvector(values=np.full(n, 1.0 / math.sqrt(n)), method="no_ties")
    if not directed:
        # Each undirected tie works both ways; a self-tie counts once, as in networkx.
        loop = src == dst
        src, dst, w = (
            np.concatenate((src, dst[~loop])),
            np.concatenate((dst, src[~loop])),
            np.concatenate((w, w[~loop])),
        )
    component, count = _strong_components(n, src, dst)
    sizes = np.bincount(component, minlength=count)
    if sizes.max() == 1 and not np.any(src == dst):
        return Eigenvector(values=np.zeros(n), method="acyclic")
    if sizes.max() <= dense_max:
        try:
            values = _by_components(n, src, dst, w, component, count)
        except (np.linalg.LinAlgError, EigenvectorError):
            logger.exception("exact eigenvector failed; trying the power iteration")
        else:
            return Eigenvector(values=values, method="dense")
    return Eigenvector(values=power_iteration(n, src, dst, w, max_iter, tol), method="power")


def power_iteration(
    n: int, src: IntArray, dst: IntArray, w: FloatArray, max_iter: int, tol: float
) -> FloatArray:
    """networkx's iteration x ← normalize(x + Aᵀx) from 1/n; raise if not converged.

    ``src``/``dst``/``w`` list every directed tie (an undirected tie in both directions).
    """
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(dst, weights=w * last[src], minlength=n)
        norm = float(np.linalg.norm(x)) or 1.0
        x = x / norm
        if not np.all(np.isfinite(x)):
            raise EigenvectorError("the power iteration produced a non-finite value")
        if float(np.abs(x - last).sum()) < n * tol:
            return x
    raise EigenvectorError(f"the power iteration did not converge in {max_iter} steps")


def _strong_components(n: int, src: IntArray, dst: IntArray) -> tuple[IntArray, int]:
    """Tarjan's algorithm without recursion: component per vertex, numbered upstream first.

    Component numbers follow a topological order of the condensation: every tie
    between two components goes from a lower number to a higher one.
    """
    order = np.argsort(src, kind="stable")
    heads = dst[order]
    starts = np.searchsorted(src[order], np.arange(n + 1))
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, int(starts[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, edge = work[-1]
            end = int(starts[v + 1])
            if edge < end:
                work[-1] = (v, edge + 1)
                u = int(heads[edge])
                if index[u] == -1:
                    index[u] = low[u] = counter
                    counter += 1
                    stack.append(u)
                    on_stack[u] = True
                    work.append((u, int(starts[u])))
                elif on_stack[u]:
                    low[v] = min(low[v], index[u])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                members = []
                while True:
                    u = stack.pop()
                    on_stack[u] = False
                    members.append(u)
                    if u == v:
                        break
                found.append(members)
    # Tarjan finds downstream components first; number them the other way round.
    component = np.empty(n, dtype=np.int64)
    for number, members in enumerate(reversed(found)):
        component[members] = number
    return component, len(found)


def _perron(block: FloatArray) -> tuple[float, FloatArray, FloatArray]:
    """Spectral radius, right and left Perron vectors (positive) of an irreducible block."""
    size = block.shape[0]
    if size == 1:
        return float(block[0, 0]), np.ones(1), np.ones(1)
    if np.array_equal(block, block.T):
        real_values, real_vectors = np.linalg.eigh(block)
        right = _positive(real_vectors[:, int(np.argmax(real_values))])
        return float(real_values.max()), right, right
    values, vectors = np.linalg.eig(block)
    top = int(np.argmax(values.real))
    left_values, left_vectors = np.linalg.eig(block.T)
    left_top = int(np.argmax(left_values.real))
    return (
        float(values[top].real),
        _positive(vectors[:, top]),
        _positive(left_vectors[:, left_top]),
    )


def _positive(vector: npt.NDArray[np.generic]) -> FloatArray:
    """The Perron vector with its phase removed (it is real and of one sign up to rounding)."""
    complex_vector = np.asarray(vector, dtype=np.complex128)
    pivot = complex_vector[int(np.argmax(np.abs(complex_vector)))]
    if pivot == 0:
        raise EigenvectorError("LAPACK returned a zero eigenvector")
    result = np.abs((complex_vector / pivot).real)
    if not np.all(np.isfinite(result)):
        raise EigenvectorError("LAPACK returned a non-finite eigenvector")
    return result


def _radius(block: FloatArray) -> float:
    if block.shape[0] == 1:
        return float(block[0, 0])
    if np.array_equal(block, block.T):
        return float(np.linalg.eigvalsh(block).max())
    return float(np.linalg.eigvals(block).real.max())


def _by_components(
    n: int,
    src: IntArray,
    dst: IntArray,
    w: FloatArray,
    component: IntArray,
    count: int,
) -> FloatArray:
    """The limit of the power iteration, one strongly connected part at a time (module doc).

    Growth of x_v(k) is tracked as lead_v · k^(h−1) · (1+ρ)^k with the order h per part
    (0: slower than (1+ρ)^k, where ``resolvent`` holds Σ_k x(k)/(1+ρ)^(k+1) instead).
    """
    grouped = np.argsort(component, kind="stable")
    members = np.split(grouped, np.cumsum(np.bincount(component, minlength=count))[:-1])
    position = np.empty(n, dtype=np.int64)
    for vertices in members:
        position[vertices] = np.arange(len(vertices))
    inside = component[src] == component[dst]
    blocks = [np.zeros((len(v), len(v))) for v in members]
    for s, d, weight in zip(src[inside], dst[inside], w[inside], strict=True):
        # B[v, u] = w(u → v): an actor's score flows along its outgoing ties.
        blocks[component[d]][position[d], position[s]] += weight
    radii = np.array([_radius(block) for block in blocks])
    rho = float(radii.max())
    if not math.isfinite(rho) or rho <= 0:
        raise EigenvectorError("no positive eigenvalue found")
    dominant = radii >= rho * (1 - RADIUS_RTOL)

    cross = ~inside
    by_target: dict[int, list[int]] = {}
    for i in np.flatnonzero(cross).tolist():
        by_target.setdefault(int(component[dst[i]]), []).append(i)

    order = np.zeros(count, dtype=np.int64)
    lead = np.zeros(n)
    resolvent = np.zeros(n)
    start = np.ones(n)
    for c in range(count):
        vertices = members[c]
        incoming = np.asarray(by_target.get(c, []), dtype=np.int64)
        upstream = component[src[incoming]]
        h_in = int(order[upstream].max()) if len(incoming) else 0

        def inflow(values: FloatArray, ties: IntArray, size: int = len(vertices)) -> FloatArray:
            flow = np.zeros(size)
            np.add.at(flow, position[dst[ties]], w[ties] * values[src[ties]])
            return flow

        block = blocks[c]
        if dominant[c]:
            _, right, left = _perron(block)
            if h_in == 0:
                total = start[vertices] + inflow(resolvent, incoming)
                lead[vertices] = right * (left @ total) / (left @ right)
                order[c] = 1
            else:
                feeding = incoming[order[upstream] == h_in]
                flow = inflow(lead, feeding)
                lead[vertices] = right * (left @ flow) / ((left @ right) * (1 + rho) * h_in)
                order[c] = h_in + 1
        else:
            shifted = rho * np.eye(len(vertices)) - block
            if h_in == 0:
                total = start[vertices] + inflow(resolvent, incoming)
                resolvent[vertices] = np.linalg.solve(shifted, total)
            else:
                feeding = incoming[order[upstream] == h_in]
                lead[vertices] = np.linalg.solve(shifted, inflow(lead, feeding))
                order[c] = h_in
    top = int(order.max())
    values = np.where(order[component] == top, np.abs(lead), 0.0)
    norm = float(np.linalg.norm(values))
    if not math.isfinite(norm) or norm <= 0:
        raise EigenvectorError("the eigenvector has no finite positive norm")
    return values / norm
