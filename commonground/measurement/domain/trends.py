"""Change over periods and progress towards targets.

A trend is the ordinary least-squares line ``y = a + b·t`` through the observed
periods ``t`` (years):

* ``b = Σ (t − t̄)(y − ȳ) / Σ (t − t̄)²``, ``a = ȳ − b·t̄``;
* ``SE(b) = sqrt( Σ (y − a − b·t)² / (n − 2) / Σ (t − t̄)² )``;
* the interval is ``b ± t_{1−α/2, n−2} · SE(b)``, with the Student t quantile computed
  here (no scipy) from the regularized incomplete beta function.

A target (``reach value V by year T``, or ``halve the gap between two groups by T``)
is on track when the trend line, extended to ``T``, reaches it; the yearly change
needed is ``(V − y_latest) / (T − t_latest)``.

A trend is never drawn from repeated values of one data period: two periods whose every
value is identical (:func:`distinct_data_points`) are one period stored under two labels
(a release year and the data years, say), and count once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from .errors import MeasurementError


class TrendError(MeasurementError):
    """A trend or target cannot be computed from these inputs."""


# --- Student t distribution --------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def regularized_beta(x: float, a: float, b: float) -> float:
    """Return the regularized incomplete beta function ``I_x(a, b)``.

    >>> round(regularized_beta(0.5, 2.0, 2.0), 12)
    0.5
    """
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    """Return ``P(T ≤ t)`` for Student's t with ``df`` degrees of freedom.

    >>> round(t_cdf(2.228138851986274, 10), 6)
    0.975
    """
    if df <= 0:
        raise TrendError("degrees of freedom must be positive")
    tail = 0.5 * regularized_beta(df / (df + t * t), df / 2, 0.5)
    return 1 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """Return ``t`` with ``P(T ≤ t) = p`` (bisection on :func:`t_cdf`, to 1e-12).

    >>> round(t_quantile(0.975, 1), 4), round(t_quantile(0.975, 5), 4), round(t_quantile(0.975, 30), 4)
    (12.7062, 2.5706, 2.0423)
    """
    if not 0 < p < 1:
        raise TrendError("p must be between 0 and 1")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2
        if high > 1e12:
            return math.inf
    for _ in range(200):
        mid = (low + high) / 2
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


# --- trends -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trend:
    """A least-squares line through a series; the interval is ``None`` below 3 points."""

    slope: float
    intercept: float
    n: int
    std_error: float | None
    ci_low: float | None
    ci_high: float | None

    def predict(self, period: float) -> float:
        return self.intercept + self.slope * period


def ols_trend(
    periods: Sequence[float], values: Sequence[float], *, confidence: float = 0.95
) -> Trend:
    """Fit ``y = a + b·t`` by least squares, with a t-interval for the slope.

    >>> trend = ols_trend([2018, 2019, 2020, 2021], [70.0, 70.4, 71.1, 71.3])
    >>> round(trend.slope, 3), round(trend.ci_low, 3), round(trend.ci_high, 3)
    (0.46, 0.181, 0.739)
    """
    if len(periods) != len(values):
        raise TrendError("periods and values differ in length")
    points = [(float(t), float(y)) for t, y in zip(periods, values, strict=True) if y == y]
    n = len(points)
    if n < 2:
        raise TrendError("a trend needs at least two periods with values")
    t_mean = sum(t for t, _ in points) / n
    y_mean = sum(y for _, y in points) / n
    sxx = sum((t - t_mean) ** 2 for t, _ in points)
    if sxx == 0:
        raise TrendError("a trend needs at least two different periods")
    sxy = sum((t - t_mean) * (y - y_mean) for t, y in points)
    slope = sxy / sxx
    intercept = y_mean - slope * t_mean
    if n < 3:
        return Trend(slope, intercept, n, None, None, None)
    residual = sum((y - intercept - slope * t) ** 2 for t, y in points)
    se = math.sqrt(residual / (n - 2) / sxx)
    q = t_quantile(0.5 + confidence / 2, n - 2)
    return Trend(slope, intercept, n, se, slope - q * se, slope + q * se)


def period_year(period: str) -> float:
    """Return the year a period stands for: ``"2021"`` → 2021, ``"2020-2022"`` → 2021 (midpoint).

    >>> period_year("2020-2022"), period_year("2019")
    (2021.0, 2019.0)
    """
    text = period.strip()
    parts = text.split("-")
    try:
        if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 4:
            return (int(parts[0]) + int(parts[1])) / 2
        return float(int(text[:4])) if len(text) >= 4 and text[:4].isdigit() else float(text)
    except ValueError:
        raise TrendError(f"{period!r} is not a year or a range of years") from None


def trend_frame(
    observations: pl.DataFrame,
    *,
    keys: Sequence[str] = ("indicator_id", "place", "group"),
    value: str = "value",
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Return the trend of every series in a tidy table (``period`` strings are years).

    Columns: ``keys…, n, slope, intercept, std_error, ci_low, ci_high``; series with
    fewer than two periods are left out, intervals need three.
    """
    years = {p: period_year(p) for p in observations["period"].cast(pl.String).unique().to_list()}
    frame = observations.select(
        *keys,
        pl.col("period")
        .cast(pl.String)
        .replace_strict(years, return_dtype=pl.Float64)
        .alias("__t"),
        pl.col(value).alias("__y"),
    ).filter(pl.col("__y").is_not_null() & ~pl.col("__y").is_nan())
    t, y = pl.col("__t"), pl.col("__y")
    stats = (
        frame.group_by(list(keys))
        .agg(
            pl.len().alias("n"),
            ((t - t.mean()) * (y - y.mean())).sum().alias("__sxy"),
            ((t - t.mean()) ** 2).sum().alias("__sxx"),
            t.mean().alias("__tm"),
            y.mean().alias("__ym"),
            ((y - y.mean()) ** 2).sum().alias("__syy"),
        )
        .filter((pl.col("n") >= 2) & (pl.col("__sxx") > 0))
    )
    stats = stats.with_columns(slope=pl.col("__sxy") / pl.col("__sxx"))
    stats = stats.with_columns(
        intercept=pl.col("__ym") - pl.col("slope") * pl.col("__tm"),
        std_error=pl.when(pl.col("n") > 2).then(
            (
                (pl.col("__syy") - pl.col("slope") * pl.col("__sxy")).clip(lower_bound=0)
                / (pl.col("n") - 2)
                / pl.col("__sxx")
            ).sqrt()
        ),
    )
    dfs = sorted({int(n) - 2 for n in stats["n"].to_list() if n > 2})
    quantiles = {df + 2: t_quantile(0.5 + confidence / 2, df) for df in dfs}
    q = pl.col("n").replace_strict(quantiles, default=None, return_dtype=pl.Float64)
    return stats.with_columns(
        ci_low=pl.col("slope") - q * pl.col("std_error"),
        ci_high=pl.col("slope") + q * pl.col("std_error"),
    ).select(*keys, "n", "slope", "intercept", "std_error", "ci_low", "ci_high")


