"""Ecosystem pages. Each view declares its access policy (``coalitions.access``), parses its
input, makes one call to selectors or services, and renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground import framework
from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
    public,
)
from commonground.coalitions.models import Membership
from commonground.ecosystem import exchange, policy, selectors, services
from commonground.ecosystem.domain.network import ActorMetrics, NetworkReport
from commonground.ecosystem.domain.ratings import (
    DIMENSION_NAMES,
    TRUST_DIMENSIONS,
    VALUE_DIMENSIONS,
)
from commonground.ecosystem.domain.response import MetricWarning
from commonground.ecosystem.domain.sectors import POPULATIONS_BY_ID, SECTORS, SECTORS_BY_ID
from commonground.ecosystem.forms import (
    ActorForm,
    ImportForm,
    SnapshotForm,
    SurveyForm,
    TieEditForm,
    TieForm,
    parse_int,
    parse_survey_answers,
    rating_label,
)
from commonground.ecosystem.models import RATING_FIELDS, Actor, Contribution, NetworkSurvey, Tie
from commonground.lib.versioning import StaleEditError, parse_version

# 23 sector colours, each at least 3:1 against white so nodes and swatches stay visible.
SECTOR_COLORS = {
    "hospital_health_system": "#b3261e",
    "community_health_center": "#d4581c",
    "behavioral_health": "#8e3b8f",
    "public_health_department": "#1f6fb2",
    "payer_health_plan": "#5c5c99",
    "social_services": "#0f7c7c",
    "housing": "#7a5a12",
    "k12_schools": "#2e7d32",
    "early_childhood": "#5b8c1a",
    "higher_education_research": "#3949ab",
    "transportation": "#616161",
    "food": "#c2410c",
    "faith_community": "#6a1b9a",
    "business_chamber": "#9a6b00",
    "philanthropy": "#00838f",
    "local_government": "#37474f",
    "justice_law_enforcement": "#4e342e",
    "workforce": "#558b2f",
    "community_based_organization": "#c2185b",
    "resident_group": "#ad1457",
    "tribal_nation": "#795548",
    "media": "#1565c0",
    "life_sciences": "#00695c",
}


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
    }


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
    return {
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


# ---------------------------------------------------------------- map, scores, missing


@coalition_view(*ALL_ROLES)
@require_GET
def network_map(request: CoalitionRequest) -> HttpResponse:
    """The interactive map (d3) with a table alternative; filters recompute the scores."""
    coalition = request.coalition
    filters = _filters(request)
    analysis = selectors.analyze_coalition(coalition=coalition, filters=filters)
    size_by = request.GET.get("size", "degree")
    if size_by not in SIZE_METRICS:
        size_by = "degree"
    edges_by = "trust" if request.GET.get("edges") == "trust" else "intensity"
    names = role_names()
    nodes = []
    actor_url = _actor_url_maker(coalition.slug)
    for pk, actor in analysis.actors.items():
        m = analysis.metrics.get(pk)
        nodes.append(
            {
                "id": str(pk),
                "name": actor.name,
                "sector": sector_name(actor.sector_id),
                "color": SECTOR_COLORS.get(actor.sector_id, "#555555"),
                "kind": actor.get_kind_display(),
                "member": actor.is_coalition_member,
                "roles": [names.get(r, r) for r in actor.role_ids],
                "size": _metric_value(m, size_by) or 0.0,
                "degree": m.degree if m else 0,
                "betweenness": round(m.betweenness, 4) if m else 0,
                "trust": None if m is None or m.trust is None else round(m.trust, 2),
                "url": actor_url(pk),
            }
        )
    ratings_by_pair: dict[tuple[str, str], list[float]] = {}
    for tie in analysis.network.ties:
        trust = [tie.ratings[d] for d in TRUST_DIMENSIONS if d in tie.ratings]
        if trust:
            ratings_by_pair.setdefault((tie.source, tie.target), []).append(sum(trust) / len(trust))
    links: dict[tuple[str, str], dict[str, Any]] = {}
    pairs = {(t.source, t.target) for t in analysis.network.ties}
    for tie in analysis.network.ties:
        key = (tie.source, tie.target)
        link = links.setdefault(
            key,
            {
                "source": tie.source,
                "target": tie.target,
                "intensity": 0,
                "trust": None,
                "mutual": (tie.target, tie.source) in pairs,
            },
        )
        link["intensity"] = max(link["intensity"], tie.intensity or 1)
        if key in ratings_by_pair:
            values = ratings_by_pair[key]
            link["trust"] = round(sum(values) / len(values), 2)
    present = sorted({a.sector_id for a in analysis.actors.values()})
    context = {
        **_filter_context(request, filters),
        **_response_context(analysis.report),
        "analysis": analysis,
        "headline": _headline(analysis.report),
        "graph": {
            "nodes": nodes,
            "links": list(links.values()),
            "sizeBy": size_by,
            "edgesBy": edges_by,
            "labels": {
                "ties": _("Ties"),
                "bridging": _("Bridging"),
                "trust": _("Trust received"),
                "member": _("Coalition member"),
                "roles": _("Roles"),
                "open": _("Open the partner profile"),
                "none": _("none"),
            },
        },
        "size_by": size_by,
        "edges_by": edges_by,
        "size_options": [(m, METRICS_BY_ID[m].label) for m in SIZE_METRICS],
        "legend": [(sector_name(s), SECTOR_COLORS.get(s, "#555555")) for s in present],
        "rows": sorted(
            _score_rows(analysis, coalition.slug), key=lambda r: (-r["degree"], r["name"])
        ),
        "metrics": METRICS,
        "network_explanations": NETWORK_EXPLANATIONS,
        "is_admin": request.membership.role == Membership.Role.BACKBONE_ADMIN,
    }
    return render(request, "ecosystem/network_map.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def scores(request: CoalitionRequest) -> HttpResponse:
    """Scores per actor: sorted on the server, filterable, paginated, exportable."""
    coalition = request.coalition
    filters = _filters(request)
    analysis = selectors.analyze_coalition(coalition=coalition, filters=filters)
    rows = _score_rows(analysis, coalition.slug)
    sort = request.GET.get("sort", "betweenness")
    if sort not in SORTABLE:
        sort = "betweenness"
    descending = (
        request.GET.get("dir", "desc" if sort not in ("name", "sector") else "asc") == "desc"
    )
    rows.sort(key=lambda r: r["name"])
    rows.sort(
        key=lambda r: (r[sort] is None, r[sort] if r[sort] is not None else 0),
        reverse=False,
    )
    if descending:
        present = [r for r in rows if r[sort] is not None]
        missing = [r for r in rows if r[sort] is None]
        rows = list(reversed(present)) + missing
    export = request.GET.get("format", "")
    if export in ("csv", "xlsx"):
        table = exchange.scores_table(rows)
        return exchange.table_response(table, f"{coalition.slug}-scores", export)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    columns = [
        ("name", _("Actor")),
        ("sector", _("Sector")),
        ("degree", _("Ties")),
        ("in_degree", _("Named by others")),
        ("betweenness", _("Bridging")),
        ("closeness", _("Reach")),
        ("eigenvector", _("Well-connected partners")),
        ("trust", _("Trust received")),
        ("value", _("Value received")),
    ]
    context = {
        **_filter_context(request, filters),
        **_response_context(analysis.report),
        "headline": _headline(analysis.report),
        "analysis": analysis,
        "page": page,
        "sort": sort,
        "descending": descending,
        "columns": columns,
        "metrics": METRICS,
        "network_explanations": NETWORK_EXPLANATIONS,
        "brokers": [
            {
                "actor": analysis.actors.get(int(b.id)),
                "broker": b,
            }
            for b in analysis.report.brokers
        ],
    }
    return render(request, "ecosystem/network_scores.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def missing(request: CoalitionRequest) -> HttpResponse:
    """Who is missing from the table: sectors and populations absent or cut off from the core."""
    coalition = request.coalition
    analysis = selectors.analyze_coalition(coalition=coalition)
    report = selectors.missing_report(coalition=coalition, network=analysis.network)
    language = _language()
    rows = [
        {
            "presence": p,
            "status": p.status,
            "name": SECTORS_BY_ID[p.id].name.get(language),
            "color": SECTOR_COLORS.get(p.id, "#555555"),
        }
        for p in report.sectors
    ]
    populations = [
        {"presence": p, "name": POPULATIONS_BY_ID[p.id].name.get(language)}
        for p in report.populations
    ]
    core_names = [analysis.actors[int(i)].name for i in report.core if int(i) in analysis.actors]
    flagged = [
        SECTORS_BY_ID[i].name.get(language)
        if i in SECTORS_BY_ID
        else POPULATIONS_BY_ID[i].name.get(language)
        for i in report.flagged
    ]
    context = {
        **_response_context(analysis.report),
        "report": report,
        "rows": rows,
        "populations": populations,
        "core_names": core_names,
        "flagged": flagged,
        "absent": [r for r in rows if r["status"] == "absent"],
        "unconnected": [r for r in rows if r["status"] == "unconnected"],
    }
    return render(request, "ecosystem/network_missing.html", context)


# ---------------------------------------------------------------- actors


@coalition_view(*ALL_ROLES)
@require_GET
def actor_list(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    sector = request.GET.get("sector", "")
    sector = sector if sector in SECTORS_BY_ID else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Actor.Kind.values else ""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    actors = selectors.list_actors(coalition=coalition, sector=sector, query=query, kind=kind)
    page = Paginator(actors, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sector_filter": sector,
        "kind_filter": kind,
        "query": query,
        "sector_options": [(s.id, s.name.get(_language())) for s in SECTORS],
        "kind_options": Actor.Kind.choices,
        "sector_names": {s.id: s.name.get(_language()) for s in SECTORS},
        "is_admin": request.membership.role == Membership.Role.BACKBONE_ADMIN,
        "can_see_contacts": policy.can_see_contacts(request.membership),
    }
    return render(request, "ecosystem/actor_list.html", context)


def _actor_or_404(request: CoalitionRequest, actor_id: int) -> Actor:
    try:
        return selectors.get_actor(coalition=request.coalition, actor_id=actor_id)
    except Actor.DoesNotExist:
        raise Http404 from None


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def actor_new(request: CoalitionRequest) -> HttpResponse:
    form = ActorForm(request.POST if request.method == "POST" else None, versioned=False)
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.create_actor(
                coalition=request.coalition, user=request.user, **form.actor_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is on the map.") % {"name": actor.name})
            return redirect("ecosystem:actor_detail", request.coalition.slug, actor.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "ecosystem/actor_form.html", {"form": form, "actor": None}, status=status
    )


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


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def actor_edit(request: CoalitionRequest, actor_id: int) -> HttpResponse:
    """Edit an actor; the form carries the version it was drawn from (a stale save is 409)."""
    actor = _actor_or_404(request, actor_id)
    form = ActorForm(
        request.POST if request.method == "POST" else None, initial=ActorForm.initial_for(actor)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_actor(
                    actor=actor,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.actor_fields(),
                )
            except StaleEditError as error:
                _stale(form, error)
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("ecosystem:actor_detail", request.coalition.slug, actor.pk)
    references = services.actor_references(actor)
    return render(
        request,
        "ecosystem/actor_form.html",
        {"form": form, "actor": actor, "references": references},
        status=status,
    )


@coalition_view(*ADMINS)
@require_POST
def actor_delete(request: CoalitionRequest, actor_id: int) -> HttpResponse:
    """Archive the actor when partners' records refer to it, else delete it (both audited)."""
    actor = _actor_or_404(request, actor_id)
    try:
        outcome = services.delete_actor(
            actor=actor,
            user=request.user,
            expected_version=parse_version(request.POST.get("version")),
        )
    except StaleEditError as error:
        return _conflict(
            request, error, reverse("ecosystem:actor_edit", args=[request.coalition.slug, actor.pk])
        )
    if outcome == "archived":
        messages.success(
            request,
            _(
                "%(name)s was archived: partners' ties or survey answers refer to it, so it "
                "is kept out of the map and the analysis, and an admin can restore it."
            )
            % {"name": actor.name},
        )
    else:
        messages.success(request, _("%(name)s was removed from the map.") % {"name": actor.name})
    return redirect("ecosystem:actor_list", request.coalition.slug)


