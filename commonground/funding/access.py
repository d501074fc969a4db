"""Who sees funding details: the roles the coalition chooses (default: backbone admins and
partners, not community members or viewers).

A funding page or API operation admits every member at the door (``coalition_view``) and
then asks ``selectors.can_see``; a member whose role the coalition has not chosen gets 403,
exactly like a role a decorator leaves out. The declared policy (what the access matrix
reads) is the default choice, ``DEFAULT_ROLES``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import HttpError

from commonground.api.access import api_coalition
from commonground.coalitions.access import ALL_ROLES, AccessPolicy, coalition_view
from commonground.coalitions.models import Membership
from commonground.funding import selectors

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_ROLES = frozenset({Membership.Role.BACKBONE_ADMIN, *selectors.DEFAULT_VISIBLE_ROLES})


def funding_view(view: F) -> F:
    """A page that shows funding details to the roles the coalition chose."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not selectors.can_see(request.membership):  # type: ignore[attr-defined]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper = coalition_view(*ALL_ROLES)(checked)
    wrapper.access_policy = AccessPolicy("coalition", DEFAULT_ROLES)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def api_funding(func: F) -> F:
    """An API operation that shows funding details to the roles the coalition chose."""

    @wraps(func)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not selectors.can_see(request.membership):  # type: ignore[attr-defined]
            raise HttpError(403, "Your role in this coalition does not see funding details.")
        return func(request, *args, **kwargs)

    wrapper = api_coalition(*ALL_ROLES)(checked)
    wrapper.access_policy = AccessPolicy("coalition", DEFAULT_ROLES)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
