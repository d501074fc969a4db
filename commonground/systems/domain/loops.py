"""Feedback loops of a causal map: every elementary cycle up to a length, its polarity,
its delays, how many loops each factor is on, and a plain leverage reading.

A map is a set of directed links ``source → target`` with a polarity: ``+`` (the target
moves in the *same* direction as the source) or ``-`` (the *opposite* direction). A
feedback loop is an elementary cycle (no factor twice); a factor linked to itself is a
loop of length 1. A loop is *reinforcing* when it has an even number of ``-`` links and
*balancing* when the number is odd.

Cycles are enumerated by a depth-first search rooted at each factor in turn (in code-point
order of the names), visiting only factors that sort after the root and that can still get
back to the root within the links left; so each cycle is found exactly once, rotated to
start at the factor whose name sorts first, and the search never walks a path that cannot
close. The result is deterministic: sorted by length, then by the list of factor names.

>>> links = [Link("A", "B", "+"), Link("B", "A", "-"), Link("B", "B", "+")]
>>> [(loop.factors, loop.polarity) for loop in find_loops(links, max_length=8)]
[(('B',), 'reinforcing'), (('A', 'B'), 'balancing')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from commonground.systems.domain.errors import SystemsError

SAME, OPPOSITE = "+", "-"
POLARITIES = (SAME, OPPOSITE)
REINFORCING, BALANCING = "reinforcing", "balancing"
DEFAULT_MAX_LENGTH = 8
DEFAULT_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    polarity: str  # "+" same direction, "-" opposite direction
    delay: bool = False


@dataclass(frozen=True, slots=True)
class Loop:
    factors: tuple[str, ...]  # in link order, starting at the name that sorts first
    polarity: str  # "reinforcing" | "balancing"
    delays: int  # delayed links on the loop
    opposite: int  # "-" links on the loop

    @property
    def length(self) -> int:
        return len(self.factors)

    def links(self) -> list[tuple[str, str]]:
        """The loop's links as (source, target) pairs, the closing link last."""
        n = len(self.factors)
        return [(self.factors[i], self.factors[(i + 1) % n]) for i in range(n)]


def check_links(links: Iterable[Link]) -> dict[tuple[str, str], Link]:
    """The links by (source, target); raise ``SystemsError`` for a bad polarity or a link
    given twice."""
    by_pair: dict[tuple[str, str], Link] = {}
    for link in links:
        if link.polarity not in POLARITIES:
            raise SystemsError(
                f"the link from {link.source} to {link.target} has polarity "
                f"{link.polarity!r}; it must be + or -"
            )
        pair = (link.source, link.target)
        if pair in by_pair:
            raise SystemsError(f"the link from {link.source} to {link.target} is given twice")
        by_pair[pair] = link
    return by_pair


def polarity_of(opposite_links: int) -> str:
    """Reinforcing for an even number of opposite-direction links, balancing for odd.

    >>> polarity_of(0), polarity_of(1), polarity_of(2)
    ('reinforcing', 'balancing', 'reinforcing')
    """
    return REINFORCING if opposite_links % 2 == 0 else BALANCING


def elementary_cycles(
    successors: Mapping[str, Sequence[str]],
    *,
    max_length: int,
    limit: int | None = None,
) -> list[tuple[str, ...]]:
    """Every elementary cycle of at most ``max_length`` nodes, each starting at its least
    node (code-point order), sorted by length then nodes.

    ``successors`` maps each node to the nodes it links to (every node named anywhere
    must be a key). Raise ``SystemsError`` when ``max_length < 1`` or when more than
    ``limit`` cycles are found.

    >>> elementary_cycles({"a": ["b"], "b": ["a", "c"], "c": ["a"]}, max_length=3)
    [('a', 'b'), ('a', 'b', 'c')]
    """
    if max_length < 1:
        raise SystemsError("the maximum loop length must be at least 1")
    order = sorted(successors)
    rank = {node: i for i, node in enumerate(order)}
    predecessors: dict[str, list[str]] = {node: [] for node in order}
    for node in order:
        for head in successors[node]:
            predecessors[head].append(node)
    found: list[tuple[str, ...]] = []
    for root in order:
        low = rank[root]
        # Links needed to get back to the root, within the nodes that sort after it.
        back = {root: 0}
        queue = deque([root])
        while queue:
            node = queue.popleft()
            if back[node] >= max_length - 1:
                continue
            for prev in predecessors[node]:
                if rank[prev] > low and prev not in back:
                    back[prev] = back[node] + 1
                    queue.append(prev)
        path = [root]
        on_path = {root}
        # Iterative DFS: a stack of iterators over successors.
        stack = [iter(sorted(successors[root], key=rank.__getitem__))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            nxt = step
            if nxt == root:
                found.append(tuple(path))
                if limit is not None and len(found) > limit:
                    raise SystemsError(
                        f"the map has more than {limit} loops of up to {max_length} links; "
                        "choose a shorter maximum length"
                    )
                continue
            if rank[nxt] < low or nxt in on_path or nxt not in back:
                continue
            # The path has len(path) links once nxt is on it; back[nxt] more close it.
            if len(path) + back[nxt] > max_length:
                continue
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(sorted(successors[nxt], key=rank.__getitem__)))
    found.sort(key=lambda cycle: (len(cycle), cycle))
    return found


