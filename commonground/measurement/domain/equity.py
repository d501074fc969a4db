"""Equity statistics: reference group, gaps, index of disparity, variance, Theil, reliability.

Two APIs compute the same numbers:

* :func:`compare_groups` takes plain :class:`GroupValue` records for one indicator,
  place and period and returns an :class:`EquityResult`;
* :func:`equity_frame` takes a whole tidy table (see :mod:`.importers`) and returns
  two polars frames, one row per group and one per indicator × place × period.

Terms used below. For one indicator, place and period, the *groups* are the rows
whose group is not ``total``. A group is *reliable* when it breaks none of the
:class:`ReliabilityRules`. The *reference* ``R`` is the best reliable group (highest
value, or lowest when lower is better; ties go to the group listed first) or the
group the user names. For each group ``i`` with value ``y_i``:

* difference ``d_i = y_i − R`` and ratio ``r_i = y_i / R``;
* index of disparity (Pearcy & Keppel 2002) over the ``n`` reliable groups other than
  the reference: ``ID = (1/n) Σ |y_i − R| / R × 100``;
* with populations ``p_i`` for all reliable groups, ``P = Σ p_i`` and the population
  mean ``μ = Σ p_i y_i / P``: between-group variance (Harper & Lynch 2005)
  ``BGV = Σ (p_i/P)(y_i − μ)²`` and Theil index ``T = Σ (p_i/P)(y_i/μ) ln(y_i/μ)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from .errors import MeasurementError
from .importers import TOTAL


class EquityError(MeasurementError):
    """Equity statistics cannot be computed from these inputs."""


# Reliability flags, combined as bits in ``flags``.
SUPPRESSED = 1
FEW_EVENTS = 2
WIDE_CI = 4
SOURCE_UNRELIABLE = 8
IMPLAUSIBLE = 16
FLAG_REASONS = {
    SUPPRESSED: "count of 1-10 suppressed",
    FEW_EVENTS: "fewer than 20 events",
    WIDE_CI: "confidence interval too wide",
    SOURCE_UNRELIABLE: "flagged unreliable by the source",
    IMPLAUSIBLE: "implausible value",
}

# A 95% interval of width 2 × 1.96 × SE; width / value above this means a relative
# standard error above 30%, the NCHS limit for presenting a rate as reliable.
RSE_30_RELATIVE_CI_WIDTH = 2 * 1.959963984540054 * 0.30


@dataclass(frozen=True, slots=True)
class ReliabilityRules:
    """When a group's estimate may be shown, and when it may be compared.

    * a numerator from ``suppress_min`` to ``suppress_max`` (1-10) is a small count:
      the value is hidden (``None``) because the count could be derived from it;
    * a numerator below ``min_events`` (20) makes the rate unreliable;
    * a confidence interval wider than ``max_relative_ci_width`` × |value| (default:
      relative standard error above 30%) or than ``max_ci_width`` (in the indicator's
      units, off by default) makes it unreliable;
    * a source flag makes it unreliable;
    * a value outside [``plausible_min``, ``plausible_max``] is implausible and
      unreliable (a life expectancy above 110 years never becomes the reference).

    Unreliable groups keep their value, difference and ratio, with ``reliable`` false,
    unless ``drop_unreliable`` is set, which hides their value like a suppressed one.
    Unreliable groups never become the reference and are left out of the index of
    disparity, the between-group variance and the Theil index.
    """

    suppress_min: float = 1
    suppress_max: float = 10
    min_events: float = 20
    max_relative_ci_width: float | None = RSE_30_RELATIVE_CI_WIDTH
    max_ci_width: float | None = None
    plausible_min: float | None = None
    plausible_max: float | None = None
    drop_unreliable: bool = False

    def with_plausible(self, low: float | None, high: float | None) -> ReliabilityRules:
        """Return these rules with another plausible range."""
        return ReliabilityRules(
            suppress_min=self.suppress_min,
            suppress_max=self.suppress_max,
            min_events=self.min_events,
            max_relative_ci_width=self.max_relative_ci_width,
            max_ci_width=self.max_ci_width,
            plausible_min=low,
            plausible_max=high,
            drop_unreliable=self.drop_unreliable,
        )


DEFAULT_RULES = ReliabilityRules()
Reference = Literal["best"] | str


def describe_flags(flags: int) -> tuple[str, ...]:
    """Return the reasons encoded in ``flags``.

    >>> describe_flags(FEW_EVENTS | SUPPRESSED)
    ('count of 1-10 suppressed', 'fewer than 20 events')
    """
    return tuple(reason for bit, reason in FLAG_REASONS.items() if flags & bit)


@dataclass(frozen=True, slots=True)
class Gap:
    """A gap under the product's one sign convention: a positive ``size`` and the
    ``side`` the value is on ("lower" or "higher" than the reference, or "same")."""

    size: float
    side: Literal["lower", "higher", "same"]


def gap_between(value: float, reference: float, *, digits: int | None = None) -> Gap:
    """The gap between ``value`` and ``reference`` as a distance and a side.

    Every page states gaps this way ("9.4 years lower than White residents"); the signed
    ``difference`` (value − reference) stays in the data and exports. With ``digits``, a
    gap that rounds to zero at that precision is "same".

    >>> gap_between(67.9, 77.3)
    Gap(size=9.399999999999991, side='lower')
    >>> gap_between(0.163, 0.071).side, gap_between(85.0, 85.04, digits=1).side
    ('higher', 'same')
    """
    difference = value - reference
    if difference == 0 or (digits is not None and round(abs(difference), digits) == 0):
        return Gap(abs(difference), "same")
    return Gap(abs(difference), "lower" if difference < 0 else "higher")


# --- small API ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupValue:
    """One group's estimate for one indicator, place and period."""

    group: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    population: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    source_unreliable: bool = False


