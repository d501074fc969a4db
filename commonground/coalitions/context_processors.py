from __future__ import annotations

from django.http import HttpRequest

from commonground.coalitions import nav, selectors


def coalition_nav(request: HttpRequest) -> dict[str, object]:
    """The current coalition and membership (inside coalition views) for the page chrome.

    The switcher's list is loaded lazily, only when a template shows it.
    """
    membership = getattr(request, "membership", None)
    return {
        "coalition": getattr(request, "coalition", None),
        "membership": membership,
        "coalition_tabs": nav.tabs_for(membership, request.path) if membership else [],
        "my_memberships": lambda: selectors.list_memberships_for_user(user=request.user),
    }
