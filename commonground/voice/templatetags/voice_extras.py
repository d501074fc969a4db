"""Small template helpers of the voice pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or None (dicts and objects with ``__getitem__``)."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


@register.filter
def two(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@register.filter
def bar_class(share: float | None) -> str:
    """A CSS width class (w0 … w20, steps of 5 %) for a share; no inline style (CSP)."""
    if share is None:
        return "w0"
    return f"w{max(0, min(20, round(share * 20)))}"
