"""Helpers shared by the ecosystem pages (metric explanations, filters, response-rate context,
error rendering)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commonground import framework
from commonground.coalitions.access import (
    CoalitionRequest,
)
from commonground.ecosystem import selectors
from commonground.ecosystem.domain.families import FAMILIES, family_of
from commonground.ecosystem.domain.network import ActorMetrics, NetworkReport
from commonground.ecosystem.domain.response import MetricWarning
from commonground.ecosystem.domain.sectors import SECTORS, SECTORS_BY_ID
from commonground.ecosystem.domain.symbols import symbol_path
from commonground.ecosystem.models import Actor, Tie
from commonground.ecosystem.readings import (
    RESPONSE_REASON,
    actor_sentences,
    network_sentences,
    response_rules,
)
from commonground.lib.versioning import StaleEditError


@dataclass(frozen=True)
class Metric:
    id: str
    label: str | Promise
    explanation: str | Promise
    warning_key: str


METRICS: tuple[Metric, ...] = (
    Metric(
        "degree",
        gettext_lazy("Ties"),
        gettext_lazy(
            "How many partners an actor is tied to, in either direction. Many ties mean many working relationships."
        ),
        "degree",
    ),
    Metric(
        "in_degree",
        gettext_lazy("Named by others"),
        gettext_lazy(
            "How many partners named this actor as someone they work with. A sign of how visible and sought-after it is."
        ),
        "degree",
    ),
    Metric(
        "betweenness",
        gettext_lazy("Bridging (betweenness)"),
        gettext_lazy(
            "How often an actor sits on the shortest path between two others: 0 means never, 1 means on every path. High bridging means it connects groups that would otherwise be apart — a broker, and a single point of failure."
        ),
        "betweenness",
    ),
    Metric(
        "closeness",
        gettext_lazy("Reach (closeness)"),
        gettext_lazy(
            "How few steps it takes for others to reach this actor, from 0 to 1. High reach means information gets to it quickly."
        ),
        "closeness",
    ),
    Metric(
        "eigenvector",
        gettext_lazy("Well-connected partners (eigenvector)"),
        gettext_lazy(
            "High when an actor is named by partners who are themselves well connected. A sign of influence through the network."
        ),
        "eigenvector",
    ),
    Metric(
        "trust",
        gettext_lazy("Trust received"),
        gettext_lazy(
            "Average of the 1-4 ratings partners gave this actor on reliability, support of the shared mission and openness to discussion."
        ),
        "trust",
    ),
    Metric(
        "value",
        gettext_lazy("Value received"),
        gettext_lazy(
            "Average of the 1-4 ratings partners gave this actor on power and influence, level of involvement and resource contribution."
        ),
        "value",
    ),
)
METRICS_BY_ID = {m.id: m for m in METRICS}
NETWORK_EXPLANATIONS: tuple[tuple[str | Promise, str | Promise], ...] = (
    (
        gettext_lazy("Density"),
        gettext_lazy(
            "The share of all possible ties that exist. 10% means one in ten possible working relationships is there. Large networks are naturally less dense."
        ),
    ),
    (
        gettext_lazy("Reciprocity"),
        gettext_lazy(
            "The share of ties that both sides report. Low reciprocity can mean partners see the relationship differently — or that one side did not answer the survey."
        ),
    ),
    (
        gettext_lazy("Centralization"),
        gettext_lazy(
            "How much the network depends on a few hubs, from 0 (everyone equally tied) to 1 (a single hub holds every tie). High centralization is efficient but fragile."
        ),
    ),
    (
        gettext_lazy("Cross-sector share"),
        gettext_lazy(
            "The share of ties that join two different sectors. Multi-sector work needs many of these."
        ),
    ),
    (
        gettext_lazy("Groups (communities)"),
        gettext_lazy(
            "Clusters of actors more tied to each other than to the rest, found by the Leiden method."
        ),
    ),
    (
        gettext_lazy("Trust and value scores"),
        gettext_lazy(
            "Average of every 1-4 rating partners gave each other, also shown as a share of the maximum of 4."
        ),
    ),
    (
        gettext_lazy("Response rate"),
        gettext_lazy(
            "The share of invited partners who answered the network survey. Missing answers hide ties: bridging, reach and centralization are the most affected, so they carry a warning when the rate is low."
        ),
    ),
)
SORTABLE = (
    "name",
    "sector",
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "trust",
    "value",
)
SIZE_METRICS = ("degree", "in_degree", "betweenness", "eigenvector", "closeness")


def _language() -> str:
    return get_language() or "en"


def sector_name(sector_id: str | None) -> str:
    if not sector_id or sector_id not in SECTORS_BY_ID:
        return _("Unknown sector")
    return SECTORS_BY_ID[sector_id].name.get(_language())


def role_names() -> dict[str, str]:
    return {r.id: r.name.get(_language()) for r in framework.ROLES}


def _filters(request: HttpRequest) -> selectors.Filters:
    sector = request.GET.get("sector", "")
    role = request.GET.get("role", "")
    tie_type = request.GET.get("type", "")
    return selectors.Filters(
        sectors=frozenset({sector}) if sector in SECTORS_BY_ID else frozenset(),
        roles=frozenset({role}) if role in {r.id for r in framework.ROLES} else frozenset(),
        tie_types=frozenset({tie_type}) if tie_type in Tie.Type.values else frozenset(),
    )


def _filter_context(request: HttpRequest, filters: selectors.Filters) -> dict[str, Any]:
    return {
        "filters": filters,
        "sector_filter": next(iter(filters.sectors), ""),
        "role_filter": next(iter(filters.roles), ""),
        "type_filter": next(iter(filters.tie_types), ""),
        "sector_options": [(s.id, s.name.get(_language())) for s in SECTORS],
        "role_options": list(role_names().items()),
        "type_options": Tie.Type.choices,
    }


def _warnings(report: NetworkReport) -> dict[str, MetricWarning]:
    if report.response is None:
        return {}
    return {w.metric: w for w in report.response.warnings}


def _response_context(report: NetworkReport) -> dict[str, Any]:
    """The response rate, the warning of each metric it affects, and the rules behind them.

    Pages mark each affected score (⚠, linked to the notice); only the scores page shows
    the notice itself, next to the scores that depend on it.
    """
    warnings = _warnings(report)
    response = report.response
    unreliable = [w for w in warnings.values() if w.severity == "unreliable"]
    caution = [w for w in warnings.values() if w.severity == "caution"]
    labels = {
        "betweenness": _("bridging"),
        "brokers": _("brokers"),
        "degree_centralization": _("centralization"),
        "reciprocity": _("reciprocity"),
        "closeness": _("reach"),
        "eigenvector": _("well-connected partners"),
        "communities": _("groups"),
        "density": _("density"),
        "degree": _("ties"),
        "cross_sector_share": _("cross-sector share"),
        "trust": _("trust"),
        "value": _("value"),
    }
    return {
        "response": response,
        "warnings": warnings,
        "unreliable_labels": [labels.get(w.metric, w.metric) for w in unreliable],
        "caution_labels": [labels.get(w.metric, w.metric) for w in caution],
        "response_rules": [] if response is None else response_rules(response),
        "response_reason": RESPONSE_REASON,
    }


def _families_present(sector_ids: Iterable[str | None]) -> list[dict[str, Any]]:
    """The sector families of ``sector_ids`` with how many actors each has, in legend order."""
    counts: dict[str, int] = {}
    for sector_id in sector_ids:
        family = family_of(sector_id)
        counts[family.id] = counts.get(family.id, 0) + 1
    return [
        {
            "id": f.id,
            "name": f.name.get(_language()),
            "color": f.color,
            "symbol": f.symbol,
            "count": counts[f.id],
        }
        for f in FAMILIES
        if f.id in counts
    ]


def _broker_rows(analysis: selectors.Analysis) -> list[dict[str, Any]]:
    """The network's brokers with the sentences that read their scores."""
    readings = selectors.actor_readings(analysis)
    rows = []
    for broker in analysis.report.brokers:
        pk = int(broker.id)
        actor, metrics, reading = (
            analysis.actors.get(pk),
            analysis.metrics.get(pk),
            readings.get(pk),
        )
        sentences = (
            actor_sentences(
                name=actor.name,
                reading=reading,
                metrics=metrics,
                report=analysis.report,
                sector_name=sector_name,
            )
            if actor is not None and metrics is not None and reading is not None
            else {}
        )
        rows.append({"actor": actor, "broker": broker, "sentences": sentences})
    return rows


