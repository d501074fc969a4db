"""Call the analysis entry points from 8 threads at once and check every result.

Run as ``python -m commonground.ecosystem.domain.tests.hammer [ROUNDS]`` (the test suite
runs it in a subprocess, so a crash of the interpreter shows as a failed test). The
graphs are the issue's: 5 to 58 vertices, random ties, directed and undirected, some
weighted. Each thread runs every graph in its own order; each result must equal the one
computed in a single thread beforehand. Prints ``ok <calls>`` and exits 0.

python-igraph's C core aborted the process under exactly this load (``LAPACK error in
tridiagonal eigenvalue calculation - ARPACK error``) before igraph calls were serialized
and eigenvector centrality moved to numpy.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Callable

from commonground.ecosystem.domain.missing import missing_sectors
from commonground.ecosystem.domain.model import Actor, Network, Tie
from commonground.ecosystem.domain.network import analyze
from commonground.ecosystem.domain.snapshots import compare_snapshots

THREADS = 8
GRAPHS = 40


def random_network(rng: random.Random) -> Network:
    n = rng.randint(5, 58)
    sectors = ["food", "housing", "media", None]
    actors = tuple(Actor(str(i), rng.choice(sectors)) for i in range(n))
    ties = []
    for _ in range(rng.randint(0, 3 * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            ties.append(Tie(str(a), str(b), weight=rng.choice([None, 1.0, 2.0, 3.5])))
    return Network(actors=actors, ties=tuple(ties))


def jobs(seed: int = 14) -> list[Callable[[], object]]:
    rng = random.Random(seed)
    networks = [random_network(rng) for _ in range(GRAPHS)]
    calls: list[Callable[[], object]] = []
    for i, network in enumerate(networks):
        directed = i % 2 == 0
        weighted = i % 3 == 0
        calls.append(
            lambda network=network, directed=directed, weighted=weighted: analyze(
                network, directed=directed, weighted=weighted
            )
        )
        calls.append(lambda network=network: missing_sectors(network))
        other = networks[(i + 1) % len(networks)]
        calls.append(lambda a=network, b=other: compare_snapshots(a, b, directed=True))
    return calls


def main(rounds: int = 2) -> int:
    calls = jobs()
    expected = [call() for call in calls]  # one thread first: the reference results
    failures: list[str] = []
    done = [0]
    guard = threading.Lock()

    def work(number: int) -> None:
        order = list(range(len(calls)))
        random.Random(number).shuffle(order)
        for _ in range(rounds):
            for index in order:
                try:
                    result = calls[index]()
                except Exception as error:  # reported, then the test fails
                    with guard:
                        failures.append(f"call {index} raised {error!r}")
                    continue
                with guard:
                    done[0] += 1
                    if result != expected[index]:
                        failures.append(f"call {index} differs from the single-thread result")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print("\n".join(failures[:20]))
        return 1
    print(f"ok {done[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2))
