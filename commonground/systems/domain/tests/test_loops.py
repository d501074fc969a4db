"""The loop core against hand-worked maps and against networkx on random digraphs."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.systems.domain.errors import SystemsError
from commonground.systems.domain.loops import (
    Link,
    elementary_cycles,
    find_loops,
    leverage,
    loop_counts,
    loops_touching_gaps,
)

HOUSING = [
    Link("housing instability", "stress", "+"),
    Link("stress", "chronic illness", "+"),
    Link("chronic illness", "medical debt", "+"),
    Link("medical debt", "housing instability", "+"),
]


def test_the_housing_loop_is_one_reinforcing_loop_starting_at_the_first_name() -> None:
    [loop] = find_loops(HOUSING)
    # "chronic illness" sorts first by code point; the order follows the links from it.
    assert loop.factors == ("chronic illness", "medical debt", "housing instability", "stress")
    assert loop.length == 4 and loop.polarity == "reinforcing" and loop.delays == 0
    assert loop_counts([loop]) == dict.fromkeys(sorted(loop.factors), 1)


def test_a_balancing_loop_with_a_delay() -> None:
    # Outreach grows with illness and, after a delay, brings illness down: one "-" link.
    links = [
        Link("Chronic illness", "CHW outreach", "+"),
        Link("CHW outreach", "Chronic illness", "-", delay=True),
    ]
    [loop] = find_loops(links)
    assert loop.factors == ("CHW outreach", "Chronic illness")
    assert (loop.polarity, loop.delays, loop.opposite) == ("balancing", 1, 1)


def test_two_opposite_links_make_a_loop_reinforcing() -> None:
    links = [Link("a", "b", "-"), Link("b", "c", "-"), Link("c", "a", "+")]
    [loop] = find_loops(links)
    assert loop.polarity == "reinforcing" and loop.opposite == 2


def test_two_loops_sharing_a_factor() -> None:
    links = [
        *HOUSING,
        Link("housing instability", "rental assistance", "+", delay=True),
        Link("rental assistance", "housing instability", "-"),
    ]
    loops = find_loops(links)
    # Sorted by length, then by factors.
    assert [(lp.factors, lp.polarity, lp.delays) for lp in loops] == [
        (("housing instability", "rental assistance"), "balancing", 1),
        (("chronic illness", "medical debt", "housing instability", "stress"), "reinforcing", 0),
    ]
    counts = loop_counts(loops)
    assert counts["housing instability"] == 2
    assert counts["rental assistance"] == 1 and counts["stress"] == 1


def test_a_self_link_is_a_loop_of_length_one_and_max_length_limits_loops() -> None:
    links = [Link("b", "b", "-"), *HOUSING]
    loops = find_loops(links, max_length=3)
    assert [(lp.factors, lp.length, lp.polarity) for lp in loops] == [(("b",), 1, "balancing")]
    assert len(find_loops(links, max_length=4)) == 2


def test_factors_on_no_loop_are_left_out_of_the_counts() -> None:
    loops = find_loops([*HOUSING, Link("wages", "stress", "+")], factors=["lonely"])
    assert "wages" not in loop_counts(loops) and "lonely" not in loop_counts(loops)


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ([Link("a", "b", "x")], r"polarity 'x'; it must be \+ or -"),
        ([Link("a", "b", "+"), Link("a", "b", "-")], "from a to b is given twice"),
    ],
)
def test_bad_links_are_refused_with_a_clear_message(links: list[Link], message: str) -> None:
    with pytest.raises(SystemsError, match=message):
        find_loops(links)


def test_max_length_below_one_and_too_many_loops_are_refused() -> None:
    with pytest.raises(SystemsError, match="at least 1"):
        find_loops(HOUSING, max_length=0)
    complete = [Link(a, b, "+") for a in "abcdef" for b in "abcdef" if a != b]
    with pytest.raises(SystemsError, match="more than 10 loops"):
        find_loops(complete, limit=10)


def test_leverage_is_the_factors_between_root_causes_and_outcomes() -> None:
    links = [
        Link("wages", "housing", "+"),
        Link("housing", "stress", "+"),
        Link("stress", "early death", "+"),
        Link("stress", "housing", "+"),
        Link("parks", "stress", "-"),  # not reached from a root cause
        Link("housing", "eviction records", "+"),  # leads to no outcome
    ]
    loops = find_loops(links)
    found = leverage(links, root_causes=["wages"], outcomes=["early death"], loops=loops)
    assert [(x.factor, x.root_causes, x.outcomes, x.loops) for x in found] == [
        ("housing", ("wages",), ("early death",), 1),
        ("stress", ("wages",), ("early death",), 1),
    ]


def test_loops_touching_the_largest_gaps() -> None:
    loops = find_loops([*HOUSING, Link("a", "b", "+"), Link("b", "a", "+")])
    largest, touches = loops_touching_gaps(
        loops,
        factor_indicators={"stress": 1, "a": 2, "b": 3},
        gap_sizes={1: 0.9, 2: 0.05, 3: 0.4, 4: 0.6},
        top=3,
    )
    assert largest == [1, 4, 3]  # 2 is the smallest gap, left out
    # loops[0] is (a, b): touches indicator 3 through b; loops[1] touches 1 through stress.
    assert [(t.loop, t.indicators) for t in touches] == [(0, (3,)), (1, (1,))]


def _rotate(cycle: list[str]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=9).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n * 4),
            st.integers(min_value=1, max_value=n + 1),
        )
    )
)
def test_cycles_match_networkx_simple_cycles(case: tuple[int, set[tuple[int, int]], int]) -> None:
    n, edges, bound = case
    names = [f"f{i:02d}" for i in range(n)]
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from((names[a], names[b]) for a, b in edges)
    expected = sorted(
        (_rotate(c) for c in nx.simple_cycles(graph, length_bound=bound)),
        key=lambda c: (len(c), c),
    )
    successors = {v: sorted(graph.successors(v)) for v in names}
    assert elementary_cycles(successors, max_length=bound) == expected
    # Polarity is the parity of "-" links; count them independently on each cycle.
    signs = {(names[a], names[b]): "-" if (a * 7 + b) % 3 == 0 else "+" for a, b in edges}
    links = [Link(s, t, p) for (s, t), p in signs.items()]
    for loop in find_loops(links, max_length=bound, limit=None):
        pairs = list(zip(loop.factors, loop.factors[1:] + loop.factors[:1], strict=True))
        minus = sum(signs[pair] == "-" for pair in pairs)
        assert loop.polarity == ("reinforcing" if minus % 2 == 0 else "balancing")
