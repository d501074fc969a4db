"""Exports (network formats, data) and the import of actors and ties. Each view declares its access
policy (``coalitions.access``), parses its input, makes one call to selectors or services, and
renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
)
from commonground.ecosystem import exchange, policy, selectors
from commonground.ecosystem.forms import (
    ImportForm,
)
from commonground.ecosystem.views._common import (
    sector_name,
)


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
