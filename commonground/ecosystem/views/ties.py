"""Ties entered by the backbone: add, edit, remove. Each view declares its access policy
(``coalitions.access``), parses its input, makes one call to selectors or services, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonground.coalitions.access import (
    ADMINS,
    CoalitionRequest,
    coalition_view,
)
from commonground.ecosystem import selectors, services
from commonground.ecosystem.forms import (
    TieEditForm,
    TieForm,
    parse_int,
)
from commonground.ecosystem.models import Tie
from commonground.ecosystem.views._common import (
    _add_errors,
    _conflict,
    _stale,
)
from commonground.lib.versioning import StaleEditError, parse_version


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
