from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonground import framework
from commonground.coalitions.access import public


@public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "guide/guide_index.html",
        {
            "pillars": framework.PILLARS,
            "stages": framework.STAGES,
            "roles": framework.ROLES,
            "decision_points": framework.DECISION_POINTS,
            "domains": framework.DOMAINS,
            "chapters": framework.CHAPTERS,
            "tactics": framework.TACTICS,
            "features": framework.FEATURES,
        },
    )


def _detail(
    request: HttpRequest, template: str, items: tuple[Any, ...], item_id: str, name: str
) -> HttpResponse:
    position = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if position is None:
        raise Http404
    context = {
        name: items[position],
        "previous": items[position - 1] if position > 0 else None,
        "next": items[position + 1] if position + 1 < len(items) else None,
        "all": items,
    }
    return render(request, template, context)


def _detail_view(template: str, items: tuple[Any, ...], name: str) -> Callable[..., HttpResponse]:
    @public
    @require_GET
    def view(request: HttpRequest, item_id: str) -> HttpResponse:
        return _detail(request, template, items, item_id, name)

    view.__name__ = f"{name}_detail"
    return view


pillar = _detail_view("guide/pillar_detail.html", framework.PILLARS, "pillar")
stage = _detail_view("guide/stage_detail.html", framework.STAGES, "stage")
role = _detail_view("guide/role_detail.html", framework.ROLES, "role")
