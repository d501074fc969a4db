"""Geometry of the funding charts, drawn as SVG by the templates (no script needed).

Each function takes plain numbers and returns rectangles and lines in a fixed view box;
the templates add the labels and a table with the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
LEFT = 64  # room for the axis labels
TOP = 14  # room for the top tick label
BOTTOM = 28


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    key: str  # a type, or "below"/"secured"
    label: str
    value: float


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    value: float


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    ticks: list[Tick]
    x_labels: list[tuple[float, str]]
    line_y: float | None = None  # the budget line, when there is one
    line_value: float | None = None
    left: int = LEFT


def _nice_max(value: float) -> float:
    """A round number at or above ``value`` for the axis top.

    >>> _nice_max(83_000)
    100000.0
    """
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def _ticks(top: float, plot_height: float) -> list[Tick]:
    return [Tick(TOP + plot_height - plot_height * i / 4, top * i / 4) for i in range(5)]


def stacked_bars(columns: Sequence[tuple[str, Mapping[str, float]]], order: Sequence[str]) -> Chart:
    """One column per period, stacked by key in ``order`` (bottom first)."""
    plot_w, plot_h = WIDTH - LEFT, HEIGHT - BOTTOM - TOP
    top = _nice_max(max((sum(values.values()) for _, values in columns), default=0))
    slot = plot_w / max(len(columns), 1)
    bar = slot * 0.6
    rects: list[Rect] = []
    labels: list[tuple[float, str]] = []
    for i, (label, values) in enumerate(columns):
        x = LEFT + i * slot + (slot - bar) / 2
        base: float = TOP + plot_h
        for key in order:
            value = values.get(key, 0.0)
            if value <= 0:
                continue
            h = plot_h * value / top
            base -= h
            rects.append(Rect(x, base, bar, h, key, label, value))
        labels.append((x + bar / 2, label))
    return Chart(WIDTH, HEIGHT, rects, _ticks(top, plot_h), labels)


def cliff(points: Sequence[tuple[str, float]], monthly_budget: float | None) -> Chart:
    """Secured money per month, with the monthly budget as a line; months below it are
    marked ``below``."""
    plot_w, plot_h = WIDTH - LEFT, HEIGHT - BOTTOM - TOP
    top = _nice_max(max([v for _, v in points] + [monthly_budget or 0], default=0) * 1.05)
    slot = plot_w / max(len(points), 1)
    rects = []
    labels = []
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top
        below = monthly_budget is not None and value < monthly_budget
        rects.append(
            Rect(
                LEFT + i * slot + 1,
                TOP + plot_h - h,
                max(slot - 2, 1),
                h,
                "below" if below else "secured",
                label,
                value,
            )
        )
        if i % 6 == 0:
            labels.append((LEFT + i * slot + slot / 2, label))
    line = None if monthly_budget is None else TOP + plot_h - plot_h * monthly_budget / top
    return Chart(WIDTH, HEIGHT, rects, _ticks(top, plot_h), labels, line, monthly_budget)


def horizontal_bars(rows: Sequence[tuple[str, float]]) -> Chart:
    """One bar per row (a share of 0-1), top to bottom."""
    row_h = 26
    height = max(len(rows), 1) * row_h + 8
    plot_w = WIDTH - 220
    rects = [
        Rect(210, 4 + i * row_h, plot_w * max(value, 0.0), row_h - 8, "share", label, value)
        for i, (label, value) in enumerate(rows)
    ]
    return Chart(WIDTH, height, rects, [], [])
