"""The coalition's navigation bar, filled by every app from its ``AppConfig.ready``.

``register(label, url_name, order=…, roles=…)`` adds a tab; the bar shows the tabs the
current member's role may open, in ``order``. Coalitions imports no other app for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from commonground.coalitions.models import Membership


@dataclass(frozen=True, slots=True)
class Tab:
    label: str | Promise
    url_name: str
    order: int
    roles: frozenset[str]
    section: str  # the tab is current on any page under c/<slug>/<section>


_tabs: dict[str, Tab] = {}


def register(
    label: str | Promise,
    url_name: str,
    *,
    order: int,
    roles: Iterable[str] = Membership.Role.values,
    section: str = "",
) -> None:
    _tabs[url_name] = Tab(label, url_name, order, frozenset(roles), section.strip("/"))


def tabs_for(membership: Membership, current_path: str) -> list[dict[str, object]]:
    """The tabs ``membership`` may open, each with its URL and whether it is the current one."""
    slug = membership.coalition.slug
    result: list[dict[str, object]] = []
    for tab in sorted(_tabs.values(), key=lambda t: t.order):
        if membership.role not in tab.roles:
            continue
        url = reverse(tab.url_name, args=[slug])
        if tab.section:
            is_current = current_path.startswith(f"/c/{slug}/{tab.section}/")
        else:
            is_current = current_path == url or (
                url.count("/") > 3 and current_path.startswith(url)
            )
        result.append({"label": tab.label, "url": url, "is_current": is_current})
    return result
