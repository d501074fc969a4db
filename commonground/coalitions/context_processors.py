from __future__ import annotations

from django.http import HttpRequest

from commonground.coalitions import selectors


def coalition_nav(request: HttpRequest) -> dict[str, object]:
    """The current coalition and membership (inside coalition views) for the page chrome.

    The switcher's list is loaded lazily, only when a template shows it.
    """
    return {
        "coalition": getattr(request, "coalition", None),
        "membership": getattr(request, "membership", None),
        "my_memberships": lambda: selectors.list_memberships_for_user(user=request.user),
    }
