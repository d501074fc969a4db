"""Plain inputs of the network analysis: actors, ties, a network, and filtering.

A :class:`Network` is what one survey round (or one import) knows: the actors,
the ties reported among them, who was invited and who responded. It is
validated once, on construction, so every analysis can trust it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: Actors carrying this role form the coalition core (see :mod:`.missing`).
COALITION_MEMBER_ROLE = "coalition_member"

#: Ratings are on the 1-4 scale of the PARTNER-style partner survey.
RATING_MIN = 1
RATING_MAX = 4


class NetworkError(ValueError):
    """The one error type of the ecosystem domain: bad input data or arguments.

    ``row`` (1-based line number of a file, header = line 1) and ``column`` are
    set when the error comes from reading a file.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


_EMPTY: Mapping[str, str] = MappingProxyType({})
_NO_RATINGS: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Actor:
    """An organization (or person) in the ecosystem.

    ``sector`` is a :data:`.sectors.SECTORS` id for coalition data; any label
    (an agency, a state) works for sector mixing. ``populations_served`` holds
    :data:`.sectors.POPULATIONS` ids such as ``"latinx"``.
    """

    id: str
    sector: str | None = None
    roles: frozenset[str] = frozenset()
    populations_served: frozenset[str] = frozenset()
    name: str = ""
    attributes: Mapping[str, str] = field(default=_EMPTY, compare=False)


@dataclass(frozen=True, slots=True)
class Tie:
    """One reported relationship from ``source`` to ``target``.

    ``ratings`` are the 1-4 ratings that ``reported_by`` gives *the other end*
    of the tie (see :mod:`.ratings` for the dimensions); a tie without a
    reporter (administrative data) carries no ratings. ``weight`` is used only
    by a weighted analysis and defaults to 1. ``intensity`` is the level of
    collaboration as surveyed (e.g. 1 networking … 4 collaboration); it is kept
    for filtering and display.
    """

    source: str
    target: str
    types: frozenset[str] = frozenset()
    intensity: int | None = None
    weight: float | None = None
    ratings: Mapping[str, int] = field(default=_NO_RATINGS, compare=False)
    reported_by: str | None = None


@dataclass(frozen=True, slots=True)
class Network:
    """Actors and ties of one snapshot, plus who was invited and who responded.

    ``invited`` defaults to every actor when ``respondents`` is given.
    Construction raises :class:`NetworkError` for duplicate actor ids, ties
    naming unknown actors, a reporter that is neither end of its tie, ratings
    outside 1-4, or a weight that is not a positive finite number.

    >>> Network(actors=(Actor("a"),), ties=(Tie("a", "b"),))  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    NetworkError: tie 1: target 'b' is not an actor
    """

    actors: tuple[Actor, ...]
    ties: tuple[Tie, ...] = ()
    invited: frozenset[str] | None = None
    respondents: frozenset[str] | None = None

    def __post_init__(self) -> None:
        ids = self.actor_ids
        if len(ids) != len(self.actors):
            seen: set[str] = set()
            for actor in self.actors:
                if actor.id in seen:
                    raise NetworkError(f"duplicate actor id {actor.id!r}")
                seen.add(actor.id)
        for number, tie in enumerate(self.ties, start=1):
            if tie.source not in ids:
                raise NetworkError(f"tie {number}: source {tie.source!r} is not an actor")
            if tie.target not in ids:
                raise NetworkError(f"tie {number}: target {tie.target!r} is not an actor")
            if tie.reported_by is not None and tie.reported_by not in (tie.source, tie.target):
                raise NetworkError(
                    f"tie {number}: reporter {tie.reported_by!r} is neither end of the tie"
                )
            if tie.weight is not None and not (math.isfinite(tie.weight) and tie.weight > 0):
                raise NetworkError(f"tie {number}: weight {tie.weight!r} is not positive")
            for dimension, rating in tie.ratings.items():
                if not (RATING_MIN <= rating <= RATING_MAX):
                    raise NetworkError(
                        f"tie {number}: rating {dimension!r}={rating!r} is outside 1-4"
                    )
            if tie.ratings and tie.reported_by is None:
                raise NetworkError(f"tie {number}: ratings need a reporter")
        for label, group in (("invited", self.invited), ("respondents", self.respondents)):
            if group is not None and not group <= ids:
                unknown = sorted(group - ids)[:3]
                raise NetworkError(f"{label} names unknown actors: {unknown}")

    @property
    def actor_ids(self) -> frozenset[str]:
        """The set of actor ids."""
        return frozenset(actor.id for actor in self.actors)


def subnetwork(
    network: Network,
    *,
    sectors: Collection[str] | None = None,
    roles: Collection[str] | None = None,
    tie_types: Collection[str] | None = None,
) -> Network:
    """Return the part of ``network`` an analyst filtered to; analyze it to recompute scores.

    An actor stays when its sector is in ``sectors`` and it holds one of
    ``roles`` (``None`` means no filter). A tie stays when both ends stay and,
    if ``tie_types`` is given, it has one of those types. Invited and
    respondent sets shrink to the actors kept, so the response rate is the
    subnetwork's own.

    >>> net = Network(
    ...     actors=(Actor("a", "food"), Actor("b", "food"), Actor("c", "housing")),
    ...     ties=(Tie("a", "b", frozenset({"data"})), Tie("a", "c")),
    ... )
    >>> [t.target for t in subnetwork(net, sectors=["food"]).ties]
    ['b']
    """
    sector_set = None if sectors is None else frozenset(sectors)
    role_set = None if roles is None else frozenset(roles)
    type_set = None if tie_types is None else frozenset(tie_types)
    actors = tuple(
        actor
        for actor in network.actors
        if (sector_set is None or actor.sector in sector_set)
        and (role_set is None or not actor.roles.isdisjoint(role_set))
    )
    kept = frozenset(actor.id for actor in actors)
    ties = tuple(
        tie
        for tie in network.ties
        if tie.source in kept
        and tie.target in kept
        and (type_set is None or not tie.types.isdisjoint(type_set))
    )
    return Network(
        actors=actors,
        ties=ties,
        invited=None if network.invited is None else network.invited & kept,
        respondents=None if network.respondents is None else network.respondents & kept,
    )