@dataclass(frozen=True, slots=True)
class GroupResult:
    """A group compared with the reference; ``value`` is ``None`` when hidden."""

    group: str
    value: float | None
    reliable: bool
    flags: int
    difference: float | None
    ratio: float | None
    is_reference: bool

    @property
    def reasons(self) -> tuple[str, ...]:
        return describe_flags(self.flags)


@dataclass(frozen=True, slots=True)
class EquityResult:
    """Equity statistics for one indicator, place and period."""

    reference_group: str | None
    reference_value: float | None
    index_of_disparity: float | None
    between_group_variance: float | None
    theil_index: float | None
    groups: tuple[GroupResult, ...] = field(default_factory=tuple)
    total: GroupResult | None = None


def reliability_flags(estimate: GroupValue, rules: ReliabilityRules = DEFAULT_RULES) -> int:
    """Return the bits of every reliability rule ``estimate`` breaks (0 when reliable).

    >>> reliability_flags(GroupValue("black", 0.19, numerator=11, denominator=57))
    2
    >>> reliability_flags(GroupValue("aian", 111.8, ci_low=99.8, ci_high=123.9),
    ...                   ReliabilityRules(plausible_max=110))
    16
    """
    flags = 0
    value, numerator = estimate.value, estimate.numerator
    if numerator is not None:
        if rules.suppress_min <= numerator <= rules.suppress_max:
            flags |= SUPPRESSED
        if numerator < rules.min_events:
            flags |= FEW_EVENTS
    if value is not None and estimate.ci_low is not None and estimate.ci_high is not None:
        width = estimate.ci_high - estimate.ci_low
        limit = rules.max_relative_ci_width
        if limit is not None and value != 0 and width / abs(value) > limit:
            flags |= WIDE_CI
        if rules.max_ci_width is not None and width > rules.max_ci_width:
            flags |= WIDE_CI
    if estimate.source_unreliable:
        flags |= SOURCE_UNRELIABLE
    if value is not None and (
        (rules.plausible_min is not None and value < rules.plausible_min)
        or (rules.plausible_max is not None and value > rules.plausible_max)
    ):
        flags |= IMPLAUSIBLE
    return flags


def index_of_disparity(values: Sequence[float], reference: float) -> float | None:
    """Return ``(1/n) Σ |y_i − R| / R × 100`` over the ``n`` groups other than the reference.

    ``values`` excludes the reference itself. ``None`` when there is no other group or
    ``R`` is 0.

    >>> index_of_disparity([70.0, 80.0], 80.0)  # (10/80 + 0/80) / 2 × 100
    6.25
    """
    if not values or reference == 0:
        return None
    return sum(abs(v - reference) / reference for v in values) / len(values) * 100