# --- one data period, one point ----------------------------------------------------------


def distinct_data_points(
    periods: Sequence[float], *series: Sequence[float], rel_tol: float = 1e-9
) -> list[int]:
    """Return the indices of the points that are distinct data periods, in period order.

    A point whose every series value equals (within ``rel_tol``) the values of a point
    already kept is the same data under another label, and is left out: published
    estimates of two different periods are not identical to the last digit in every
    group. The earlier period of the pair is kept (a release year comes after the data
    years it publishes).

    >>> distinct_data_points([2021, 2025], [67.95, 67.95], [77.32, 77.32])
    [0]
    >>> distinct_data_points([2016, 2019, 2022], [70.0, 71.0, 71.0], [78.0, 78.5, 79.0])
    [0, 1, 2]
    """
    if any(len(values) != len(periods) for values in series):
        raise TrendError("periods and values differ in length")
    order = sorted(range(len(periods)), key=lambda i: periods[i])
    kept: list[int] = []
    for i in order:
        point = [values[i] for values in series]
        if any(
            all(
                math.isclose(a, values[j], rel_tol=rel_tol, abs_tol=1e-12)
                for a, values in zip(point, series, strict=True)
            )
            for j in kept
        ):
            continue
        kept.append(i)
    return kept


# --- targets ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetAssessment:
    """Where a series stands against a target value for a target period."""

    baseline_period: float
    baseline_value: float
    latest_period: float
    latest_value: float
    target_period: float
    target_value: float
    required_yearly_change: float | None
    observed_yearly_change: float | None
    projected_value: float | None
    on_track: bool | None
    met: bool


