"""The funding charts' bars as SVG markup, built in one pass (a chart has dozens of bars;
one template node per attribute made the pages slow). Every text is escaped."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from commonground.funding.domain.charts import Chart
from commonground.funding.templatetags.funding_tags import kind_label, money, percent, short_money

register = template.Library()


def _n(value: float) -> str:
    """A coordinate with two decimals, always with a dot (SVG is not localized)."""
    return f"{value:.2f}"


@register.simple_tag
def chart_grid(chart: Chart) -> SafeString:
    """Horizontal grid lines with their axis labels."""
    return format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="tick" x="{}" y="{}" text-anchor="end" dy="4">{}</text>',
        (
            (
                chart.left,
                chart.width,
                _n(t.y),
                _n(t.y),
                chart.left - 4,
                _n(t.y),
                short_money(t.value),
            )
            for t in chart.ticks
        ),
    )


@register.simple_tag
def chart_bars(chart: Chart, kind: str = "") -> SafeString:
    """The bars; ``kind="mix"`` colours them by funding type, ``"share"`` labels shares."""
    if kind == "mix":
        rows = (
            (
                "k-" + r.key,
                r.x,
                r.y,
                r.width,
                r.height,
                f"{r.label} · {kind_label(r.key)}: {money(r.value)}",
            )
            for r in chart.rects
        )
    elif kind == "share":
        rows = (
            (r.key, r.x, r.y, r.width, r.height, f"{r.label}: {percent(r.value)}")
            for r in chart.rects
        )
    else:
        rows = (
            (r.key, r.x, r.y, r.width, r.height, f"{r.label}: {money(r.value)}")
            for r in chart.rects
        )
    return format_html_join(
        "",
        '<rect class="bar {}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        ((key, _n(x), _n(y), _n(w), _n(h), title) for key, x, y, w, h, title in rows),
    )


@register.simple_tag
def chart_x_labels(chart: Chart) -> SafeString:
    return format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_n(x), chart.height - 8, label) for x, label in chart.x_labels),
    )
