"""Benchmarks and goals the way the HOPE Initiative sets them.

A goal for an indicator and period is the mean value of the best-performing
comparable places: by default the best ``top = 5`` places, each represented by its
``total`` value (or by its best-off reliable group, the reference, where the total
is missing or unreliable). Each place then gets its distance to the goal, that
distance in people where its population is known, and its percentile rank among
the same peers.

Formulas (``g`` the goal, ``y`` a place's value, ``N`` the number of peers):

* goal ``g = (1/k) Σ y_(j)`` over the ``k = min(top, N)`` best places;
* distance ``Δ = g − y`` when higher is better, ``y − g`` when lower is better
  (positive: short of the goal; zero or negative: the goal is met);
* people ``= max(Δ, 0) × population / per`` (``per`` = 1 for proportions, 100 for
  percentages, 100,000 for rates per 100,000);
* percentile rank ``= (B + E/2) / N × 100`` with ``B`` peers doing worse and ``E`` peers
  with the same value (the place itself included).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from .errors import MeasurementError


class GoalError(MeasurementError):
    """A goal cannot be set from these inputs."""


Basis = Literal["total_or_reference", "total", "reference"]


@dataclass(frozen=True, slots=True)
class Goal:
    """The goal value and the places it was computed from, best first."""

    value: float | None
    places: tuple[str, ...]


def benchmark_goal(
    values: Mapping[str, float], *, top: int = 5, lower_is_better: bool = False
) -> Goal:
    """Return the mean of the ``top`` best places' values (ties broken by place code).

    >>> benchmark_goal({"A": 70.0, "B": 80.0, "C": 78.0, "D": 60.0}, top=2)
    Goal(value=79.0, places=('B', 'C'))
    >>> benchmark_goal({"A": 0.07, "B": 0.09, "C": 0.08}, top=2, lower_is_better=True).places
    ('A', 'C')
    """
    if top < 1:
        raise GoalError("top must be at least 1")
    ranked = sorted(
        ((place, v) for place, v in values.items() if v is not None and v == v),
        key=lambda item: (item[1] if lower_is_better else -item[1], item[0]),
    )[:top]
    if not ranked:
        return Goal(None, ())
    return Goal(sum(v for _, v in ranked) / len(ranked), tuple(p for p, _ in ranked))


def distance_to_goal(value: float, goal: float, *, lower_is_better: bool = False) -> float:
    """Return how far ``value`` is short of ``goal`` (negative when the goal is beaten).

    >>> distance_to_goal(75.0, 79.0), distance_to_goal(0.10, 0.08, lower_is_better=True)
    (4.0, 0.020000000000000004)
    """
    return value - goal if lower_is_better else goal - value


def people_to_goal(
    value: float,
    goal: float,
    population: float,
    *,
    per: float = 1.0,
    lower_is_better: bool = False,
) -> float:
    """Return ``max(distance, 0) × population / per``: the people behind the gap.

    Low birthweight of 10% against a goal of 8% among 1,500 births is 30 babies:

    >>> round(people_to_goal(10.0, 8.0, 1500, per=100, lower_is_better=True), 6)
    30.0
    """
    if per <= 0:
        raise GoalError("per must be positive")
    return (
        max(distance_to_goal(value, goal, lower_is_better=lower_is_better), 0.0) * population / per
    )


def percentile_rank(
    value: float, peers: Sequence[float], *, lower_is_better: bool = False
) -> float:
    """Return ``(B + E/2) / N × 100`` among ``peers`` (which include the place itself).

    >>> percentile_rank(80.0, [70.0, 75.0, 80.0, 85.0])  # B = 2, E = 1, N = 4
    62.5
    """
    if not peers:
        raise GoalError("percentile rank needs at least one peer")
    worse = sum(1 for p in peers if (p > value if lower_is_better else p < value))
    equal = sum(1 for p in peers if p == value)
    return (worse + equal / 2) / len(peers) * 100


# --- vectorized ------------------------------------------------------------------------

GOAL_KEYS = ("indicator_id", "period")


def _basis_value(basis: Basis) -> pl.Expr:
    total = pl.when(pl.col("total_reliable").fill_null(False)).then(pl.col("total_value"))
    if basis == "total":
        return total
    if basis == "reference":
        return pl.col("reference_value")
    return pl.coalesce(total, pl.col("reference_value"))


def _higher(lower_is_better: bool | Mapping[str, bool]) -> pl.Expr:
    if isinstance(lower_is_better, Mapping):
        return (
            pl.col("indicator_id")
            .cast(pl.String)
            .replace_strict({k: not v for k, v in lower_is_better.items()}, default=True)
            .cast(pl.Boolean)
        )
    return pl.lit(not lower_is_better)


def goals_frame(
    places: pl.DataFrame,
    *,
    top: int = 5,
    lower_is_better: bool | Mapping[str, bool] = False,
    basis: Basis = "total_or_reference",
    peers: Collection[str] | None = None,
) -> pl.DataFrame:
    """Return one goal per indicator and period from an equity ``places`` frame.

    ``places`` is :attr:`.equity.EquityTables.places`. ``peers`` limits the places that
    may set the goal (e.g. counties only, or counties of similar size). Columns:
    ``indicator_id, period, goal, goal_places`` (list, best first), ``peer_count``.
    """
    if top < 1:
        raise GoalError("top must be at least 1")
    frame = places.with_columns(
        __value=_basis_value(basis),
        __higher=_higher(lower_is_better),
        __place=pl.col("place").cast(pl.String),
    ).filter(pl.col("__value").is_not_null() & ~pl.col("__value").is_nan())
    if peers is not None:
        frame = frame.filter(pl.col("__place").is_in(list(peers)))
    score = pl.when(pl.col("__higher")).then(-pl.col("__value")).otherwise(pl.col("__value"))
    ranked = frame.with_columns(__score=score).sort("__score", "__place")
    return (
        ranked.group_by(list(GOAL_KEYS), maintain_order=True)
        .agg(
            pl.col("__value").head(top).mean().alias("goal"),
            pl.col("__place").head(top).alias("goal_places"),
            pl.len().alias("peer_count"),
        )
        .sort(list(GOAL_KEYS))
    )


def distance_frame(
    places: pl.DataFrame,
    goals: pl.DataFrame,
    *,
    lower_is_better: bool | Mapping[str, bool] = False,
    basis: Basis = "total_or_reference",
    populations: pl.DataFrame | None = None,
    per: float | Mapping[str, float] = 1.0,
) -> pl.DataFrame:
    """Return each place's value, goal, distance, people to goal and percentile rank.

    ``populations`` (``place, period, population``) gives the people behind each value;
    ``per`` converts the indicator's unit (see the module docstring). Percentile ranks
    are among the places of ``places`` with a value for the same indicator and period.
    """
    higher = _higher(lower_is_better)
    value = pl.col("value")
    frame = places.select(
        "indicator_id",
        "place",
        "period",
        _basis_value(basis).alias("value"),
        higher.alias("__higher"),
    ).filter(value.is_not_null())
    frame = frame.with_columns(
        pl.col("indicator_id").cast(pl.String), pl.col("period").cast(pl.String)
    ).join(
        goals.select(
            pl.col("indicator_id").cast(pl.String), pl.col("period").cast(pl.String), "goal"
        ),
        on=list(GOAL_KEYS),
        how="left",
    )
    score = pl.when(pl.col("__higher")).then(value).otherwise(-value)
    n = pl.len().over(list(GOAL_KEYS))
    frame = frame.with_columns(
        distance=pl.when(pl.col("__higher"))
        .then(pl.col("goal") - value)
        .otherwise(value - pl.col("goal")),
        percentile_rank=(score.rank("average").over(list(GOAL_KEYS)) - 0.5) / n * 100,
    )
    if populations is not None:
        frame = frame.join(
            populations.select(
                pl.col("place").cast(pl.String),
                pl.col("period").cast(pl.String),
                pl.col("population").cast(pl.Float64),
            ),
            left_on=[pl.col("place").cast(pl.String), "period"],
            right_on=["place", "period"],
            how="left",
        )
        per_expr = (
            pl.col("indicator_id").replace_strict(dict(per), default=1.0, return_dtype=pl.Float64)
            if isinstance(per, Mapping)
            else pl.lit(float(per))
        )
        frame = frame.with_columns(
            people_to_goal=pl.col("distance").clip(lower_bound=0) * pl.col("population") / per_expr
        )
    return frame.drop("__higher").sort("indicator_id", "period", "place")
