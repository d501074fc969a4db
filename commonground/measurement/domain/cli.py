"""The work behind ``commonground analyze equity FILE.csv --json``.

:func:`analyze_equity_file` reads a tidy CSV (``place, period, group, value`` and
optionally ``population, numerator, denominator, ci_low, ci_high``; the group named
``total`` is the all-groups value) and returns the exact JSON contract other tools
read::

    {"results": [{"place", "period", "reference_group", "reference_value",
                  "index_of_disparity",
                  "groups": {group: {"value", "reliable", "difference", "ratio"}}}],
     "benchmarks": [{"period", "value", "places"}]}

``results`` has one entry per place and period (sorted), ``groups`` every group but
``total``. The reference is the best reliable group (or the one named), and the index
of disparity is computed over reliable groups only. ``benchmarks`` has one entry per
period: the mean of the ``benchmark_top`` best places' ``total`` values (their
reference values where no reliable total is given) and those places, best first.
Numbers that do not exist (no reference, a suppressed count) are ``null``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TypedDict

import polars as pl

from .equity import DEFAULT_RULES, ReliabilityRules, equity_frame
from .errors import FileProblemError, RowProblem
from .goals import goals_frame
from .importers import TOTAL, read_tidy


class GroupJSON(TypedDict):
    value: float | None
    reliable: bool
    difference: float | None
    ratio: float | None


class PlaceResultJSON(TypedDict):
    place: str
    period: str
    reference_group: str | None
    reference_value: float | None
    index_of_disparity: float | None
    groups: dict[str, GroupJSON]


class BenchmarkJSON(TypedDict):
    period: str
    value: float | None
    places: list[str]


class EquityReportJSON(TypedDict):
    results: list[PlaceResultJSON]
    benchmarks: list[BenchmarkJSON]


def _number(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def analyze_equity_file(
    path: str | Path,
    *,
    lower_is_better: bool = False,
    reference: str = "best",
    benchmark_top: int = 5,
    rules: ReliabilityRules = DEFAULT_RULES,
) -> EquityReportJSON:
    """Return the equity report for a tidy CSV file (see the module docstring).

    Raise :class:`~.errors.FileProblemError` naming every bad row and column (up to 50)
    when the file cannot be read; the command prints it and exits non-zero.
    """
    table = read_tidy(path)
    observations = table.observations
    if reference != "best":
        # Group names are read in lower case, so the named reference is matched the same way.
        reference = reference.strip().lower()
        present = sorted(str(g) for g in observations.get_column("group").unique())
        if reference not in present:
            raise FileProblemError(
                [
                    RowProblem(
                        None,
                        "group",
                        f"--reference {reference!r} is not a group of this file "
                        f"(its groups: {', '.join(present)})",
                    )
                ]
            )
    if len(table.indicators) > 1:
        names = ", ".join(i.id for i in table.indicators)
        raise FileProblemError(
            [RowProblem(1, "indicator", f"one indicator per file, this one has {names}")]
        )
    tables = equity_frame(
        observations, lower_is_better=lower_is_better, reference=reference, rules=rules
    )
    places = tables.places.with_columns(
        pl.col(c).cast(pl.String) for c in ("indicator_id", "place", "period")
    ).sort("place", "period")
    groups = (
        tables.groups.with_columns(pl.col(c).cast(pl.String) for c in ("place", "period", "group"))
        .filter(pl.col("group") != TOTAL)
        .sort("place", "period", "group")
    )
    by_place: dict[tuple[str, str], dict[str, GroupJSON]] = {}
    for place, period, group, value, reliable, difference, ratio in groups.select(
        "place", "period", "group", "value", "reliable", "difference", "ratio"
    ).iter_rows():
        by_place.setdefault((place, period), {})[group] = GroupJSON(
            value=_number(value),
            reliable=bool(reliable),
            difference=_number(difference),
            ratio=_number(ratio),
        )
    results: list[PlaceResultJSON] = []
    for place, period, reference_group, reference_value, disparity in places.select(
        "place", "period", "reference_group", "reference_value", "index_of_disparity"
    ).iter_rows():
        results.append(
            PlaceResultJSON(
                place=place,
                period=period,
                reference_group=reference_group,
                reference_value=_number(reference_value),
                index_of_disparity=_number(disparity),
                groups=by_place.get((place, period), {}),
            )
        )
    goals = goals_frame(places, top=benchmark_top, lower_is_better=lower_is_better)
    benchmarks = [
        BenchmarkJSON(period=period, value=_number(goal), places=list(goal_places))
        for period, goal, goal_places in goals.sort("period")
        .select("period", "goal", "goal_places")
        .iter_rows()
    ]
    return EquityReportJSON(results=results, benchmarks=benchmarks)