def family_legend(families: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The legend of the sector families present: name, colour, shape (an SVG path), count."""
    return [
        {
            "name": f["name"],
            "color": f["color"],
            "path": symbol_path(f["symbol"], 110),
            "count": f["count"],
        }
        for f in families
    ]


def _metric_value(metrics: ActorMetrics | None, metric: str) -> float | None:
    if metrics is None:
        return None
    value = getattr(metrics, metric)
    return None if value is None else float(value)


def _actor_url_maker(coalition_slug: str) -> Callable[[Any], str]:
    """Build actor page links by substitution: one ``reverse`` per page, not one per actor."""
    base = reverse("ecosystem:actor_detail", args=[coalition_slug, 0])[: -len("0/")]
    return lambda pk: f"{base}{pk}/"


def _score_rows(analysis: selectors.Analysis, coalition_slug: str) -> list[dict[str, Any]]:
    rows = []
    actor_url = _actor_url_maker(coalition_slug)
    for pk, actor in analysis.actors.items():
        m = analysis.metrics.get(pk)
        rows.append(
            {
                "actor": actor,
                "url": actor_url(pk),
                "sector": sector_name(actor.sector_id),
                "name": actor.name,
                "degree": m.degree if m else 0,
                "in_degree": m.in_degree if m else 0,
                "out_degree": m.out_degree if m else 0,
                "betweenness": m.betweenness if m else 0.0,
                "closeness": m.closeness if m else 0.0,
                "eigenvector": m.eigenvector if m else 0.0,
                "trust": m.trust if m else None,
                "value": m.value if m else None,
                "community": m.community if m else None,
            }
        )
    return rows


def _headline(report: NetworkReport) -> dict[str, Any]:
    mixing = report.sector_mixing
    response = report.response
    return {
        "readings": network_sentences(report),
        "response_share": None if response is None else response.response_share,
        "actor_count": report.actor_count,
        "tie_count": report.tie_count,
        "density": report.density,
        "reciprocity": report.reciprocity,
        "centralization": report.degree_centralization,
        "components": report.component_count,
        "isolates": len(report.isolates),
        "communities": len(report.communities),
        "cross_sector_share": None if mixing is None else mixing.cross_sector_share,
        "ei_index": None if mixing is None else mixing.ei_index,
        "trust": report.trust,
        "value": report.value,
        "confirmed": report.confirmed_pair_count,
        "one_sided": len(report.one_sided_ties),
    }


def _actor_or_404(request: CoalitionRequest, actor_id: int) -> Actor:
    try:
        return selectors.get_actor(coalition=request.coalition, actor_id=actor_id)
    except Actor.DoesNotExist:
        raise Http404 from None


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _stale(form: Any, error: StaleEditError) -> None:
    form.add_error(None, str(error))


def _conflict(request: HttpRequest, error: StaleEditError, back: str) -> HttpResponse:
    """409 for a stale action button: nothing was done; the page to reload is linked."""
    return render(
        request, "ecosystem/conflict.html", {"message": str(error), "back": back}, status=409
    )
