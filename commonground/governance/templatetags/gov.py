"""Filters of the governance pages: shares as percentages, gauge widths, choice labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from commonground.governance.models import SeatType, Support

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """0.625 -> "62.5%" (one decimal only when needed); None -> "—"."""
    if value is None or value == "":
        return "—"
    number = round(float(value) * 100, 1)
    if number == int(number):
        return f"{int(number)}%"
    return f"{number_format(number, 1)}%"


@register.filter
def scale(value: Any, width: int) -> str:
    """A share as a length of ``width`` units (an SVG attribute, not a style)."""
    if value is None:
        return "0"
    return f"{max(0.0, min(1.0, float(value))) * int(width):.2f}"


@register.filter
def get(mapping: Mapping[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def supports(values: Iterable[str]) -> str:
    labels = dict(Support.choices)
    return ", ".join(str(labels.get(v, v)) for v in values)


@register.filter
def seat_types(counts: Mapping[str, int]) -> str:
    labels = dict(SeatType.choices)
    return ", ".join(
        _("%(type)s: %(n)d") % {"type": labels.get(t, t), "n": n} for t, n in sorted(counts.items())
    )