def between_group_variance(values: Sequence[float], populations: Sequence[float]) -> float | None:
    """Return ``Σ (p_i/P)(y_i − μ)²`` with ``μ = Σ p_i y_i / P`` (``None`` if ``P`` is 0).

    >>> between_group_variance([10.0, 20.0], [1, 3])  # μ = 17.5; (1·56.25 + 3·6.25)/4
    18.75
    """
    total = sum(populations)
    if not values or total <= 0:
        return None
    mean = sum(p * y for p, y in zip(populations, values, strict=True)) / total
    return sum(p * (y - mean) ** 2 for p, y in zip(populations, values, strict=True)) / total


def theil_index(values: Sequence[float], populations: Sequence[float]) -> float | None:
    """Return ``Σ (p_i/P)(y_i/μ) ln(y_i/μ)``; ``None`` for a negative value or ``μ`` ≤ 0.

    A group with ``y_i = 0`` adds 0 (the limit of ``x ln x``).

    >>> round(theil_index([10.0, 30.0], [1, 1]), 6)  # μ = 20: ½(½ ln ½) + ½(1.5 ln 1.5)
    0.130812
    """
    total = sum(populations)
    if not values or total <= 0 or any(y < 0 for y in values):
        return None
    mean = sum(p * y for p, y in zip(populations, values, strict=True)) / total
    if mean <= 0:
        return None
    return sum(
        (p / total) * (y / mean) * math.log(y / mean)
        for p, y in zip(populations, values, strict=True)
        if y > 0
    )


def compare_groups(
    estimates: Sequence[GroupValue],
    *,
    lower_is_better: bool = False,
    reference: Reference = "best",
    rules: ReliabilityRules = DEFAULT_RULES,
) -> EquityResult:
    """Compare the groups of one indicator, place and period with their reference.

    The group named ``total`` is reported in ``total`` and never compared. See the
    module docstring for the formulas.

    >>> result = compare_groups([GroupValue("white", 80.0), GroupValue("black", 70.0)])
    >>> result.reference_group, result.groups[1].difference, result.index_of_disparity
    ('white', -10.0, 12.5)
    """
    seen: set[str] = set()
    for estimate in estimates:
        if estimate.group in seen:
            raise EquityError(f"group {estimate.group!r} appears twice")
        seen.add(estimate.group)
    rows = []
    total: tuple[GroupValue, int] | None = None
    for estimate in estimates:
        flags = reliability_flags(estimate, rules)
        if estimate.group == TOTAL:
            total = (estimate, flags)
        else:
            rows.append((estimate, flags))

    def shown(estimate: GroupValue, flags: int) -> float | None:
        if estimate.value is None or math.isnan(estimate.value):
            return None
        if flags & SUPPRESSED or (flags and rules.drop_unreliable):
            return None
        return estimate.value

    eligible = [(e, f) for e, f in rows if f == 0 and shown(e, f) is not None]
    ref: GroupValue | None = None
    if reference == "best":
        for estimate, _ in eligible:
            assert estimate.value is not None
            if ref is None:
                ref = estimate
            else:
                assert ref.value is not None
                better = (
                    estimate.value < ref.value if lower_is_better else estimate.value > ref.value
                )
                if better:
                    ref = estimate
        reference_group = ref.group if ref is not None else None
    else:
        reference_group = reference
        ref = next((e for e, _ in eligible if e.group == reference), None)
    reference_value = ref.value if ref is not None else None

    def result(estimate: GroupValue, flags: int) -> GroupResult:
        value = shown(estimate, flags)
        difference = ratio = None
        if value is not None and reference_value is not None:
            difference = value - reference_value
            ratio = value / reference_value if reference_value != 0 else None
        return GroupResult(
            group=estimate.group,
            value=value,
            reliable=flags == 0,
            flags=flags,
            difference=difference,
            ratio=ratio,
            is_reference=ref is not None and estimate.group == ref.group,
        )

    others = [e.value for e, _ in eligible if ref is None or e.group != ref.group]
    disparity = None
    if reference_value is not None:
        disparity = index_of_disparity([v for v in others if v is not None], reference_value)
    bgv = theil = None
    if eligible and all(e.population is not None for e, _ in eligible):
        values = [float(e.value) for e, _ in eligible if e.value is not None]
        populations = [float(e.population) for e, _ in eligible if e.population is not None]
        bgv = between_group_variance(values, populations)
        theil = theil_index(values, populations)
    return EquityResult(
        reference_group=reference_group,
        reference_value=reference_value,
        index_of_disparity=disparity,
        between_group_variance=bgv,
        theil_index=theil,
        groups=tuple(result(e, f) for e, f in rows),
        total=result(*total) if total is not None else None,
    )


