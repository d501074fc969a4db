"""Drawing helpers for measurement pages.

A dashboard draws a dozen gap charts of a few dozen SVG elements each. Drawing their
marks here, from numbers the selectors have already formatted (``GapChartText``),
costs a small part of what the same markup costs as template tags.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commonground.measurement.selectors import BarText, GapChartText

register = template.Library()


def _bar(bar: BarText, label_x: int, left_text: str) -> str:
    y = escape(bar.y)
    label = (
        f'<text class="label" x="{label_x}" y="{y}" dy="0.35em" text-anchor="end">'
        f"{escape(bar.label)}</text>"
    )
    if bar.x is None:
        note = escape(bar.note or _("no value"))
        drawn = f'\n      <text class="note" x="{escape(left_text)}" y="{y}" dy="0.35em">{note}</text>\n    '
    else:
        x = escape(bar.x)
        whisker = (
            f'<line class="whisker" x1="{escape(bar.x_low)}" x2="{escape(bar.x_high)}" '
            f'y1="{y}" y2="{y}"></line>'
            if bar.x_low is not None and bar.x_high is not None
            else ""
        )
        dot = "dot" + (" ref" if bar.is_reference else "") + (" weak" if bar.note else "")
        note = (
            f'<text class="note" x="{x}" y="{y}" dx="10" dy="-8">{escape(bar.note)}</text>'
            if bar.note
            else ""
        )
        drawn = (
            f"\n      {whisker}"
            f'\n      <circle class="{dot}" cx="{x}" cy="{y}" r="6"></circle>'
            f"\n      {note}\n    "
        )
    return f"\n    {label}\n    {drawn}\n  "


@register.simple_tag
def gap_chart_marks(chart: GapChartText) -> SafeString:
    """The grid, ticks, reference line and one row per group of a gap chart's SVG.

    Every text is escaped here, so the markup is safe to show as it is.
    """
    grid_bottom, tick_y = chart.height - 28, chart.height - 10
    ticks = "".join(
        f'<line class="grid" x1="{escape(x)}" x2="{escape(x)}" y1="14" y2="{grid_bottom}"></line>'
        f'<text class="tick" x="{escape(x)}" y="{tick_y}" text-anchor="middle">{escape(label)}</text>'
        for x, label in chart.ticks
    )
    reference = ""
    if chart.reference_x:
        x = escape(chart.reference_x)
        reference = f'<line class="reference" x1="{x}" x2="{x}" y1="10" y2="{grid_bottom}"></line>'
    bars = "".join(_bar(bar, chart.left - 10, chart.left_text) for bar in chart.bars)
    return mark_safe(f"  {ticks}\n  {reference}\n  {bars}\n")  # nosec B308 B703
