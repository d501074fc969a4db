"""Small template helpers for the assessment pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Mapping[str, Any] | None, key: Any) -> Any:
    """``{{ labels|get:view }}``: look a key up in a mapping (``None`` when absent)."""
    if mapping is None:
        return None
    getter = getattr(mapping, "get", None)
    return getter(key) if callable(getter) else None


@register.filter
def signed(value: float | None, digits: int = 1) -> str:
    """A change or gap with its sign: +0.4, -1.2, or an en dash when unknown."""
    if value is None:
        return "–"
    if round(value, digits) == 0:
        return f"{0:.{digits}f}"
    return f"{value:+.{digits}f}"


@register.filter
def one_decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


@register.filter
def bar_width(count: int, total: int) -> str:
    """A CSS class for a bar ``count / total`` wide, in steps of 10% (no inline styles)."""
    if not total:
        return "bar-w-0"
    return f"bar-w-{round(10 * count / total) * 10}"


@register.filter
def position_class(value: float | None) -> str:
    """A CSS class placing a 0-100 marker in steps of 5%."""
    if value is None:
        return "at-none"
    return f"at-{round(value / 5) * 5}"


@register.simple_tag
def value_of(values: Any, name: str, default: str = "") -> str:
    """The posted value of a field when a form comes back with an error."""
    getter = getattr(values, "get", None)
    found = getter(name) if callable(getter) else None
    return str(found) if found is not None else default


@register.filter
def current_status(statuses: Any) -> Any:
    """The status of the coalition's current stage among a stage result's ``stages``."""
    return next((status for status in statuses or () if status.is_current), None)


@register.filter
def framework_item(item_id: str) -> Any:
    """A stage statement (characteristic or infrastructure) by its framework id."""
    from commonground import framework

    try:
        return framework.get_item(item_id)
    except framework.UnknownFrameworkId:
        return None