# --- vectorized API ---------------------------------------------------------------------

KEYS = ("indicator_id", "place", "period")


@dataclass(frozen=True, slots=True)
class EquityTables:
    """Results for a whole table.

    ``groups``: one row per observation, with ``indicator_id, place, period, group,
    value`` (null when hidden), ``flags``, ``reliable``, ``is_reference``, ``difference``,
    ``ratio``, and ``population``.

    ``places``: one row per indicator × place × period, with ``reference_group``,
    ``reference_value``, ``index_of_disparity``, ``compared_groups`` (reliable groups
    other than the reference), ``between_group_variance``, ``theil_index``,
    ``total_value`` and ``total_reliable``.
    """

    groups: pl.DataFrame
    places: pl.DataFrame


def _per_indicator(
    setting: bool | float | Mapping[str, bool] | Mapping[str, float | None] | None,
    dtype: type[pl.DataType],
) -> pl.Expr:
    if isinstance(setting, Mapping):
        return (
            pl.col("indicator_id")
            .cast(pl.String)
            .replace_strict(dict(setting), default=None, return_dtype=dtype)
        )
    return pl.lit(setting, dtype=dtype)


def flags_expr(
    rules: ReliabilityRules = DEFAULT_RULES,
    *,
    plausible_min: pl.Expr | None = None,
    plausible_max: pl.Expr | None = None,
) -> pl.Expr:
    """Polars expression computing :func:`reliability_flags` for every row (UInt8)."""
    value, numerator = pl.col("value"), pl.col("numerator")
    width = pl.col("ci_high") - pl.col("ci_low")
    zero = pl.lit(0, dtype=pl.UInt8)
    parts = [
        pl.when(numerator.is_between(rules.suppress_min, rules.suppress_max))
        .then(pl.lit(SUPPRESSED, dtype=pl.UInt8))
        .otherwise(zero),
        pl.when(numerator < rules.min_events)
        .then(pl.lit(FEW_EVENTS, dtype=pl.UInt8))
        .otherwise(zero),
        pl.when(pl.col("source_unreliable"))
        .then(pl.lit(SOURCE_UNRELIABLE, dtype=pl.UInt8))
        .otherwise(zero),
    ]
    wide = []
    if rules.max_relative_ci_width is not None:
        wide.append((value != 0) & (width / value.abs() > rules.max_relative_ci_width))
    if rules.max_ci_width is not None:
        wide.append(width > rules.max_ci_width)
    if wide:
        parts.append(
            pl.when(pl.any_horizontal(wide)).then(pl.lit(WIDE_CI, dtype=pl.UInt8)).otherwise(zero)
        )
    low = plausible_min if plausible_min is not None else pl.lit(rules.plausible_min, pl.Float64)
    high = plausible_max if plausible_max is not None else pl.lit(rules.plausible_max, pl.Float64)
    parts.append(
        pl.when((value < low) | (value > high))
        .then(pl.lit(IMPLAUSIBLE, dtype=pl.UInt8))
        .otherwise(zero)
    )
    return pl.sum_horizontal(parts).cast(pl.UInt8)


