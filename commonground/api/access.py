"""Authentication and the per-operation access declarations of the JSON API.

Operations use the same rules as pages (``commonground.coalitions.access``):
``@api_public``, ``@api_signed_in`` or ``@api_coalition(*roles)``. A non-member
asking about a coalition gets 404, a member without the role 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django_scopes import scope
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from commonground.accounts.models import ApiToken
from commonground.coalitions.access import ALL_ROLES, AccessPolicy, check_role, find_membership

F = TypeVar("F", bound=Callable[..., Any])


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cg_…`` with a token from the API tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Expired and revoked tokens do not authenticate: the API answers 401.
        found = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        if found.last_used_on != date.today():
            ApiToken.objects.filter(pk=found.pk).update(last_used_on=date.today())
        request.user = found.user
        return found.user


AUTH = [TokenAuth(), SessionAuth()]


def _materialize(result: Any) -> Any:
    # Querysets of tenant models must be read while the scope is active.
    if isinstance(result, QuerySet):
        return list(result)
    return result


def api_public(func: F) -> F:
    func.access_policy = AccessPolicy("public")  # type: ignore[attr-defined]
    return func


def api_signed_in(func: F) -> F:
    func.access_policy = AccessPolicy("signed_in")  # type: ignore[attr-defined]
    return func


def api_coalition(*roles: str) -> Callable[[F], F]:
    allowed = frozenset(roles)
    if not allowed or not allowed <= ALL_ROLES:
        raise ValueError(f"api_coalition needs roles from {sorted(ALL_ROLES)}; got {roles}")

    def decorate(func: F) -> F:
        @wraps(func)
        def wrapper(request: HttpRequest, coalition_slug: str, *args: Any, **kwargs: Any) -> Any:
            membership = find_membership(user=request.user, coalition_slug=coalition_slug)
            try:
                check_role(membership, allowed)
            except Exception:
                raise HttpError(403, "Your role in this coalition does not allow this.") from None
            request.coalition = membership.coalition  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            with scope(coalition=membership.coalition):
                return _materialize(func(request, coalition_slug, *args, **kwargs))

        wrapper.access_policy = AccessPolicy("coalition", allowed)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
