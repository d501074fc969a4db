"""Trust and value scores from the 1-4 ratings partners give each other.

A rating is given by the reporter of a tie about the *other* end of the tie,
so an actor's scores are built from the ratings it receives:

* dimension mean = mean of the ratings the actor received on that dimension;
* actor trust (value) = mean of its available trust (value) dimension means.

The network score is the mean, over every rating report (one reporter rating
one partner), of that report's mean over the dimensions it answered;
``share_of_max`` = score / 4, the "percent of maximum" coalitions are used to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from commonground.ecosystem.domain.model import Network
from commonground.framework.types import Text

TRUST_DIMENSIONS: tuple[str, ...] = ("reliability", "mission_support", "openness")
VALUE_DIMENSIONS: tuple[str, ...] = ("power_influence", "involvement", "resource_contribution")

DIMENSION_NAMES: Mapping[str, Text] = MappingProxyType(
    {
        "reliability": Text(en="Reliability", es="Confiabilidad"),
        "mission_support": Text(en="Support of mission", es="Apoyo a la misión"),
        "openness": Text(en="Openness to discussion", es="Apertura al diálogo"),
        "power_influence": Text(en="Power and influence", es="Poder e influencia"),
        "involvement": Text(en="Level of involvement", es="Nivel de participación"),
        "resource_contribution": Text(en="Resource contribution", es="Aporte de recursos"),
    }
)


@dataclass(frozen=True, slots=True)
class NetworkScore:
    """A network-level trust or value score on the 1-4 scale."""

    score: float
    share_of_max: float
    report_count: int
    by_dimension: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class RatingScores:
    """Per-actor and network trust and value; ``None`` where nothing was rated."""

    actor_trust: Mapping[str, float]
    actor_value: Mapping[str, float]
    trust: NetworkScore | None
    value: NetworkScore | None


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _group_scores(
    network: Network, dimensions: tuple[str, ...]
) -> tuple[dict[str, float], NetworkScore | None]:
    received: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    report_means: list[float] = []
    all_by_dimension: dict[str, list[int]] = defaultdict(list)
    for tie in network.ties:
        if not tie.ratings:
            continue
        receiver = tie.target if tie.reported_by == tie.source else tie.source
        answered = [(d, tie.ratings[d]) for d in dimensions if d in tie.ratings]
        if not answered:
            continue
        for dimension, rating in answered:
            received[receiver][dimension].append(rating)
            all_by_dimension[dimension].append(rating)
        report_means.append(_mean([float(r) for _, r in answered]))
    actor_scores = {
        actor: _mean([_mean([float(r) for r in ratings]) for ratings in by_dim.values()])
        for actor, by_dim in received.items()
    }
    if not report_means:
        return actor_scores, None
    score = _mean(report_means)
    network_score = NetworkScore(
        score=score,
        share_of_max=score / 4,
        report_count=len(report_means),
        by_dimension=MappingProxyType(
            {
                d: _mean([float(r) for r in all_by_dimension[d]])
                for d in dimensions
                if d in all_by_dimension
            }
        ),
    )
    return actor_scores, network_score


def score_ratings(network: Network) -> RatingScores:
    """Return trust and value per actor (ratings received) and for the whole network.

    >>> from commonground.ecosystem.domain.model import Actor, Tie
    >>> net = Network(
    ...     actors=(Actor("a"), Actor("b")),
    ...     ties=(Tie("a", "b", reported_by="a", ratings={"reliability": 4, "openness": 2}),),
    ... )
    >>> scores = score_ratings(net)
    >>> scores.actor_trust["b"], scores.trust.share_of_max
    (3.0, 0.75)
    """
    actor_trust, trust = _group_scores(network, TRUST_DIMENSIONS)
    actor_value, value = _group_scores(network, VALUE_DIMENSIONS)
    return RatingScores(
        actor_trust=MappingProxyType(actor_trust),
        actor_value=MappingProxyType(actor_value),
        trust=trust,
        value=value,
    )