def equity_frame(
    observations: pl.DataFrame | pl.LazyFrame,
    *,
    lower_is_better: bool | Mapping[str, bool] = False,
    reference: Reference = "best",
    rules: ReliabilityRules = DEFAULT_RULES,
    plausible_ranges: Mapping[str, tuple[float | None, float | None]] | None = None,
) -> EquityTables:
    """Compute :func:`compare_groups` for every indicator × place × period of a tidy table.

    ``observations`` needs ``indicator_id, place, period, group, value``; ``numerator,
    population, ci_low, ci_high, source_unreliable`` are used when present. Keys may be
    strings or categoricals (categoricals are faster). ``lower_is_better`` and
    ``plausible_ranges`` may be given per indicator id; indicators missing from a
    mapping are treated as higher-is-better and without a plausible range.
    """
    frame = observations.collect() if isinstance(observations, pl.LazyFrame) else observations
    for name in ("indicator_id", "place", "period", "group", "value"):
        if name not in frame.columns:
            raise EquityError(f"the observations have no {name!r} column")
    optional = {
        "numerator": pl.Float64,
        "population": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "source_unreliable": pl.Boolean,
    }
    keys = list(KEYS)
    frame = frame.with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in optional.items() if c not in frame.columns]
        + [
            pl.col(k).cast(pl.String).cast(pl.Categorical)
            for k in [*keys, "group"]
            if not isinstance(frame.schema[k], pl.Categorical | pl.Enum)
        ]
    )
    # One integer key from the categorical codes: grouping and joining on it is much
    # faster than on three columns.
    codes = frame.select(pl.col(k).to_physical().max() for k in keys).row(0)
    bits = 21
    use_gid = all(c is None or c < (1 << bits) for c in codes)
    gid = (
        pl.col(keys[0]).to_physical().cast(pl.UInt64) * (1 << (2 * bits))
        + pl.col(keys[1]).to_physical().cast(pl.UInt64) * (1 << bits)
        + pl.col(keys[2]).to_physical().cast(pl.UInt64)
    )
    group_keys = ["__gid"] if use_gid else keys

    if isinstance(lower_is_better, Mapping):
        lower_ids = [k for k, v in lower_is_better.items() if v]
        higher = ~pl.col("indicator_id").is_in(lower_ids)
    else:
        higher = pl.lit(not lower_is_better)
    low = high = None
    if plausible_ranges:
        low = _per_indicator({k: v[0] for k, v in plausible_ranges.items()}, pl.Float64)
        high = _per_indicator({k: v[1] for k, v in plausible_ranges.items()}, pl.Float64)
    hidden = (pl.col("flags") & SUPPRESSED) > 0
    if rules.drop_unreliable:
        hidden = pl.col("flags") > 0
    eligible = pl.col("__eligible")
    value_e = pl.col("__v")
    rows = (
        frame.lazy()
        .with_columns(
            flags=flags_expr(rules, plausible_min=low, plausible_max=high),
            __total=pl.col("group") == TOTAL,
            __higher=higher,
            **({"__gid": gid} if use_gid else {}),
        )
        .with_columns(
            value=pl.when(hidden | pl.col("value").is_nan()).then(None).otherwise(pl.col("value")),
            reliable=pl.col("flags") == 0,
        )
        .with_columns(
            __eligible=pl.col("reliable") & ~pl.col("__total") & pl.col("value").is_not_null()
        )
        .with_columns(
            __v=pl.when(eligible).then(pl.col("value")),
            __p=pl.when(eligible).then(pl.col("population")),
            __no_pop=eligible & pl.col("population").is_null(),
            __total_value=pl.when(pl.col("__total")).then(pl.col("value")),
            __total_reliable=pl.when(pl.col("__total")).then(pl.col("reliable")),
        )
        .with_columns(
            __score=pl.when(pl.col("__higher")).then(value_e).otherwise(-value_e),
            __pv=pl.col("__p") * value_e,
            __negative=value_e < 0,
        )
        .with_columns(
            __pvv=pl.col("__pv") * value_e,
            __pvlnv=pl.when(value_e > 0).then(pl.col("__pv") * value_e.log()).otherwise(0.0),
        )
        .collect()
    )
    if reference == "best":
        ref_aggs = [
            pl.col("__score").max().alias("__best"),
            pl.col("group").max_by("__score").alias("__ref_cat"),
        ]
    else:
        rows = rows.with_columns(
            __named=pl.when(eligible & (pl.col("group").cast(pl.String) == reference)).then(
                pl.col("__v")
            )
        )
        ref_aggs = [pl.col("__named").max().alias("__best")]
    stats = (
        rows.lazy()
        .group_by(group_keys)
        .agg(
            *([pl.col(k).first() for k in keys] if use_gid else []),
            *ref_aggs,
            pl.col("__higher").first(),
            eligible.sum().alias("__n"),
            pl.col("__v").sum().alias("__sum"),
            pl.col("__no_pop").sum(),
            pl.col("__p").sum().alias("__pop"),
            pl.col("__pv").sum().alias("__py"),
            pl.col("__pvv").sum().alias("__pyy"),
            pl.col("__pvlnv").sum().alias("__pylny"),
            pl.col("__negative").any(),
            pl.col("__total_value").max().alias("total_value"),
            pl.col("__total_reliable").max().alias("total_reliable"),
        )
        .collect()
    )
    if reference == "best":
        stats = stats.with_columns(
            reference_value=pl.when(pl.col("__higher"))
            .then(pl.col("__best"))
            .otherwise(-pl.col("__best")),
            reference_group=pl.when(pl.col("__best").is_not_null()).then(
                pl.col("__ref_cat").cast(pl.String)
            ),
        )
    else:
        stats = stats.with_columns(
            reference_value=pl.col("__best"),
            reference_group=pl.lit(reference, pl.String),
            __ref_cat=pl.lit(reference).cast(pl.Categorical),
        )
    groups = (
        rows.lazy()
        .join(
            stats.lazy().select(*group_keys, "reference_value", "__ref_cat"),
            on=group_keys,
            how="left",
        )
        .with_columns(
            difference=pl.col("value") - pl.col("reference_value"),
            ratio=pl.when(pl.col("reference_value") != 0).then(
                pl.col("value") / pl.col("reference_value")
            ),
            is_reference=(pl.col("group") == pl.col("__ref_cat"))
            & pl.col("reference_value").is_not_null()
            & eligible,
        )
    )
    if reference == "best":
        # The best group is at one end, so every |y_i − R| has the same sign:
        # Σ_{i≠ref} |y_i − R| = |Σ_i y_i − N·R| over all N eligible groups.
        n_others = pl.col("__n") - 1
        stats = stats.with_columns(
            index_of_disparity=pl.when((n_others > 0) & (pl.col("reference_value") != 0)).then(
                (pl.col("__sum") - pl.col("__n") * pl.col("reference_value")).abs()
                / pl.col("reference_value")
                / n_others
                * 100
            ),
            compared_groups=n_others.clip(0),
        )
    else:
        gap = (
            groups.filter(eligible & ~pl.col("is_reference"))
            .group_by(group_keys)
            .agg(
                ((pl.col("value") - pl.col("reference_value")).abs() / pl.col("reference_value"))
                .mean()
                .alias("__mean_gap"),
                pl.len().alias("compared_groups"),
            )
            .collect()
        )
        stats = stats.join(gap, on=group_keys, how="left").with_columns(
            index_of_disparity=pl.when(
                pl.col("reference_value").is_not_null() & (pl.col("reference_value") != 0)
            ).then(pl.col("__mean_gap") * 100),
            compared_groups=pl.when(pl.col("reference_value").is_not_null())
            .then(pl.col("compared_groups").fill_null(0))
            .otherwise(0),
        )
    with_pop = (pl.col("__n") > 0) & (pl.col("__no_pop") == 0) & (pl.col("__pop") > 0)
    mean = pl.col("__py") / pl.col("__pop")
    bgv = (pl.col("__pyy") / pl.col("__pop") - mean * mean).clip(lower_bound=0)
    theil = pl.col("__pylny") / pl.col("__py") - mean.log()
    places = stats.with_columns(
        between_group_variance=pl.when(with_pop).then(bgv),
        theil_index=pl.when(with_pop & ~pl.col("__negative") & (mean > 0)).then(theil),
    ).select(
        *keys,
        "reference_group",
        "reference_value",
        "index_of_disparity",
        pl.col("compared_groups").cast(pl.UInt32),
        "between_group_variance",
        "theil_index",
        "total_value",
        "total_reliable",
    )
    group_frame = groups.select(
        *keys,
        "group",
        "value",
        "flags",
        "reliable",
        "is_reference",
        "difference",
        "ratio",
        "population",
    ).collect()
    return EquityTables(groups=group_frame, places=places)
