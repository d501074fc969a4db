"""Small-cell protection for what is shown: pages, API and exports (RELIABILITY.md, check 8).

Within one indicator, place and period (a *cell set*, e.g. every race group of one
county):

* a count (numerator, denominator or population) from ``1`` to ``10`` is a small cell:
  the row's value and counts are hidden and the row is marked ``suppressed``;
* when any row of the set is suppressed, every count of the set is withheld too
  (``counts_withheld``), because the total's count minus the other groups' counts
  would give the hidden one back. Rates of the other groups stay visible: without
  counts they do not reveal the small one.

Zero is not a small cell (nothing to re-identify).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

SMALL_MIN = 1
SMALL_MAX = 10


def is_small_count(count: float | None) -> bool:
    """``True`` for a count from 1 to 10.

    >>> [is_small_count(c) for c in (None, 0, 1, 10, 10.5, 11)]
    [False, False, True, True, False, False]
    """
    return count is not None and SMALL_MIN <= count <= SMALL_MAX


@dataclass(frozen=True, slots=True)
class Cell:
    """One row as it may be shown; hidden numbers are ``None``."""

    group: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    population: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    suppressed: bool = False
    counts_withheld: bool = False


def protect(cells: Sequence[Cell]) -> list[Cell]:
    """Apply the rules above to the rows of one cell set.

    >>> rows = protect([Cell("total", 0.1, 40, 400), Cell("black", 0.2, 7, 35),
    ...                 Cell("white", 0.09, 33, 365)])
    >>> [(c.group, c.value, c.numerator, c.suppressed) for c in rows]
    [('total', 0.1, None, False), ('black', None, None, True), ('white', 0.09, None, False)]
    """
    out = []
    for cell in cells:
        if any(is_small_count(c) for c in (cell.numerator, cell.denominator, cell.population)):
            cell = replace(
                cell,
                value=None,
                numerator=None,
                denominator=None,
                population=None,
                ci_low=None,
                ci_high=None,
                suppressed=True,
            )
        out.append(cell)
    if any(c.suppressed for c in out):
        out = [
            c
            if c.suppressed
            else replace(c, numerator=None, denominator=None, population=None, counts_withheld=True)
            for c in out
        ]
    return out