def assess_target(
    periods: Sequence[float],
    values: Sequence[float],
    *,
    target_value: float,
    target_period: float,
    lower_is_better: bool = False,
) -> TargetAssessment:
    """Say whether a series is on track to reach ``target_value`` by ``target_period``.

    ``required_yearly_change = (target_value − latest) / (target_period − latest_period)``;
    ``projected_value`` is the least-squares line at ``target_period``; the series is
    on track when that projection reaches the target (``None`` with fewer than two
    points). ``met`` says whether the latest value already reaches it.

    >>> a = assess_target([2020, 2022], [10.0, 9.0], target_value=7.0, target_period=2030,
    ...                   lower_is_better=True)
    >>> a.required_yearly_change, a.observed_yearly_change, a.projected_value, a.on_track
    (-0.25, -0.5, 5.0, True)
    """
    present = [(float(t), float(y)) for t, y in zip(periods, values, strict=True) if y == y]
    keep = distinct_data_points([t for t, _ in present], [y for _, y in present])
    points = sorted(present[i] for i in keep)
    if not points:
        raise TrendError("the series has no values")
    (t0, y0), (t1, y1) = points[0], points[-1]

    def reaches(value: float) -> bool:
        return value <= target_value if lower_is_better else value >= target_value

    required = (target_value - y1) / (target_period - t1) if target_period > t1 else None
    observed = projected = None
    on_track: bool | None = None
    if len(points) >= 2 and points[0][0] != points[-1][0]:
        trend = ols_trend([t for t, _ in points], [y for _, y in points])
        observed = trend.slope
        projected = trend.predict(target_period)
        on_track = reaches(projected)
    return TargetAssessment(
        baseline_period=t0,
        baseline_value=y0,
        latest_period=t1,
        latest_value=y1,
        target_period=float(target_period),
        target_value=float(target_value),
        required_yearly_change=required,
        observed_yearly_change=observed,
        projected_value=projected,
        on_track=on_track,
        met=reaches(y1),
    )


def assess_gap_target(
    periods: Sequence[float],
    group_values: Sequence[float],
    reference_values: Sequence[float],
    *,
    target_period: float,
    reduction: float = 0.5,
    baseline_period: float | None = None,
) -> TargetAssessment:
    """Assess a target such as "halve the gap between two groups by 2030".

    The gap each period is ``|reference − group|``; the target is ``(1 − reduction) ×``
    the gap at ``baseline_period`` (default: the first period), and a smaller gap is
    better. The two series may be two groups in one place or one group in two places
    (life expectancy in West Garfield Park against the Loop). A period repeating another
    period's values for both series is the same data and counts once
    (:func:`distinct_data_points`).

    >>> a = assess_gap_target([2016, 2019, 2022], [70.0, 71.0, 72.0], [78.0, 78.5, 79.0],
    ...                       target_period=2030)  # gaps 8, 7.5, 7; target 4
    >>> a.target_value, a.required_yearly_change, round(a.projected_value, 4), a.on_track
    (4.0, -0.375, 5.6667, False)
    """
    if not 0 < reduction <= 1:
        raise TrendError("reduction must be in (0, 1]: 0.5 halves the gap")
    present = [
        (float(t), float(g), float(r))
        for t, g, r in zip(periods, group_values, reference_values, strict=True)
        if g == g and r == r
    ]
    keep = distinct_data_points(
        [t for t, _, _ in present], [g for _, g, _ in present], [r for _, _, r in present]
    )
    gaps = [(present[i][0], abs(present[i][2] - present[i][1])) for i in keep]
    if not gaps:
        raise TrendError("no period has values for both groups")
    gaps.sort()
    if baseline_period is None:
        baseline_gap = gaps[0][1]
    else:
        matching = [gap for t, gap in gaps if t == baseline_period]
        if not matching:
            raise TrendError(f"no gap for the baseline period {baseline_period:g}")
        baseline_gap = matching[0]
    return assess_target(
        [t for t, _ in gaps],
        [gap for _, gap in gaps],
        target_value=(1 - reduction) * baseline_gap,
        target_period=target_period,
        lower_is_better=True,
    )
