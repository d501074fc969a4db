"""Actors: list, profile, add, edit, archive and restore. Each view declares its access policy
(``coalitions.access``), parses its input, makes one call to selectors or services, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
)
from commonground.coalitions.models import Membership
from commonground.ecosystem import policy, selectors, services
from commonground.ecosystem.domain.ratings import (
    TRUST_DIMENSIONS,
)
from commonground.ecosystem.domain.sectors import POPULATIONS_BY_ID, SECTORS, SECTORS_BY_ID
from commonground.ecosystem.forms import (
    ActorForm,
    rating_label,
)
from commonground.ecosystem.models import RATING_FIELDS, Actor, Contribution
from commonground.ecosystem.readings import actor_sentences
from commonground.ecosystem.views._common import (
    METRICS,
    _actor_or_404,
    _add_errors,
    _conflict,
    _language,
    _response_context,
    _stale,
    role_names,
    sector_name,
)
from commonground.lib.versioning import StaleEditError, parse_version


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
    reading = selectors.actor_readings(analysis).get(actor.pk)
    sentences = (
        actor_sentences(
            name=actor.name,
            reading=reading,
            metrics=metrics,
            report=analysis.report,
            sector_name=sector_name,
        )
        if reading is not None and metrics is not None
        else {}
    )
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
        "sentences": sentences,
    }
    return render(request, "ecosystem/actor_detail.html", context)
