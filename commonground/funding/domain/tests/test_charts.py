"""Chart geometry: bars sit on the axis and the budget line sits at its value."""

from __future__ import annotations

import pytest

from commonground.funding.domain import charts


def test_cliff_bars_stand_on_the_axis_and_the_line_marks_the_budget() -> None:
    chart = charts.cliff([("2026-01", 100.0), ("2026-02", 50.0)], monthly_budget=80.0)
    axis = chart.ticks[0].y  # the $0 tick
    assert all(r.y + r.height == pytest.approx(axis) for r in chart.rects)
    assert [r.key for r in chart.rects] == ["secured", "below"]
    top = chart.ticks[-1]
    assert chart.line_y == pytest.approx(axis - (axis - top.y) * 80.0 / top.value)
    assert chart.left == charts.LEFT and all(r.x >= charts.LEFT for r in chart.rects)


def test_stacked_bars_stack_to_the_column_total() -> None:
    chart = charts.stacked_bars([("2025", {"a": 30.0, "b": 70.0})], ["a", "b"])
    a, b = chart.rects
    assert a.y + a.height == pytest.approx(chart.ticks[0].y)
    assert b.y + b.height == pytest.approx(a.y)
    assert (a.height + b.height) / (chart.ticks[0].y - chart.ticks[-1].y) == pytest.approx(
        100.0 / chart.ticks[-1].value
    )
