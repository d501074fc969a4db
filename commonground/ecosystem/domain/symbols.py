"""SVG paths of d3's seven fill symbols, so that pages drawn on the server (the legend, the
power map) show the same shapes as the map the browser draws with ``d3.symbol``.

Each path is centred on 0,0 and has the area ``size`` (in square pixels), with the
formulas of d3-shape 3 (``symbolCircle`` … ``symbolWye``).
"""

from __future__ import annotations

import math

SYMBOLS = ("circle", "cross", "diamond", "square", "star", "triangle", "wye")

_SQRT3 = math.sqrt(3)
_TAN30 = math.sqrt(1 / 3)
_KA = 0.8908130915292852
_KR = math.sin(math.pi / 10) / math.sin(7 * math.pi / 10)
_KX = math.sin(2 * math.pi / 10) * _KR
_KY = -math.cos(2 * math.pi / 10) * _KR
_WYE_K = 1 / math.sqrt(12)
_WYE_A = (_WYE_K / 2 + 1) * 3


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _polygon(points: list[tuple[float, float]]) -> str:
    head, *rest = points
    return (
        f"M{_fmt(head[0])},{_fmt(head[1])}"
        + "".join(f"L{_fmt(x)},{_fmt(y)}" for x, y in rest)
        + "Z"
    )


def symbol_path(name: str, size: float = 64) -> str:
    """Return the SVG path of symbol ``name`` with area ``size``; unknown names are circles.

    >>> symbol_path("square", 16)
    'M-2,-2L2,-2L2,2L-2,2Z'
    >>> symbol_path("circle", math.pi)
    'M1,0A1,1,0,1,1,-1,0A1,1,0,1,1,1,0Z'
    """
    if name == "square":
        w = math.sqrt(size) / 2
        return _polygon([(-w, -w), (w, -w), (w, w), (-w, w)])
    if name == "triangle":
        y = -math.sqrt(size / (_SQRT3 * 3))
        return _polygon([(0, y * 2), (-_SQRT3 * y, -y), (_SQRT3 * y, -y)])
    if name == "diamond":
        y = math.sqrt(size / (_TAN30 * 2))
        x = y * _TAN30
        return _polygon([(0, -y), (x, 0), (0, y), (-x, 0)])
    if name == "cross":
        r = math.sqrt(size / 5) / 2
        return _polygon(
            [
                (-3 * r, -r),
                (-r, -r),
                (-r, -3 * r),
                (r, -3 * r),
                (r, -r),
                (3 * r, -r),
                (3 * r, r),
                (r, r),
                (r, 3 * r),
                (-r, 3 * r),
                (-r, r),
                (-3 * r, r),
            ]
        )
    if name == "star":
        r = math.sqrt(size * _KA)
        x, y = _KX * r, _KY * r
        points = [(0.0, -r), (x, y)]
        for i in range(1, 5):
            a = 2 * math.pi * i / 5
            c, s = math.cos(a), math.sin(a)
            points.append((s * r, -c * r))
            points.append((c * x - s * y, s * x + c * y))
        return _polygon(points)
    if name == "wye":
        c, s = -0.5, _SQRT3 / 2
        r = math.sqrt(size / _WYE_A)
        x0, y0 = r / 2, r * _WYE_K
        x1, y1 = x0, r * _WYE_K + r
        x2, y2 = -x1, y1
        return _polygon(
            [
                (x0, y0),
                (x1, y1),
                (x2, y2),
                (c * x0 - s * y0, s * x0 + c * y0),
                (c * x1 - s * y1, s * x1 + c * y1),
                (c * x2 - s * y2, s * x2 + c * y2),
                (c * x0 + s * y0, c * y0 - s * x0),
                (c * x1 + s * y1, c * y1 - s * x1),
                (c * x2 + s * y2, c * y2 - s * x2),
            ]
        )
    r = math.sqrt(size / math.pi)
    return f"M{_fmt(r)},0A{_fmt(r)},{_fmt(r)},0,1,1,{_fmt(-r)},0A{_fmt(r)},{_fmt(r)},0,1,1,{_fmt(r)},0Z"
