"""Survey response rate and which metrics non-response makes unreliable.

Missing respondents drop ties, and metrics differ in how much that hurts them.
Simulation studies (Costenbader & Valente 2003, Social Networks 25:283-307;
Borgatti, Carley & Krackhardt 2006, Social Networks 28:124-136; Smith & Moody
2013, Social Networks 35:652-668) find degree and density fairly robust, while
betweenness, closeness and centralization degrade quickly. The thresholds in
:data:`THRESHOLDS` are judgement calls informed by those studies, not cut-offs
from any one of them: below ``caution`` a metric is shown with a caution, below
``unreliable`` with a warning that it should not be used for decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from commonground.ecosystem.domain.model import Network

Severity = Literal["caution", "unreliable"]


@dataclass(frozen=True, slots=True)
class Threshold:
    caution: float
    unreliable: float


#: Response share below which each metric gets a caution / is called unreliable.
THRESHOLDS: Mapping[str, Threshold] = MappingProxyType(
    {
        "betweenness": Threshold(caution=0.9, unreliable=0.75),
        "brokers": Threshold(caution=0.9, unreliable=0.75),
        "degree_centralization": Threshold(caution=0.9, unreliable=0.75),
        "reciprocity": Threshold(caution=0.9, unreliable=0.75),
        "closeness": Threshold(caution=0.85, unreliable=0.7),
        "eigenvector": Threshold(caution=0.85, unreliable=0.7),
        "communities": Threshold(caution=0.8, unreliable=0.6),
        "density": Threshold(caution=0.75, unreliable=0.5),
        "degree": Threshold(caution=0.75, unreliable=0.5),
        "cross_sector_share": Threshold(caution=0.7, unreliable=0.5),
        "trust": Threshold(caution=0.7, unreliable=0.5),
        "value": Threshold(caution=0.7, unreliable=0.5),
    }
)


@dataclass(frozen=True, slots=True)
class MetricWarning:
    """``metric`` is shown with ``severity`` because the response share is below ``threshold``."""

    metric: str
    severity: Severity
    response_share: float
    threshold: float


@dataclass(frozen=True, slots=True)
class ResponseReport:
    invited_count: int
    respondent_count: int
    response_share: float
    non_respondents: tuple[str, ...]
    warnings: tuple[MetricWarning, ...]


def metric_warnings(response_share: float) -> tuple[MetricWarning, ...]:
    """Return a warning for each metric whose threshold ``response_share`` falls below.

    >>> [(w.metric, w.severity) for w in metric_warnings(0.8)][:2]
    [('betweenness', 'caution'), ('brokers', 'caution')]
    >>> metric_warnings(1.0)
    ()
    """
    warnings = []
    for metric, threshold in THRESHOLDS.items():
        if response_share < threshold.unreliable:
            warnings.append(
                MetricWarning(metric, "unreliable", response_share, threshold.unreliable)
            )
        elif response_share < threshold.caution:
            warnings.append(MetricWarning(metric, "caution", response_share, threshold.caution))
    return tuple(warnings)


def response_report(network: Network) -> ResponseReport | None:
    """Return the response rate of ``network``'s survey, or ``None`` when unknown.

    Respondents are ``network.respondents`` or, when that is ``None``, the
    reporters of its ties (an actor who answered but named nobody is then
    missed: pass respondents explicitly). Invited defaults to every actor.
    ``response_share`` = |respondents ∩ invited| / |invited|.
    """
    respondents = network.respondents
    if respondents is None:
        reporters = frozenset(t.reported_by for t in network.ties if t.reported_by is not None)
        if not reporters:
            return None
        respondents = reporters
    invited = network.invited if network.invited is not None else network.actor_ids
    if not invited:
        return None
    answered = respondents & invited
    share = len(answered) / len(invited)
    return ResponseReport(
        invited_count=len(invited),
        respondent_count=len(answered),
        response_share=share,
        non_respondents=tuple(sorted(invited - answered)),
        warnings=metric_warnings(share),
    )
