"""The network map, scores, who is missing, and the power map. Each view declares its access policy
(``coalitions.access``), parses its input, makes one call to selectors or services, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
)
from commonground.coalitions.models import Membership
from commonground.coalitions.page_cache import kept_per_version
from commonground.ecosystem import exchange, selectors, services
from commonground.ecosystem.domain import power
from commonground.ecosystem.domain.families import family_of
from commonground.ecosystem.domain.sectors import POPULATIONS_BY_ID, SECTORS_BY_ID
from commonground.ecosystem.domain.symbols import symbol_path
from commonground.ecosystem.forms import (
    parse_int,
)
from commonground.ecosystem.views._common import (
    METRICS,
    METRICS_BY_ID,
    NETWORK_EXPLANATIONS,
    SIZE_METRICS,
    SORTABLE,
    _broker_rows,
    _conflict,
    _families_present,
    _filter_context,
    _filters,
    _headline,
    _language,
    _response_context,
    _score_rows,
    family_legend,
)
from commonground.lib.versioning import StaleEditError, parse_version

#: How the map can group actors: a free layout, by sector family, by community.
GROUP_BY = ("none", "family", "community")


def _map_options(request: CoalitionRequest) -> dict[str, Any]:
    """The map's initial settings (from the address, so a view can be shared) and words."""
    size_by = request.GET.get("size", "degree")
    edges_by = request.GET.get("edges", "intensity")
    group_by = request.GET.get("group", "none")
    return {
        "sizeBy": size_by if size_by in SIZE_METRICS else "degree",
        "edgesBy": edges_by if edges_by in ("intensity", "trust") else "intensity",
        "groupBy": group_by if group_by in GROUP_BY else "none",
        "labels": {
            "mapLabel": _("Map of the actors and their ties; the table below lists the same."),
            "empty": _("No actors match."),
            "ties": _("Ties"),
            "bridging": _("Bridging"),
            "trust": _("Trust received"),
            "member": _("Coalition member"),
            "yes": _("yes"),
            "family": _("Sector family"),
            "roles": _("Roles"),
            "open": _("Open the partner profile"),
            "none": _("none"),
            "group": _("Group %(n)s"),
            "focused": _(
                "Showing %(name)s and its %(n)s partners; the others are dimmed. "
                "Press Escape to see everyone."
            ),
            "focusedOne": _(
                "Showing %(name)s and its one partner; the others are dimmed. "
                "Press Escape to see everyone."
            ),
            "focusedNone": _(
                "%(name)s has no tie on this map; the others are dimmed. "
                "Press Escape to see everyone."
            ),
            "reset": _("Showing every actor."),
            "notFound": _("No actor on the map matches “%(query)s”."),
            "escape": _("Press Escape, or choose the actor again, to see everyone."),
        },
    }


@coalition_view(*ALL_ROLES)
@require_GET
@kept_per_version("ecosystem")
def network_map(request: CoalitionRequest) -> HttpResponse:
    """The interactive map (d3) with a table alternative; filters recompute the scores."""
    coalition = request.coalition
    filters = _filters(request)
    data = selectors.map_data(coalition=coalition, filters=filters)
    analysis = data.analysis
    options = _map_options(request)
    context = {
        **_filter_context(request, filters),
        **_response_context(analysis.report),
        "analysis": analysis,
        "headline": _headline(analysis.report),
        "graph": data.graph,
        "map_options": options,
        "size_by": options["sizeBy"],
        "edges_by": options["edgesBy"],
        "group_by": options["groupBy"],
        "size_options": [(m, METRICS_BY_ID[m].label) for m in SIZE_METRICS],
        "group_options": [
            ("none", _("Nothing (free layout)")),
            ("family", _("Sector family")),
            ("community", _("Group (community)")),
        ],
        "legend": family_legend(data.graph["families"]),
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
@kept_per_version("ecosystem")
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
        "brokers": _broker_rows(analysis),
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
            "color": family_of(p.id).color,
            "path": symbol_path(family_of(p.id).symbol, 60),
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


@coalition_view(*ALL_ROLES)
@require_GET
def power_map(request: CoalitionRequest) -> HttpResponse:
    """Influence × alignment, placed by the backbone: drawn on the server, dragged in the
    browser (admins), with the table as the keyboard alternative."""
    actors = list(selectors.list_actors(coalition=request.coalition))
    grid = power.Grid()
    placed = [
        power.Placed(str(a.pk), a.name, a.sector_id, a.influence, a.alignment)
        for a in actors
        if a.influence is not None and a.alignment is not None
    ]
    marks = power.draw(placed, grid)
    by_corner = {c: sum(1 for m in marks if m.corner == c) for c in power.CORNERS}
    is_admin = request.membership.role == Membership.Role.BACKBONE_ADMIN
    context = {
        "marks": marks,
        "grid": grid,
        "mid": grid.size / 2,
        "far": grid.size - grid.margin,
        "corners": by_corner,
        "rows": actors,
        "legend": family_legend(_families_present(a.sector_id for a in actors)),
        "is_admin": is_admin,
        "power_options": {
            "size": grid.size,
            "margin": grid.margin,
            "labels": {
                "saved": _("Saved: %(name)s, influence %(influence)s, alignment %(alignment)s."),
                "failed": _("Not saved: %(message)s"),
                "broken": _("Not saved: the server did not answer. Reload the page and try again."),
                "moved": _("%(name)s: influence %(influence)s, alignment %(alignment)s."),
            },
        },
    }
    return render(request, "ecosystem/power_map.html", context)


@coalition_view(*ADMINS)
@require_POST
def power_map_place(request: CoalitionRequest) -> HttpResponse:
    """Save the positions typed into the power map's table, or one dragged mark.

    Each row sends the version of the actor it was drawn from; when any changed row is
    stale, nothing is saved (409) and the first writer's positions stay. A request that
    accepts ``application/json`` (the drag-and-drop) gets JSON: the stored positions and
    versions, or the error.
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
    wants_json = request.headers.get("Accept") == "application/json"
    if problems:
        if wants_json:
            message = " ".join([*problems, _("Nothing was saved.")])
            return JsonResponse({"error": message}, status=400)
        for problem in problems:
            messages.error(request, problem)
        messages.error(request, _("Nothing was saved."))
        return redirect("ecosystem:power_map", request.coalition.slug)
    try:
        changed = services.save_power_map(
            coalition=request.coalition, user=request.user, positions=positions
        )
    except StaleEditError as error:
        if wants_json:
            # The first writer's positions stay; the page moves the mark back to them.
            stored = selectors.power_positions(
                coalition=request.coalition, actor_ids=[p.actor.pk for p in positions]
            )
            return JsonResponse({"error": str(error), "positions": stored}, status=409)
        return _conflict(
            request, error, reverse("ecosystem:power_map", args=[request.coalition.slug])
        )
    if wants_json:
        stored = selectors.power_positions(
            coalition=request.coalition, actor_ids=[p.actor.pk for p in positions]
        )
        return JsonResponse({"saved": changed, "positions": stored})
    if changed:
        messages.success(request, _("Power map saved (%(n)d changed).") % {"n": changed})
    return redirect("ecosystem:power_map", request.coalition.slug)
