"""Money, shares and months as the funding pages show them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

from commonground.funding.domain import months
from commonground.funding.models import FundingKind

register = template.Library()


@register.filter
def money(value: Decimal | Fraction | float | int | None) -> str:
    """``$12,500`` (whole dollars), or an em dash for nothing."""
    if value is None or value == "":
        return "—"
    return "$" + number_format(round(float(value)), 0, force_grouping=True)


@register.filter
def percent(value: Fraction | float | None) -> str:
    if value is None:
        return "—"
    return number_format(float(value) * 100, 1) + "%"


@register.filter
def month_label(value: int | None) -> str:
    return "—" if value is None else months.label(value)


@register.filter
def kind_label(value: str) -> str:
    try:
        return str(FundingKind(value).label)
    except ValueError:
        return value


@register.filter
def num(value: float) -> str:
    return f"{float(value):.2f}"


@register.filter
def short_money(value: float) -> str:
    """An axis label: ``$1.5M``, ``$200k``, ``$950``."""
    amount = float(value)
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:g}M"
    if amount >= 1_000:
        return f"${amount / 1_000:g}k"
    return f"${amount:g}"


@register.filter
def decimal2(value: Fraction | float | None) -> str:
    """A number with two decimals in the reader's language (for people, not for SVG)."""
    return "—" if value is None else number_format(float(value), 2)
