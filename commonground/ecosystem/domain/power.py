"""The power map's drawing: where each placed actor goes on the influence × alignment grid,
its family's colour and shape, its name placed without overlap, and the four corners.

Influence (0-100) runs up, alignment with the coalition's goals (0-100) runs right; the
lines at 50 split the grid into champions (influential and aligned), actors to engage
(influential, less aligned), actors to lift up (aligned, less influential) and actors to
watch. Names are placed most influential first (:mod:`.labels`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from commonground.ecosystem.domain.families import family_of
from commonground.ecosystem.domain.labels import (
    Box,
    Placement,
    Point,
    estimate_width,
    place_labels,
)
from commonground.ecosystem.domain.symbols import symbol_path

Corner = Literal["champions", "to_engage", "to_lift", "to_watch"]
CORNERS: tuple[Corner, ...] = ("champions", "to_engage", "to_lift", "to_watch")


@dataclass(frozen=True, slots=True)
class Placed:
    """An actor the backbone placed: ids and values in, as the page lists them."""

    id: str
    name: str
    sector: str | None
    influence: int
    alignment: int


@dataclass(frozen=True, slots=True)
class Mark:
    """One actor drawn on the grid; ``label`` is ``None`` when its name found no room."""

    id: str
    name: str
    x: float
    y: float
    color: str
    path: str
    corner: Corner
    label: Placement | None

    @property
    def label_dx(self) -> float:
        """The label's text position relative to the mark (0 when it has no label)."""
        return 0.0 if self.label is None else round(self.label.text_x - self.x, 1)

    @property
    def label_dy(self) -> float:
        return 0.0 if self.label is None else round(self.label.text_y - self.y, 1)


@dataclass(frozen=True, slots=True)
class Grid:
    """The drawing's geometry: a ``size`` square with the grid inset by ``margin``."""

    size: float = 560
    margin: float = 44
    mark_size: float = 90
    font_size: float = 11

    @property
    def inner(self) -> float:
        return self.size - 2 * self.margin

    def x(self, alignment: float) -> float:
        """Horizontal position of an alignment (0-100).

        >>> Grid().x(0), Grid().x(100)
        (44.0, 516.0)
        """
        return self.margin + alignment * self.inner / 100

    def y(self, influence: float) -> float:
        """Vertical position of an influence (0-100): 100 is at the top.

        >>> Grid().y(100), Grid().y(0)
        (44.0, 516.0)
        """
        return self.size - self.margin - influence * self.inner / 100


def corner(influence: int, alignment: int) -> Corner:
    """The corner of the grid an actor falls in; 50 counts as high.

    >>> corner(50, 50), corner(80, 10), corner(10, 80), corner(49, 49)
    ('champions', 'to_engage', 'to_lift', 'to_watch')
    """
    if influence >= 50:
        return "champions" if alignment >= 50 else "to_engage"
    return "to_lift" if alignment >= 50 else "to_watch"


def draw(placed: Sequence[Placed], grid: Grid | None = None) -> list[Mark]:
    """Return the marks of ``placed``, in the order given, with names placed without overlap.

    >>> marks = draw([Placed("1", "Clinic", "community_health_center", 80, 90)])
    >>> (marks[0].x, marks[0].y, marks[0].corner, marks[0].label is not None)
    (468.8, 138.4, 'champions', True)
    """
    grid = grid or Grid()
    radius = (grid.mark_size / 3.14) ** 0.5
    height = grid.font_size * 1.3
    points = [
        Point(
            p.id,
            grid.x(p.alignment),
            grid.y(p.influence),
            radius,
            estimate_width(p.name, grid.font_size),
            height,
        )
        for p in placed
    ]
    by_importance = sorted(points, key=lambda pt: (pt.y, pt.x))  # most influential (highest) first
    labels = place_labels(by_importance, bounds=Box(0, 0, grid.size, grid.size))
    marks = []
    for p, point in zip(placed, points, strict=True):
        family = family_of(p.sector)
        marks.append(
            Mark(
                id=p.id,
                name=p.name,
                x=round(point.x, 1),
                y=round(point.y, 1),
                color=family.color,
                path=symbol_path(family.symbol, grid.mark_size),
                corner=corner(p.influence, p.alignment),
                label=labels.get(p.id),
            )
        )
    return marks
