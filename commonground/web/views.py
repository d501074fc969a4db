from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from commonground.coalitions.access import public

set_language_view = public(set_language)


@public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Signed-in people go to their coalitions; everyone else sees what CommonGround is."""
    if request.user.is_authenticated:
        return redirect("coalitions:choose")
    return render(request, "web/index.html")


@public
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
