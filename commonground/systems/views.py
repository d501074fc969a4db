"""Pages of the systems app. Each view declares its access policy, parses its input, makes
one call to selectors or services, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CONTRIBUTORS,
    CoalitionRequest,
    coalition_view,
)
from commonground.coalitions.models import Membership
from commonground.lib.versioning import StaleEditError, parse_version
from commonground.measurement import selectors as measurement
from commonground.systems import exchange, selectors, services
from commonground.systems.domain.loops import DEFAULT_MAX_LENGTH
from commonground.systems.forms import (
    ActorAssetsForm,
    AssetForm,
    CommitmentForm,
    FactorForm,
    LayerForm,
    LinkForm,
    ProgressForm,
)

ANCHOR_EDITORS = frozenset({Membership.Role.BACKBONE_ADMIN, Membership.Role.PARTNER})
MAX_LENGTH_CHOICES = range(1, 13)


def _max_length(request: CoalitionRequest) -> int:
    try:
        value = int(request.GET.get("max_length", DEFAULT_MAX_LENGTH))
    except ValueError:
        return DEFAULT_MAX_LENGTH
    return value if value in MAX_LENGTH_CHOICES else DEFAULT_MAX_LENGTH


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _get(getter: Any, **kwargs: Any) -> Any:
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _can_edit(request: CoalitionRequest) -> bool:
    return request.membership.role in CONTRIBUTORS


# --- the system map ---------------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def system_map(request: CoalitionRequest) -> HttpResponse:
    """The interactive map of factors and causal links, with its loops."""
    smap = selectors.system_map(
        coalition=request.coalition, max_length=_max_length(request), with_gaps=False
    )
    context = {
        "smap": smap,
        "map_data": selectors.map_data(smap, request.coalition.slug, can_edit=_can_edit(request)),
        "map_labels": _map_labels(),
        "can_edit": _can_edit(request),
        "lengths": MAX_LENGTH_CHOICES,
    }
    return render(request, "systems/factor_map.html", context)


def _map_labels() -> dict[str, str]:
    return {
        "mapLabel": _("System map: factors and the causal links between them"),
        "empty": _("No factors yet."),
        "same": _("same direction"),
        "opposite": _("opposite direction"),
        "delay": _("with a delay"),
        "loops": _("Loops it is on: %(n)s"),
        "allLoops": _("All factors"),
        "showing": _("Showing loop %(code)s: %(factors)s"),
        "reset": _("Showing the whole map."),
        "open": _("Open this factor"),
        "indicator": _("Equity indicator"),
    }


@coalition_view(*ALL_ROLES)
@require_GET
def loop_list(request: CoalitionRequest) -> HttpResponse:
    """Every loop up to the chosen length, its polarity and delays, loop counts, leverage and
    the loops that touch the coalition's largest equity gaps."""
    smap = selectors.system_map(coalition=request.coalition, max_length=_max_length(request))
    counted = sorted(
        ((f, smap.counts[f.pk]) for f in smap.factors if f.pk in smap.counts),
        key=lambda fc: (-fc[1], fc[0].name),
    )
    context = {"smap": smap, "counted": counted, "lengths": MAX_LENGTH_CHOICES}
    return render(request, "systems/loop_list.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def export(request: CoalitionRequest, systems_export: str, systems_format: str) -> HttpResponse:
    """Factors, links, loops, assets or commitments as CSV/Excel; the map as Kumu or GraphML."""
    what, file_format = systems_export, systems_format
    coalition = request.coalition
    slug = coalition.slug
    if what == "map" and file_format in exchange.MAP_FORMATS:
        smap = selectors.system_map(
            coalition=coalition, max_length=_max_length(request), with_gaps=False
        )
        if file_format == "kumu":
            return exchange.kumu_download(smap, slug)
        return exchange.graphml_download(smap, slug)
    if what not in exchange.TABLES or file_format not in exchange.TABLE_FORMATS:
        raise Http404
    if what == "assets":
        columns, rows = exchange.asset_table(list(selectors.list_assets(coalition=coalition)))
    elif what == "commitments":
        columns, rows = exchange.commitment_table(selectors.commitment_views(coalition=coalition))
    else:
        smap = selectors.system_map(
            coalition=coalition, max_length=_max_length(request), with_gaps=what == "loops"
        )
        table = {
            "factors": exchange.factor_table,
            "links": exchange.link_table,
            "loops": exchange.loop_table,
        }
        columns, rows = table[what](smap)
    return exchange.table_download(what, file_format, columns, rows, slug)


def _edit_page(
    request: CoalitionRequest,
    form: Any,
    template: str,
    save: Any,
    success: str,
    extra: dict[str, Any],
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save(form)
            except StaleEditError as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(success, request.coalition.slug)
    return render(request, template, {"form": form, **extra}, status=status)


def _delete(request: CoalitionRequest, remove: Any, obj: Any, back: str) -> HttpResponse:
    try:
        remove(obj, parse_version(request.POST.get("version")))
    except StaleEditError as error:
        return render(
            request, "systems/conflict.html", {"message": str(error), "back": back}, status=409
        )
    messages.success(request, _("Removed."))
    return redirect(back)


@coalition_view(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def factor_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = FactorForm(request.POST or None, coalition=coalition)

    def save(f: FactorForm) -> None:
        services.create_factor(coalition=coalition, actor=request.user, **f.fields_for_service())

    return _edit_page(
        request, form, "systems/factor_form.html", save, "systems:map", {"factor": None}
    )


@coalition_view(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def factor_edit(request: CoalitionRequest, factor_id: int) -> HttpResponse:
    factor = _get(selectors.get_factor, factor_id=factor_id)
    form = FactorForm(
        request.POST or None, coalition=request.coalition, initial=FactorForm.initial_for(factor)
    )

    def save(f: FactorForm) -> None:
        services.update_factor(
            factor=factor,
            actor=request.user,
            expected_version=f.cleaned_data["version"],
            **f.fields_for_service(),
        )

    return _edit_page(
        request, form, "systems/factor_form.html", save, "systems:map", {"factor": factor}
    )


@coalition_view(*ADMINS)
@require_POST
def factor_delete(request: CoalitionRequest, factor_id: int) -> HttpResponse:
    factor = _get(selectors.get_factor, factor_id=factor_id)
    return _delete(
        request,
        lambda obj, v: services.delete_factor(factor=obj, actor=request.user, expected_version=v),
        factor,
        reverse("systems:map", args=[request.coalition.slug]),
    )


@coalition_view(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def link_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = LinkForm(request.POST or None, coalition=coalition, initial={"polarity": "+"})

    def save(f: LinkForm) -> None:
        services.create_link(coalition=coalition, actor=request.user, **f.fields_for_service())

    return _edit_page(request, form, "systems/link_form.html", save, "systems:map", {"link": None})


@coalition_view(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def link_edit(request: CoalitionRequest, causal_link_id: int) -> HttpResponse:
    link = _get(selectors.get_link, link_id=causal_link_id)
    form = LinkForm(
        request.POST or None, coalition=request.coalition, initial=LinkForm.initial_for(link)
    )

    def save(f: LinkForm) -> None:
        services.update_link(
            link=link,
            actor=request.user,
            expected_version=f.cleaned_data["version"],
            **f.fields_for_service(),
        )

    return _edit_page(request, form, "systems/link_form.html", save, "systems:map", {"link": link})


@coalition_view(*ADMINS)
@require_POST
def link_delete(request: CoalitionRequest, causal_link_id: int) -> HttpResponse:
    link = _get(selectors.get_link, link_id=causal_link_id)
    return _delete(
        request,
        lambda obj, v: services.delete_link(link=obj, actor=request.user, expected_version=v),
        link,
        reverse("systems:map", args=[request.coalition.slug]),
    )


# --- the asset map ----------------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def asset_map(request: CoalitionRequest) -> HttpResponse:
    """The coalition's community assets on its counties, over the chosen equity layer."""
    coalition = request.coalition
    assets = list(selectors.list_assets(coalition=coalition))
    served = measurement.served_counties(coalition=coalition)
    layer = selectors.asset_layer(coalition=coalition)
    cells: list[Any] = []
    group_choices: list[tuple[str, str]] = [("total", measurement.group_label("total"))]
    period = ""
    if layer is not None:
        groups = measurement.groups(indicator=layer.indicator)
        group_choices = [(g, measurement.group_label(g)) for g in groups] or group_choices
        group = layer.group if layer.group in groups else "total"
        period = measurement.best_period(indicator=layer.indicator, counties=served)
        cells = selectors.layer_cells(
            indicator=layer.indicator, counties=served, period=period, group=group
        )
    names = dict(selectors.county_choices(coalition=coalition, counties=served))
    data = {
        "topology": static("measurement/counties-10m.json"),
        "counties": served,
        "higher_is_better": bool(layer and not layer.indicator.lower_is_better),
        "cells": [{"id": c.place, "name": c.name, "value": c.value, "text": c.text} for c in cells],
        "assets": [
            {
                "id": a.pk,
                "name": a.name,
                "category": a.category,
                "categoryLabel": str(a.get_category_display()),
                "county": a.county_code,
                "lat": a.latitude,
                "lon": a.longitude,
                "named": a.is_named,
            }
            for a in assets
        ],
        "labels": {
            "noData": _("no data or suppressed"),
            "named": _("named by residents in listening sessions"),
            "mapLabel": _(
                "Map of the coalition's counties and its community assets; the table below lists every asset"
            ),
        },
    }
    layer_text = {c.place: c for c in cells}
    is_admin = request.membership.role in ADMINS
    by_county: dict[str, int] = {}
    for a in assets:
        by_county[a.county_code] = by_county.get(a.county_code, 0) + 1
    context = {
        "assets": assets,
        "county_names": names,
        "county_rows": [(names[c], by_county.get(c, 0), layer_text.get(c)) for c in served],
        "asset_rows": [(a, names.get(a.county_code, ""), a.is_named) for a in assets],
        "layer": layer,
        "period": period,
        "cells": cells,
        "map_data": data,
        "can_edit": _can_edit(request),
        "is_admin": is_admin,
        # The admins' forms to change the map (their lists cost a query each).
        "layer_form": LayerForm(
            coalition=coalition,
            groups=group_choices,
            initial={
                "indicator": layer.indicator_id if layer else None,
                "group": layer.group if layer else "total",
            },
        )
        if is_admin
        else None,
        "actors_form": ActorAssetsForm(coalition=coalition) if is_admin else None,
    }
    return render(request, "systems/asset_map.html", context)


@coalition_view(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def asset_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = AssetForm(request.POST or None, coalition=coalition)

    def save(f: AssetForm) -> None:
        services.create_asset(coalition=coalition, actor=request.user, **f.fields_for_service())

    return _edit_page(
        request, form, "systems/asset_form.html", save, "systems:assets", {"asset": None}
    )


@coalition_view(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def asset_edit(request: CoalitionRequest, asset_id: int) -> HttpResponse:
    asset = _get(selectors.get_asset, asset_id=asset_id)
    form = AssetForm(
        request.POST or None, coalition=request.coalition, initial=AssetForm.initial_for(asset)
    )

    def save(f: AssetForm) -> None:
        services.update_asset(
            asset=asset,
            actor=request.user,
            expected_version=f.cleaned_data["version"],
            **f.fields_for_service(),
        )

    return _edit_page(
        request, form, "systems/asset_form.html", save, "systems:assets", {"asset": asset}
    )


@coalition_view(*ADMINS)
@require_POST
def asset_delete(request: CoalitionRequest, asset_id: int) -> HttpResponse:
    asset = _get(selectors.get_asset, asset_id=asset_id)
    return _delete(
        request,
        lambda obj, v: services.delete_asset(asset=obj, actor=request.user, expected_version=v),
        asset,
        reverse("systems:assets", args=[request.coalition.slug]),
    )


@coalition_view(*ADMINS)
@require_POST
def asset_layer(request: CoalitionRequest) -> HttpResponse:
    """Choose the equity layer the asset map is drawn over."""
    coalition = request.coalition
    indicator_id = request.POST.get("indicator", "")
    indicator = (
        selectors.layer_indicators(coalition=coalition).filter(pk=int(indicator_id)).first()
        if indicator_id.isdigit()
        else None
    )
    groups = measurement.groups(indicator=indicator) if indicator else []
    group = request.POST.get("group", "total")
    if group not in groups:
        group = "total"
    try:
        services.set_asset_layer(
            coalition=coalition, actor=request.user, indicator=indicator, group=group
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The asset map now shows this layer."))
    return redirect("systems:assets", coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def assets_from_actors(request: CoalitionRequest) -> HttpResponse:
    """Add the ecosystem actors that are community assets (clinics, churches, schools…)."""
    coalition = request.coalition
    try:
        created = services.add_assets_from_actors(
            coalition=coalition, actor=request.user, county_code=request.POST.get("county_code", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Added %(n)d assets from the ecosystem map.") % {"n": len(created)}
        )
    return redirect("systems:assets", coalition.slug)


# --- anchor commitments -----------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def anchors(request: CoalitionRequest) -> HttpResponse:
    """Each anchor institution's commitments, with progress by period against the target."""
    views = selectors.commitment_views(coalition=request.coalition)
    institutions: dict[str, list[selectors.CommitmentView]] = {}
    for view in views:
        institutions.setdefault(view.commitment.institution.name, []).append(view)
    context = {
        "institutions": sorted(institutions.items()),
        "can_edit": request.membership.role in ANCHOR_EDITORS,
        "progress_form": ProgressForm(),
    }
    return render(request, "systems/commitment_list.html", context)


@coalition_view(*ANCHOR_EDITORS)
@require_http_methods(["GET", "POST"])
def commitment_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = CommitmentForm(request.POST or None, coalition=coalition)

    def save(f: CommitmentForm) -> None:
        services.create_commitment(
            coalition=coalition, actor=request.user, **f.fields_for_service()
        )

    return _edit_page(
        request, form, "systems/commitment_form.html", save, "systems:anchors", {"commitment": None}
    )


@coalition_view(*ANCHOR_EDITORS)
@require_http_methods(["GET", "POST"])
def commitment_edit(request: CoalitionRequest, commitment_id: int) -> HttpResponse:
    commitment = _get(selectors.get_commitment, commitment_id=commitment_id)
    form = CommitmentForm(
        request.POST or None,
        coalition=request.coalition,
        initial=CommitmentForm.initial_for(commitment),
    )

    def save(f: CommitmentForm) -> None:
        services.update_commitment(
            commitment=commitment,
            actor=request.user,
            expected_version=f.cleaned_data["version"],
            **f.fields_for_service(),
        )

    return _edit_page(
        request,
        form,
        "systems/commitment_form.html",
        save,
        "systems:anchors",
        {"commitment": commitment},
    )


@coalition_view(*ANCHOR_EDITORS)
@require_POST
def progress_record(request: CoalitionRequest, commitment_id: int) -> HttpResponse:
    """Record the measure's value for a period (a second value for the period replaces it)."""
    commitment = _get(selectors.get_commitment, commitment_id=commitment_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.record_progress(commitment=commitment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Progress recorded."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[k].label}: {' '.join(str(e) for e in v)}"
                if k in form.fields
                else " ".join(str(e) for e in v)
                for k, v in form.errors.items()
            ),
        )
    return redirect("systems:anchors", request.coalition.slug)
