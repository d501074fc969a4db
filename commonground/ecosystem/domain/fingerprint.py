"""A version of a network's content, for caching analyses: equal content, equal fingerprint.

The fingerprint is a SHA-256 of a canonical serialization of everything an
analysis reads: actors in order (id, sector, roles, populations, name), ties in
order (ends, types, intensity, weight, ratings, reporter), invited and
respondents. Any change to any of these (an edit, an archived actor, a new
answer, a filter) gives another fingerprint, so a cache keyed by it can never
serve an analysis of other data.

>>> from commonground.ecosystem.domain.model import Actor, Network, Tie
>>> one = Network(actors=(Actor("a"), Actor("b")), ties=(Tie("a", "b"),))
>>> two = Network(actors=(Actor("a"), Actor("b")), ties=(Tie("a", "b", weight=2.0),))
>>> fingerprint(one) == fingerprint(Network(actors=one.actors, ties=one.ties))
True
>>> fingerprint(one) == fingerprint(two)
False
"""

from __future__ import annotations

import hashlib
import json

from commonground.ecosystem.domain.model import Network

__all__ = ["fingerprint"]


def _ids(group: frozenset[str] | None) -> list[str] | None:
    return None if group is None else sorted(group)


def fingerprint(network: Network) -> str:
    """Return the hex SHA-256 of ``network``'s content (see the module docstring)."""
    content = {
        "actors": [
            [a.id, a.sector, sorted(a.roles), sorted(a.populations_served), a.name]
            for a in network.actors
        ],
        "ties": [
            [
                t.source,
                t.target,
                sorted(t.types),
                t.intensity,
                t.weight,
                sorted(t.ratings.items()),
                t.reported_by,
            ]
            for t in network.ties
        ],
        "invited": _ids(network.invited),
        "respondents": _ids(network.respondents),
    }
    encoded = json.dumps(content, separators=(",", ":"), ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
