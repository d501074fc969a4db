"""Template helpers shared by every page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def tr(text: Any) -> str:
    """Render bilingual framework text in the active language: ``{{ pillar.name|tr }}``."""
    if text is None:
        return ""
    getter = getattr(text, "get", None)
    if callable(getter):
        return str(getter(get_language() or "en"))
    return str(text)


@register.filter
def percent(share: float | None) -> str:
    """A 0-1 share as a whole percentage, or an en dash when unknown."""
    if share is None:
        return "–"
    return f"{round(100 * share)}%"


@register.simple_tag(takes_context=True)
def url_replace(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()
