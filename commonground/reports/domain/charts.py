"""Vector charts for the impact report, drawn as SVG text from plain numbers.

The same SVG goes into the HTML page, the PDF (WeasyPrint draws it as vectors) and the
chart export. Only presentation attributes are used (no ``style``), so the page's
Content Security Policy allows them inline. Every label is XML-escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

PALETTE = (
    "#1b6b93",
    "#c2571a",
    "#2e8540",
    "#8a4f9e",
    "#b8860b",
    "#5a6f7a",
    "#c23b5a",
    "#3d8c8c",
    "#6b6b00",
    "#7a3b1f",
)
FONT = "DejaVu Sans, Arial, sans-serif"


class ChartError(ValueError):
    """A chart was asked for with values it cannot draw."""


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None  # None: nothing drawn (suppressed or missing)
    text: str  # the value as the reader sees it ("72.4 years", "suppressed")
    highlight: bool = False


def _num(value: float) -> str:
    """A coordinate with one decimal and a dot, whatever the language.

    >>> _num(3.14159), _num(2.0)
    ('3.1', '2')
    """
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def bar_chart(bars: Sequence[Bar], *, title: str, maximum: float | None = None) -> str:
    """Horizontal bars, one a row, scaled to ``maximum`` (default: the largest value).

    >>> svg = bar_chart([Bar("A", 2.0, "2"), Bar("B", None, "hidden")], title="T")
    >>> svg.count("<rect"), "hidden" in svg
    (4, True)
    """
    if not bars:
        raise ChartError("no bars")
    values = [b.value for b in bars if b.value is not None]
    if any(v < 0 for v in values):
        raise ChartError("negative values")
    top = maximum if maximum is not None else max(values, default=0.0)
    top = top or 1.0
    label_w, bar_w, text_w, row_h = 210, 280, 130, 26
    width = label_w + bar_w + text_w
    height = row_h * len(bars) + 12
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title, _ATTR)}" '
        f'font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for row, bar in enumerate(bars):
        y = 6 + row * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{_num(y + 16)}" text-anchor="end" fill="#222">'
            f"{escape(_clip(bar.label, 27))}</text>"
        )
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 8}" fill="#eef1f4"/>'
        )
        if bar.value is not None:
            length = bar_w * min(bar.value / top, 1.0)
            colour = PALETTE[1] if bar.highlight else PALETTE[0]
            out.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{_num(length)}" height="{row_h - 8}" '
                f'fill="{colour}"/>'
            )
        out.append(
            f'<text x="{label_w + bar_w + 8}" y="{_num(y + 16)}" fill="#222">'
            f"{escape(bar.text)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    group: int  # index into the legend


def network_chart(
    nodes: Sequence[Node],
    edges: Sequence[tuple[str, str]],
    *,
    legend: Sequence[str],
    title: str,
) -> str:
    """The network on a circle, members of one group side by side; no names drawn.

    Node ``i`` of ``n`` sits at angle ``2πi/n`` (after sorting by group), so the drawing
    depends only on the data and is the same in every rendering.

    >>> svg = network_chart([Node("a", 0), Node("b", 1)], [("a", "b")], legend=["X", "Y"],
    ...                     title="Map")
    >>> svg.count("<circle"), svg.count("<line")
    (4, 1)
    """
    size, radius = 360, 140
    centre = size / 2
    ordered = sorted(nodes, key=lambda n: (n.group, n.id))
    where: dict[str, tuple[float, float]] = {}
    for index, node in enumerate(ordered):
        angle = 2 * math.pi * index / max(len(ordered), 1) - math.pi / 2
        where[node.id] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    legend_h = 20 * len(legend)
    height = size + legend_h + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {height}" '
        f'width="{size}" height="{height}" role="img" aria-label="{escape(title, _ATTR)}" '
        f'font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{size}" height="{height}" fill="#ffffff"/>',
    ]
    for source, target in edges:
        if source in where and target in where and source != target:
            (x1, y1), (x2, y2) = where[source], where[target]
            out.append(
                f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
                'stroke="#8a99a6" stroke-width="1" stroke-opacity="0.7"/>'
            )
    for node in ordered:
        x, y = where[node.id]
        colour = PALETTE[node.group % len(PALETTE)]
        out.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="7" fill="{colour}" '
            'stroke="#ffffff" stroke-width="1.5"/>'
        )
    for index, name in enumerate(legend):
        y = size + 10 + 20 * index
        colour = PALETTE[index % len(PALETTE)]
        out.append(f'<circle cx="16" cy="{y}" r="6" fill="{colour}"/>')
        out.append(f'<text x="30" y="{y + 4}" fill="#222">{escape(_clip(name, 48))}</text>')
    out.append("</svg>")
    return "".join(out)


def progress_chart(rows: Sequence[tuple[str, int]], *, title: str) -> str:
    """One bar per row, as a percent of 100 (a roadmap chapter's progress).

    >>> "50%" in progress_chart([("Chapter", 50)], title="Roadmap")
    True
    """
    return bar_chart(
        [Bar(label, float(max(0, min(percent, 100))), f"{percent}%") for label, percent in rows],
        title=title,
        maximum=100.0,
    )


_ATTR = {'"': "&quot;"}


def _clip(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters with an ellipsis.

    >>> _clip("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= length else text[: length - 1] + "…"