@coalition_view(*ADMINS)
@require_GET
def actor_archive(request: CoalitionRequest) -> HttpResponse:
    """Archived actors: who archived each and when, its ties kept, and a restore button."""
    actors = selectors.list_archived_actors(coalition=request.coalition)
    page = Paginator(actors, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sector_names": {s.id: s.name.get(_language()) for s in SECTORS},
    }
    return render(request, "ecosystem/actor_archive.html", context)


@coalition_view(*ADMINS)
@require_POST
def actor_restore(request: CoalitionRequest, actor_id: int) -> HttpResponse:
    try:
        actor = selectors.get_actor_even_archived(coalition=request.coalition, actor_id=actor_id)
    except Actor.DoesNotExist:
        raise Http404 from None
    try:
        services.restore_actor(actor=actor, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ecosystem:actor_archive", request.coalition.slug)
    messages.success(
        request, _("%(name)s is back on the map, with its ties.") % {"name": actor.name}
    )
    return redirect("ecosystem:actor_detail", request.coalition.slug, actor.pk)


@coalition_view(*ALL_ROLES)
def actor_detail(request: CoalitionRequest, actor_id: int) -> HttpResponse:
    """The actor and its partner profile: its ties, how others rate it, where it brokers."""
    coalition = request.coalition
    actor = _actor_or_404(request, actor_id)  # before the method check: another's id is 404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    analysis = selectors.analyze_coalition(coalition=coalition)
    metrics = analysis.metrics.get(actor.pk)
    ties = selectors.ties_of(coalition=coalition, actor=actor)
    rows = selectors.tie_rows(ties)
    received = [t for t in ties if t.reported_by_id is not None and t.reported_by_id != actor.pk]
    by_dimension = []
    for dimension in RATING_FIELDS:
        values = [getattr(t, dimension) for t in received if getattr(t, dimension) is not None]
        network_mean = None
        score = analysis.report.trust if dimension in TRUST_DIMENSIONS else analysis.report.value
        if score is not None:
            network_mean = score.by_dimension.get(dimension)
        by_dimension.append(
            {
                "label": rating_label(dimension),
                "group": _("Trust") if dimension in TRUST_DIMENSIONS else _("Value"),
                "mean": sum(values) / len(values) if values else None,
                "count": len(values),
                "network_mean": network_mean,
            }
        )
    broker = next((b for b in analysis.report.brokers if b.id == str(actor.pk)), None)
    rank = None
    if metrics is not None:
        rank = 1 + sum(1 for m in analysis.metrics.values() if m.betweenness > metrics.betweenness)
    one_sided = [
        t for t in analysis.report.one_sided_ties if str(actor.pk) in (t.reported_by, t.partner)
    ]
    context = {
        **_response_context(analysis.report),
        "actor": actor,
        "sector": sector_name(actor.sector_id),
        "roles": [role_names().get(r, r) for r in actor.role_ids],
        "populations": [
            POPULATIONS_BY_ID[p].name.get(_language())
            for p in actor.population_ids
            if p in POPULATIONS_BY_ID
        ],
        "contributions": [
            Contribution(c).label for c in actor.contribution_ids if c in Contribution.values
        ],
        "metrics": metrics,
        "rank": rank,
        "actor_count": analysis.report.actor_count,
        "broker": broker,
        "tie_rows": rows,
        "by_dimension": by_dimension,
        "rater_count": len({t.reported_by_id for t in received}),
        "one_sided_count": len(one_sided),
        "responses": list(selectors.list_responses(coalition=coalition, actor=actor)),
        "is_admin": request.membership.role == Membership.Role.BACKBONE_ADMIN,
        "contacts": policy.contact_fields(actor, request.membership),
        "metric_help": METRICS,
    }
    return render(request, "ecosystem/actor_detail.html", context)


# ---------------------------------------------------------------- ties


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def tie_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    actors = list(selectors.list_actors(coalition=coalition))
    initial = {}
    if "from" in request.GET:
        initial["from_actor"] = parse_int(request.GET.get("from"), low=1, high=2**31)
    form = TieForm(
        request.POST if request.method == "POST" else None, actors=actors, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        by_id = {a.pk: a for a in actors}
        try:
            tie = services.record_tie(
                coalition=coalition,
                user=request.user,
                from_actor=by_id[form.cleaned_data["from_actor"]],
                to_actor=by_id[form.cleaned_data["to_actor"]],
                type_ids=form.cleaned_data["type_ids"],
                intensity=form.cleaned_data["intensity"],
                frequency=form.cleaned_data["frequency"],
                update_existing=False,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Tie recorded: %(tie)s.") % {"tie": tie})
            return redirect("ecosystem:actor_detail", coalition.slug, tie.from_actor_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "ecosystem/tie_form.html", {"form": form}, status=status)


def _tie_or_404(request: CoalitionRequest, tie_id: int) -> Tie:
    try:
        return selectors.get_tie(coalition=request.coalition, tie_id=tie_id)
    except Tie.DoesNotExist:
        raise Http404 from None


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def tie_edit(request: CoalitionRequest, tie_id: int) -> HttpResponse:
    """Change a backbone-entered tie; a partner's reported tie is its answer and stays."""
    tie = _tie_or_404(request, tie_id)
    form = TieEditForm(
        request.POST if request.method == "POST" else None, initial=TieEditForm.initial_for(tie)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_tie(
                    tie=tie,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    type_ids=form.cleaned_data["type_ids"],
                    intensity=form.cleaned_data["intensity"],
                    frequency=form.cleaned_data["frequency"],
                )
            except StaleEditError as error:
                _stale(form, error)
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Tie saved: %(tie)s.") % {"tie": tie})
                return redirect("ecosystem:actor_detail", request.coalition.slug, tie.from_actor_id)
    return render(request, "ecosystem/tie_edit.html", {"form": form, "tie": tie}, status=status)


@coalition_view(*ADMINS)
@require_POST
def tie_delete(request: CoalitionRequest, tie_id: int) -> HttpResponse:
    tie = _tie_or_404(request, tie_id)
    try:
        services.delete_tie(
            tie=tie, user=request.user, expected_version=parse_version(request.POST.get("version"))
        )
    except StaleEditError as error:
        return _conflict(
            request,
            error,
            reverse("ecosystem:actor_detail", args=[request.coalition.slug, tie.from_actor_id]),
        )
    messages.success(request, _("Tie removed."))
    return redirect("ecosystem:actor_detail", request.coalition.slug, tie.from_actor_id)


# ---------------------------------------------------------------- the network survey


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def survey_list(request: CoalitionRequest) -> HttpResponse:
    """Survey rounds; a new round gives a personal link to each partner chosen."""
    coalition = request.coalition
    actors = list(selectors.list_actors(coalition=coalition))
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        actors=actors,
        initial={"actor_ids": [a.pk for a in actors if a.kind != Actor.Kind.INFORMAL_PLACE]},
    )
    if request.method == "POST" and form.is_valid():
        by_id = {a.pk: a for a in actors}
        try:
            survey, links = services.create_survey(
                coalition=coalition,
                user=request.user,
                title=form.cleaned_data["title"],
                actors=[by_id[i] for i in form.cleaned_data["actor_ids"]],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session["cg_survey_links"] = {
                str(invitation.pk): request.build_absolute_uri(
                    reverse("ecosystem:respond", args=[token])
                )
                for invitation, token in links
            }
            messages.success(request, _("Survey opened. Send each partner its own link below."))
            return redirect("ecosystem:survey_detail", coalition.slug, survey.pk)
    context = {"form": form, "surveys": list(selectors.list_surveys(coalition=coalition))}
    return render(
        request, "ecosystem/networksurvey_list.html", context, status=400 if form.errors else 200
    )


def _survey_or_404(request: CoalitionRequest, survey_id: int) -> NetworkSurvey:
    try:
        return selectors.get_survey(coalition=request.coalition, survey_id=survey_id)
    except NetworkSurvey.DoesNotExist:
        raise Http404 from None


@coalition_view(*ADMINS)
def survey_detail(request: CoalitionRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)  # before the method check: another's id is 404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    links = request.session.pop("cg_survey_links", None) or {}
    rows = list(selectors.list_invitations(survey=survey))
    invitations = [{"invitation": inv, "link": links.get(str(inv.pk))} for inv in rows]
    invited = len(rows)
    responded = sum(1 for inv in rows if inv.responded_at is not None)
    context = {
        "survey": survey,
        "invitations": invitations,
        "invited": invited,
        "responded": responded,
        "share": responded / invited if invited else None,
    }
    return render(request, "ecosystem/networksurvey_detail.html", context)


@coalition_view(*ADMINS)
@require_POST
def survey_close(request: CoalitionRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    version = parse_version(request.POST.get("version"))
    if version is None:
        messages.error(request, _("The form came without its version. Reload the page."))
        return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)
    try:
        services.close_survey(survey=survey, user=request.user, expected_version=version)
    except StaleEditError as error:
        return _conflict(
            request,
            error,
            reverse("ecosystem:survey_detail", args=[request.coalition.slug, survey.pk]),
        )
    messages.success(request, _("Survey closed; its links no longer work."))
    return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)


@coalition_view(*ADMINS)
@require_POST
def survey_link(request: CoalitionRequest, survey_id: int, link_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    invitation = selectors.list_invitations(survey=survey).filter(pk=link_id).first()
    if invitation is None:
        raise Http404
    try:
        token = services.renew_survey_link(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        request.session["cg_survey_links"] = {
            str(invitation.pk): request.build_absolute_uri(
                reverse("ecosystem:respond", args=[token])
            )
        }
        messages.success(
            request,
            _("New link for %(name)s; the old one no longer works.")
            % {"name": invitation.actor.name},
        )
    return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)


@public
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, survey_token: str) -> HttpResponse:
    """The partner's own survey form, opened by its personal link; it shows nothing else.

    Step 1 names the partners it works with; step 2 rates each tie; then the answers are
    saved and the link is used up.
    """
    try:
        invitation = services.find_survey_link(token=survey_token)
    except services.SurveyLinkError as error:
        return render(
            request, "ecosystem/survey_respond_closed.html", {"reason": str(error)}, status=410
        )
    respondent = invitation.actor
    choices = selectors.survey_partner_choices(invitation=invitation)
    partners = [
        {"id": pk, "name": name, "sector": sector_name(sector)} for pk, name, sector in choices
    ]
    partner_names: dict[int, str] = {pk: name for pk, name, _s in choices}
    step = request.POST.get("step", "") if request.method == "POST" else ""
    chosen: list[int] = []
    for raw in request.POST.getlist("partner"):
        value = parse_int(raw, low=1, high=2**31)
        if value is not None and value in partner_names and value not in chosen:
            chosen.append(value)
    problems: list[str] = []
    if step == "submit":
        answers, problems = parse_survey_answers(
            request.POST, {pk: partner_names[pk] for pk in chosen}
        )
        contributions = [
            c for c in request.POST.getlist("contributions") if c in Contribution.values
        ]
        if not problems:
            try:
                services.submit_network_survey(
                    token=survey_token,
                    answers=answers,
                    contribution_ids=contributions,
                    comment=request.POST.get("comment", "")[:2000],
                )
            except (ValidationError, services.SurveyLinkError) as error:
                problems = list(getattr(error, "messages", [str(error)]))
            else:
                return render(
                    request,
                    "ecosystem/survey_respond_done.html",
                    {"respondent": respondent, "count": len(answers)},
                )
    rate_step = step in ("rate", "submit")
    if step == "rate" and not chosen:
        problems = [
            _(
                "Choose at least one partner, or send the form with none if you work with nobody here."
            )
        ]
    context = {
        "survey": invitation.survey,
        "respondent": respondent,
        "survey_coalition_name": invitation.coalition.name,
        "partners": partners,
        "chosen": [(pk, partner_names[pk]) for pk in chosen],
        "chosen_ids": chosen,
        "step": "rate" if rate_step else "choose",
        "problems": problems,
        "types": Tie.Type.choices,
        "intensities": Tie.Intensity.choices,
        "frequencies": Tie.Frequency.choices,
        "trust_dimensions": [(d, DIMENSION_NAMES[d].get(_language())) for d in TRUST_DIMENSIONS],
        "value_dimensions": [(d, DIMENSION_NAMES[d].get(_language())) for d in VALUE_DIMENSIONS],
        "contributions": Contribution.choices,
        "posted": request.POST,
    }
    return render(
        request, "ecosystem/survey_respond.html", context, status=400 if problems else 200
    )


# ---------------------------------------------------------------- power map, snapshots


@coalition_view(*ALL_ROLES)
@require_GET
def power_map(request: CoalitionRequest) -> HttpResponse:
    """Influence × alignment, placed by the backbone; drawn as SVG on the server."""
    actors = list(selectors.list_actors(coalition=request.coalition))
    placed = [a for a in actors if a.influence is not None and a.alignment is not None]
    numbers = {a.pk: number for number, a in enumerate(placed, start=1)}
    size, margin = 560, 40
    points = [
        {
            "actor": a,
            "x": margin + a.alignment * (size - 2 * margin) / 100,  # type: ignore[operator]
            "y": size - margin - a.influence * (size - 2 * margin) / 100,  # type: ignore[operator]
            "color": SECTOR_COLORS.get(a.sector_id, "#555555"),
            "number": numbers[a.pk],
        }
        for a in placed
    ]
    quadrants = {
        "champions": [a for a in placed if a.influence >= 50 and a.alignment >= 50],  # type: ignore[operator]
        "to_engage": [a for a in placed if a.influence >= 50 and a.alignment < 50],  # type: ignore[operator]
        "to_lift": [a for a in placed if a.influence < 50 and a.alignment >= 50],  # type: ignore[operator]
        "to_watch": [a for a in placed if a.influence < 50 and a.alignment < 50],  # type: ignore[operator]
    }
    context = {
        "points": points,
        "size": size,
        "margin": margin,
        "mid": size / 2,
        "inner": size - 2 * margin,
        "far": size - margin,
        "quadrants": quadrants,
        "rows": [(a, numbers.get(a.pk)) for a in actors],
        "is_admin": request.membership.role == Membership.Role.BACKBONE_ADMIN,
    }
    return render(request, "ecosystem/power_map.html", context)


@coalition_view(*ADMINS)
@require_POST
def power_map_place(request: CoalitionRequest) -> HttpResponse:
    """Save the positions typed into the power map's table (changed rows only).

    Each row sends the version of the actor it was drawn from; when any changed row is
    stale, nothing is saved (409) and the first writer's positions stay.
    """
    positions: list[services.Position] = []
    problems = []
    for actor in selectors.list_actors(coalition=request.coalition):
        raw_influence = request.POST.get(f"influence-{actor.pk}")
        raw_alignment = request.POST.get(f"alignment-{actor.pk}")
        if raw_influence is None and raw_alignment is None:
            continue
        influence = parse_int(raw_influence, low=0, high=100)
        alignment = parse_int(raw_alignment, low=0, high=100)
        if ((raw_influence or "").strip() and influence is None) or (
            (raw_alignment or "").strip() and alignment is None
        ):
            problems.append(_("%(name)s: enter numbers from 0 to 100.") % {"name": actor.name})
            continue
        if (influence, alignment) == (actor.influence, actor.alignment):
            continue
        version = parse_version(request.POST.get(f"version-{actor.pk}"))
        if version is None:
            problems.append(
                _("%(name)s: the row came without its version. Reload the page.")
                % {"name": actor.name}
            )
            continue
        positions.append(services.Position(actor, influence, alignment, version))
    if problems:
        for problem in problems:
            messages.error(request, problem)
        messages.error(request, _("Nothing was saved."))
        return redirect("ecosystem:power_map", request.coalition.slug)
    try:
        changed = services.save_power_map(
            coalition=request.coalition, user=request.user, positions=positions
        )
    except StaleEditError as error:
        return _conflict(
            request, error, reverse("ecosystem:power_map", args=[request.coalition.slug])
        )
    if changed:
        messages.success(request, _("Power map saved (%(n)d changed).") % {"n": changed})
    return redirect("ecosystem:power_map", request.coalition.slug)


@coalition_view(*ALL_ROLES)
@require_GET
def snapshots(request: CoalitionRequest) -> HttpResponse:
    """Snapshots, and the comparison of two (ties gained and lost, metrics that moved)."""
    coalition = request.coalition
    items = list(selectors.list_snapshots(coalition=coalition))
    by_id = {s.pk: s for s in items}
    before_id = parse_int(request.GET.get("before"), low=1, high=2**31)
    after_id = parse_int(request.GET.get("after"), low=1, high=2**31)
    if before_id is None and after_id is None and len(items) >= 2:
        after_id, before_id = items[0].pk, items[1].pk
    before, after = by_id.get(before_id or 0), by_id.get(after_id or 0)
    comparison = None
    gained: list[tuple[str, str]] = []
    lost: list[tuple[str, str]] = []
    if before is not None and after is not None:
        comparison = selectors.compare(before=before, after=after)
        names = {
            a["id"]: a["name"]
            for snapshot in (before, after)
            for a in snapshot.data.get("actors", [])
        }
        gained = [(names.get(a, a), names.get(b, b)) for a, b in comparison.ties_gained]
        lost = [(names.get(a, a), names.get(b, b)) for a, b in comparison.ties_lost]
    changes = []
    if comparison is not None:
        for label, change, as_share in (
            (_("Density"), comparison.density, True),
            (_("Centralization"), comparison.degree_centralization, False),
            (_("Reciprocity"), comparison.reciprocity, True),
            (_("Cross-sector share"), comparison.cross_sector_share, True),
            (_("Trust (1-4)"), comparison.trust, False),
            (_("Value (1-4)"), comparison.value, False),
            (_("Separate parts (components)"), comparison.component_count, False),
            (_("Response rate"), comparison.response_share, True),
        ):
            changes.append({"label": label, "change": change, "as_share": as_share})
    context = {
        "snapshots": items,
        "before": before,
        "after": after,
        "comparison": comparison,
        "changes": changes,
        "gained": gained,
        "lost": lost,
        "form": SnapshotForm(),
        "is_admin": request.membership.role == Membership.Role.BACKBONE_ADMIN,
    }
    return render(request, "ecosystem/snapshot_list.html", context)


@coalition_view(*ADMINS)
@require_POST
def snapshot_new(request: CoalitionRequest) -> HttpResponse:
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the snapshot a name."))
        return redirect("ecosystem:snapshots", request.coalition.slug)
    snapshot = services.take_snapshot(
        coalition=request.coalition, user=request.user, name=form.cleaned_data["name"]
    )
    messages.success(request, _("Snapshot “%(name)s” taken.") % {"name": snapshot.name})
    return redirect("ecosystem:snapshots", request.coalition.slug)


# ---------------------------------------------------------------- exchange


@coalition_view(*ALL_ROLES)
@require_GET
def network_export(request: CoalitionRequest, network_format: str) -> HttpResponse:
    """The network as GraphML, GEXF or a CSV edge list (contacts as the policy allows)."""
    if network_format not in exchange.NETWORK_FORMATS:
        raise Http404
    coalition = request.coalition
    analysis = selectors.analyze_coalition(coalition=coalition)
    return exchange.network_response(
        coalition.slug,
        analysis,
        network_format,
        sector_name,
        with_contacts=policy.can_see_contacts(request.membership),
    )


@coalition_view(*ALL_ROLES)
@require_GET
def data_export(request: CoalitionRequest, data_format: str) -> HttpResponse:
    """Actors and ties with every field: CSV, Excel (Kumu layout), HSDS.

    Contact details are in it only for the roles the contact policy allows
    (``commonground.ecosystem.policy``).
    """
    if data_format not in exchange.DATA_FORMATS:
        raise Http404
    coalition = request.coalition
    actors = list(selectors.list_actors(coalition=coalition))
    ties = list(selectors.list_ties(coalition=coalition))
    return exchange.data_response(
        coalition,
        actors,
        ties,
        data_format,
        with_contacts=policy.can_see_contacts(request.membership),
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def data_import(request: CoalitionRequest) -> HttpResponse:
    """Import actors or ties from CSV/Excel, all or nothing, with row-and-column messages."""
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = exchange.import_file(
                coalition=request.coalition,
                user=request.user,
                what=form.cleaned_data["what"],
                name=upload.name,
                data=upload.read(exchange.MAX_BYTES + 1),
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("Imported %(n)d rows.") % {"n": count})
            return redirect("ecosystem:actor_list", request.coalition.slug)
    status = 400 if request.method == "POST" and (problems or form.errors) else 200
    return render(
        request, "ecosystem/import_form.html", {"form": form, "problems": problems}, status=status
    )
