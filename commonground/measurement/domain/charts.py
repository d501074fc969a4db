"""Geometry for server-rendered SVG charts: plain numbers in, coordinates out.

A gap chart shows one dot per group with its confidence interval as a whisker, on a
shared horizontal scale, and a vertical line at the reference group's value. A trend
chart shows a series over years, its least-squares line, and the target.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    is_reference: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class BarGeometry:
    label: str
    y: float
    x: float | None  # None: nothing to draw (suppressed or missing)
    x_low: float | None
    x_high: float | None
    is_reference: bool
    note: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class GapChart:
    width: int
    height: int
    left: int
    bars: tuple[BarGeometry, ...]
    ticks: tuple[Tick, ...]
    reference_x: float | None


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[low, high]``.

    >>> nice_ticks(66.2, 81.9)
    [65.0, 70.0, 75.0, 80.0, 85.0]
    """
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.999:
        ticks.append(float(round(value, 10)))
        value += step
    return ticks


def gap_chart(
    bars: Sequence[Bar],
    *,
    width: int = 420,
    left: int = 130,
    row: int = 30,
    scale: float = 1.0,
    digits: int = 1,
) -> GapChart:
    """Lay out a gap chart; ``scale`` multiplies values for the tick labels (100 for %).

    >>> chart = gap_chart([Bar("White", 80, 79, 81, True), Bar("Black", 70, 68, 72)], width=300, left=100)
    >>> [round(b.x or 0) for b in chart.bars], round(chart.reference_x or 0)
    ([235, 145], 235)
    """
    numbers = [
        n
        for b in bars
        for n in (b.value, b.ci_low, b.ci_high)
        if n is not None and math.isfinite(n)
    ]
    ticks = nice_ticks(min(numbers), max(numbers)) if numbers else [0.0, 1.0]
    low, high = ticks[0], ticks[-1]
    right = width - 20

    def x(value: float | None) -> float | None:
        if value is None or not math.isfinite(value):
            return None
        return left + (value - low) / (high - low) * (right - left)

    geometry = tuple(
        BarGeometry(
            label=b.label,
            y=20 + i * row + row / 2,
            x=x(b.value),
            x_low=x(b.ci_low) if b.value is not None else None,
            x_high=x(b.ci_high) if b.value is not None else None,
            is_reference=b.is_reference,
            note=b.note,
        )
        for i, b in enumerate(bars)
    )
    reference = next((g.x for g in geometry if g.is_reference), None)
    tick_geometry = tuple(
        Tick(x(t) or 0.0, f"{t * scale:.{digits if scale == 1 else 0}f}") for t in ticks
    )
    return GapChart(
        width=width,
        height=20 + len(bars) * row + 30,
        left=left,
        bars=geometry,
        ticks=tick_geometry,
        reference_x=reference,
    )


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    label: str
    anchor: str = "middle"  # SVG text-anchor of the label


@dataclass(frozen=True, slots=True)
class TrendChart:
    width: int
    height: int
    points: tuple[Point, ...]
    line: str  # SVG polyline points of the series
    fit: str  # the least-squares line, extended to the target year ("" when none)
    needed: str  # from the latest point straight to the target ("" when no target)
    target: Point | None
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Point, ...]


def trend_chart(
    years: Sequence[float],
    values: Sequence[float],
    *,
    target_year: float | None = None,
    target_value: float | None = None,
    fit: tuple[float, float] | None = None,  # (intercept, slope)
    width: int = 420,
    height: int = 200,
    digits: int = 1,
) -> TrendChart:
    """Lay out a series over years with an optional target point and fitted line.

    >>> chart = trend_chart([2020, 2022], [10, 8], target_year=2030, target_value=5)
    >>> chart.points[0].x < chart.points[1].x < chart.target.x
    True
    """
    left, right, top, bottom = 56, width - 24, 28, height - 34
    xs = [*years, *([target_year] if target_year is not None else [])]
    ys = [*values, *([target_value] if target_value is not None else [])]
    if fit is not None and target_year is not None:
        ys.append(fit[0] + fit[1] * target_year)
    x0, x1 = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    y_ticks_values = nice_ticks(
        min([*ys, 0.0] if ys and min(ys) < 0 else ys or [0.0]), max(ys or [1.0]), 4
    )
    y0, y1 = y_ticks_values[0], y_ticks_values[-1]

    def px(t: float) -> float:
        return left + (t - x0) / (x1 - x0) * (right - left)

    def py(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * (bottom - top)

    points = tuple(
        # The first label starts at its point so that it clears the axis labels.
        Point(px(t), py(v), f"{v:.{digits}f}", "start" if px(t) <= left + 1 else "middle")
        for t, v in zip(years, values, strict=True)
    )
    fit_line = ""
    if fit is not None and years:
        end = target_year if target_year is not None else max(years)
        start = min(years)
        fit_line = f"{px(start):.1f},{py(fit[0] + fit[1] * start):.1f} {px(end):.1f},{py(fit[0] + fit[1] * end):.1f}"
    target = (
        Point(px(target_year), py(target_value), f"{target_value:.{digits}f}", "end")
        if target_year is not None and target_value is not None
        else None
    )
    needed = ""
    if target is not None and points:
        needed = f"{points[-1].x:.1f},{points[-1].y:.1f} {target.x:.1f},{target.y:.1f}"
    year_marks = sorted({int(t) for t in xs})
    return TrendChart(
        width=width,
        height=height,
        points=points,
        line=" ".join(f"{p.x:.1f},{p.y:.1f}" for p in points),
        fit=fit_line,
        needed=needed,
        target=target,
        x_ticks=tuple(Tick(px(t), str(t)) for t in year_marks),
        y_ticks=tuple(Point(left, py(v), f"{v:.{digits}f}", "end") for v in y_ticks_values),
    )