def graph_of(links: Iterable[Link]) -> dict[str, list[str]]:
    """Successor lists of the links' factors (every factor a key)."""
    successors: dict[str, list[str]] = {}
    for link in links:
        successors.setdefault(link.source, []).append(link.target)
        successors.setdefault(link.target, [])
    return successors


def find_loops(
    links: Iterable[Link],
    *,
    max_length: int = DEFAULT_MAX_LENGTH,
    factors: Iterable[str] = (),
    limit: int | None = DEFAULT_LIMIT,
) -> list[Loop]:
    """Every feedback loop of at most ``max_length`` links, with its polarity and delays.

    ``factors`` adds factors with no link (they are on no loop). Raise ``SystemsError``
    for a bad polarity, a link given twice, ``max_length < 1`` or more than ``limit``
    loops.
    """
    by_pair = check_links(links)
    successors = graph_of(by_pair.values())
    for factor in factors:
        successors.setdefault(factor, [])
    loops = []
    for cycle in elementary_cycles(successors, max_length=max_length, limit=limit):
        n = len(cycle)
        on_loop = [by_pair[(cycle[i], cycle[(i + 1) % n])] for i in range(n)]
        opposite = sum(1 for link in on_loop if link.polarity == OPPOSITE)
        loops.append(
            Loop(
                factors=cycle,
                polarity=polarity_of(opposite),
                delays=sum(1 for link in on_loop if link.delay),
                opposite=opposite,
            )
        )
    return loops


def loop_counts(loops: Iterable[Loop]) -> dict[str, int]:
    """Factor → the number of loops it is on (factors on no loop left out), by name.

    >>> loop_counts([Loop(("a", "b"), "reinforcing", 0, 0), Loop(("a",), "reinforcing", 0, 0)])
    {'a': 2, 'b': 1}
    """
    counts: dict[str, int] = {}
    for loop in loops:
        for factor in loop.factors:
            counts[factor] = counts.get(factor, 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True, slots=True)
class Leverage:
    factor: str
    root_causes: tuple[str, ...]  # root causes that reach the factor
    outcomes: tuple[str, ...]  # outcomes the factor reaches
    loops: int  # loops the factor is on

    @property
    def score(self) -> int:
        """Root-cause-to-outcome pairs the factor stands between."""
        return len(self.root_causes) * len(self.outcomes)


def _reach(start: str, successors: Mapping[str, Sequence[str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in successors.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def leverage(
    links: Iterable[Link],
    *,
    root_causes: Iterable[str],
    outcomes: Iterable[str],
    loops: Iterable[Loop] = (),
) -> list[Leverage]:
    """Factors (other than the root causes and outcomes themselves) that a root cause
    reaches and that reach an outcome along the links: the places where acting on one
    factor carries a root cause's effect to an outcome. Sorted by the number of
    root-cause/outcome pairs, then loops, descending, then name.

    >>> links = [Link("r", "m", "+"), Link("m", "o", "+"), Link("x", "o", "+")]
    >>> [(l.factor, l.score) for l in leverage(links, root_causes=["r"], outcomes=["o"])]
    [('m', 1)]
    """
    links = list(links)
    successors = graph_of(links)
    roots = sorted(set(root_causes))
    ends = set(outcomes)
    counts = loop_counts(loops)
    reached_by: dict[str, list[str]] = {}
    for root in roots:
        for node in _reach(root, successors):
            reached_by.setdefault(node, []).append(root)
    out = []
    for node in sorted(reached_by):
        if node in ends or node in roots:
            continue
        reaches = sorted(ends & _reach(node, successors) - {node})
        if reaches:
            out.append(Leverage(node, tuple(reached_by[node]), tuple(reaches), counts.get(node, 0)))
    out.sort(key=lambda item: (-item.score, -item.loops, item.factor))
    return out


@dataclass(frozen=True, slots=True)
class GapTouch:
    loop: int  # index into the loops given
    indicators: tuple[int, ...]  # the large-gap indicators linked to factors on the loop


def loops_touching_gaps(
    loops: Sequence[Loop],
    *,
    factor_indicators: Mapping[str, int],
    gap_sizes: Mapping[int, float],
    top: int = 3,
) -> tuple[list[int], list[GapTouch]]:
    """The ``top`` indicators with the largest gaps, and the loops with a factor linked
    to one of them.

    ``gap_sizes`` maps an indicator to the size of its widest gap (any non-negative,
    unit-free size: ``|1 - ratio|`` of the worst-off reliable group, for instance);
    ``factor_indicators`` maps a factor to the indicator it is linked to.

    >>> loop = Loop(("a", "b"), "reinforcing", 0, 0)
    >>> loops_touching_gaps([loop], factor_indicators={"b": 7}, gap_sizes={7: 0.3, 8: 0.1}, top=1)
    ([7], [GapTouch(loop=0, indicators=(7,))])
    """
    largest = [
        indicator
        for indicator, _size in sorted(gap_sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    ]
    chosen = set(largest)
    touches = []
    for index, loop in enumerate(loops):
        found = sorted(
            {factor_indicators[f] for f in loop.factors if factor_indicators.get(f) in chosen}
        )
        if found:
            touches.append(GapTouch(index, tuple(found)))
    return largest, touches
