"""The one permission and tenancy layer for pages and the API.

Every view declares who may open it with exactly one of these decorators:

- ``@public`` — anyone, signed in or not (sign-in page, invitation links, the guide);
- ``@signed_in`` — any signed-in person, no coalition involved (the coalition chooser);
- ``@coalition_view(*roles)`` — members of the coalition named by the URL's
  ``coalition_slug`` whose role is in ``roles``.

``AccessPolicyMiddleware`` answers 404 for any view that declares nothing, so a
page added without a decision is closed rather than open (deny by default).

For a coalition view the decorator resolves the membership and runs the view
inside ``scope(coalition=...)``, so every tenant query in it is filtered to that
coalition. A person who is not a member gets 404, never 403: the page of another
coalition must look exactly like a page that does not exist. A member whose role
is not allowed gets 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import Coalition, Membership

Role = Membership.Role
ALL_ROLES = frozenset(Role.values)
CONTRIBUTORS = frozenset({Role.BACKBONE_ADMIN, Role.PARTNER, Role.COMMUNITY_MEMBER})
ADMINS = frozenset({Role.BACKBONE_ADMIN})

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    kind: Literal["public", "signed_in", "coalition"]
    roles: frozenset[str] = frozenset()


class CoalitionRequest(HttpRequest):
    """A request inside a coalition view: the membership is resolved and scoped."""

    coalition: Coalition
    membership: Membership


def find_membership(*, user: Any, coalition_slug: str) -> Membership:
    """Return the signed-in ``user``'s membership of the coalition, or raise ``Http404``.

    This is the one place that reads a membership across coalitions, so it runs with
    scopes disabled and filters by the person itself.
    """
    if not user.is_authenticated or not user.is_active:
        raise Http404
    with scopes_disabled():
        membership = (
            Membership.objects.select_related("coalition", "user")
            .filter(user=user, coalition__slug=coalition_slug)
            .first()
        )
    if membership is None:
        raise Http404
    return membership


def check_role(membership: Membership, roles: Iterable[str]) -> None:
    if membership.role not in roles:
        raise PermissionDenied


def public(view: View) -> View:
    view.access_policy = AccessPolicy("public")  # type: ignore[attr-defined]
    return view


def signed_in(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access_policy = AccessPolicy("signed_in")  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def coalition_view(*roles: str) -> Callable[[View], View]:
    """Open the view to members of the URL's coalition whose role is one of ``roles``."""
    allowed = frozenset(roles)
    if not allowed or not allowed <= ALL_ROLES:
        raise ValueError(f"coalition_view needs roles from {sorted(ALL_ROLES)}; got {roles}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, coalition_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = find_membership(user=request.user, coalition_slug=coalition_slug)
            check_role(membership, allowed)
            request.coalition = membership.coalition  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            with scope(coalition=membership.coalition):
                response = view(request, *args, **kwargs)
                # A lazy TemplateResponse must render while the scope is still active.
                render = getattr(response, "render", None)
                if callable(render) and not getattr(response, "is_rendered", True):
                    response = render()
            return response

        wrapper.access_policy = AccessPolicy("coalition", allowed)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


class AccessPolicyMiddleware:
    """Refuse (404) any view that has not declared an access policy.

    Django's admin and the JSON API carry their own checks (staff status; the API's
    per-operation decorators in ``commonground.api.access``), so they are let through here.
    """

    exempt_namespaces = frozenset({"admin", "api"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if getattr(view_func, "access_policy", None) is not None:
            return None
        match = request.resolver_match
        if match is not None and match.namespaces and match.namespaces[0] in self.exempt_namespaces:
            return None
        raise Http404
