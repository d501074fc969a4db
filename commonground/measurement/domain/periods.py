"""Periods: one label per data period, whatever file the data came from.

A period is the span of years the data describe (``"2020-2022"`` for life expectancy
computed from three years of deaths), not the year a source published them. Three
rules keep one measure's data years under one label:

* :func:`canonical_period` writes every label the same way (``"2020 - 2022"``,
  ``"2020–2022"`` and ``"2020-22"`` are all ``"2020-2022"``).
* :func:`chr_data_years` gives the data years of a County Health Rankings measure in a
  release, where they are documented (the analytic file states only the release year).
  Measures not in :data:`CHR_DATA_YEARS` keep the release label :func:`release_label`.
* :func:`reconcile_periods` finds incoming rows that are the same data as rows already
  stored under another label (same places and groups, same values): they take the
  stored label, so that a second file never adds a second point to a trend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

_RANGE = re.compile(r"^\s*((?:19|20)\d{2})\s*[-‐‑‒–—/]\s*(\d{2}|\d{4})\s*$")
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*$")


def canonical_period(text: str) -> str:
    """Write a period label one way: a year, or ``YYYY-YYYY``; other text is trimmed.

    >>> canonical_period(" 2020 – 2022 "), canonical_period("2020-22"), canonical_period("2019")
    ('2020-2022', '2020-2022', '2019')
    >>> canonical_period("2021-2021"), canonical_period("Spring 2024")
    ('2021', 'Spring 2024')
    """
    match = _RANGE.match(text)
    if match:
        start, end = match[1], match[2]
        if len(end) == 2:
            end = start[:2] + end
        if end == start:
            return start
        if int(end) > int(start):
            return f"{start}-{end}"
    single = _YEAR.match(text)
    if single:
        return single[1]
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class DataYears:
    """How a County Health Rankings measure's data years follow from the release year R:
    from ``R - start`` to ``R - end`` (one year when they are equal)."""

    start: int
    end: int
    source: str

    def period(self, release: int) -> str:
        first, last = release - self.start, release - self.end
        return str(first) if first == last else f"{first}-{last}"


_NCHS_3 = DataYears(5, 3, "NCHS deaths, three years ending three years before the release")
_ACS_5 = DataYears(6, 2, "American Community Survey 5-year estimates ending R-2")
_POPEST = DataYears(2, 2, "Census population estimates of July 1, two years before the release")
_CHAS = DataYears(8, 4, "HUD CHAS 5-year data ending four years before the release")

#: Documented in County Health Rankings' own calculation code
#: (County-Health-Rankings-and-Roadmaps/chrr_measure_calcs, the source of shared/data/chrr):
#: the NCHS life-table and mortality notebooks use deaths of R-5..R-3 (release 2026:
#: 2021-2023), the ACS notebook sets ``ACS_YEAR <- CHRR_YEAR - 2`` and ``CHAS_YEAR <-
#: CHRR_YEAR - 4`` (and says it replicates release 2025), the demographics notebook
#: ``POPEST_YEAR <- CHRR_YEAR - 2``. Release 2025's life expectancy and premature death
#: are 2020-2022 (shared/data/SOURCES.md; CHR&R's release notes).
CHR_DATA_YEARS: dict[str, DataYears] = {
    "v147": _NCHS_3,  # life expectancy
    "v001": _NCHS_3,  # premature death (years of potential life lost)
    "v127": _NCHS_3,  # premature age-adjusted mortality
    "v059": _ACS_5,  # not proficient in English
    "v067": _ACS_5,  # driving alone to work
    "v069": _ACS_5,  # some college
    "v082": _ACS_5,  # children in single-parent households
    "v137": _ACS_5,  # long commute, driving alone
    "v141": _ACS_5,  # residential segregation, Black/White
    "v149": _ACS_5,  # disconnected youth
    "v153": _ACS_5,  # homeownership
    "v168": _ACS_5,  # high school completion
    "v136": _CHAS,  # severe housing problems
    "v051": _POPEST,  # population
    "v052": _POPEST,  # % below 18
    "v053": _POPEST,  # % 65 and older
    "v057": _POPEST,  # % female
}


def chr_data_years(measure: str, release: int | str) -> str | None:
    """The data years of County Health Rankings measure ``measure`` in release ``release``.

    ``None`` when they are not documented here (see :data:`CHR_DATA_YEARS`).

    >>> chr_data_years("v147", 2025), chr_data_years("v069", "2025"), chr_data_years("v052", 2025)
    ('2020-2022', '2019-2023', '2023')
    >>> chr_data_years("v133", 2025) is None
    True
    """
    rule = CHR_DATA_YEARS.get(measure)
    if rule is None:
        return None
    return rule.period(int(release))


def release_label(release: int | str) -> str:
    """The period label of measures whose data years a release does not state.

    >>> release_label(2025)
    '2025 release'
    """
    return f"{int(release)} release"


def reconcile_periods(
    incoming: pl.DataFrame,
    stored: pl.DataFrame,
    *,
    rel_tol: float = 1e-6,
    min_share: float = 0.95,
    min_overlap: int = 3,
) -> dict[tuple[str, str], str]:
    """Map (indicator, incoming period) to a stored period holding the same data.

    Both frames have ``indicator_id, place, group, period, value``. An incoming period
    that is already a stored label of its indicator is left alone (its rows are updates).
    Otherwise it maps to the stored period of the same indicator with which it shares at
    least ``min_overlap`` place-and-group cells (fewer when the file has fewer), at least
    ``min_share`` of them equal within ``rel_tol``: published estimates of two different
    periods are never equal to the last digit across a state's counties and groups.

    >>> new = pl.DataFrame({"indicator_id": ["v147"] * 3, "place": ["01001", "01003", "01005"],
    ...     "group": ["black"] * 3, "period": ["2025 release"] * 3, "value": [71.085883846, 70.7227819, 70.5]})
    >>> old = new.with_columns(period=pl.lit("2020-2022"), value=pl.Series([71.0858838455696, 70.72278195, 70.5]))
    >>> reconcile_periods(new, old)
    {('v147', '2025 release'): '2020-2022'}
    """
    if incoming.is_empty() or stored.is_empty():
        return {}
    keys = ["indicator_id", "place", "group"]
    labels: dict[str, set[str]] = {}
    for indicator, period in stored.select("indicator_id", "period").unique().iter_rows():
        labels.setdefault(indicator, set()).add(period)
    new = incoming.select(*keys, "period", "value").filter(pl.col("value").is_not_null())
    old = stored.select(*keys, pl.col("period").alias("stored"), pl.col("value").alias("old"))
    old = old.filter(pl.col("old").is_not_null())
    joined = new.join(old, on=keys, how="inner").filter(pl.col("period") != pl.col("stored"))
    if joined.is_empty():
        return {}
    equal = (pl.col("value") - pl.col("old")).abs() <= rel_tol * pl.max_horizontal(
        pl.col("value").abs(), pl.col("old").abs(), pl.lit(1e-12)
    )
    sizes = {
        (indicator, period): size
        for indicator, period, size in new.group_by("indicator_id", "period")
        .agg(pl.len())
        .iter_rows()
    }
    summary = (
        joined.with_columns(__equal=equal)
        .group_by("indicator_id", "period", "stored")
        .agg(pl.len().alias("shared"), pl.col("__equal").sum().alias("same"))
        .sort("same", descending=True)
    )
    out: dict[tuple[str, str], str] = {}
    for indicator, period, label, shared, same in summary.iter_rows():
        if (indicator, period) in out or period in labels.get(indicator, set()):
            continue
        size = sizes.get((indicator, period), shared)
        if shared >= min(min_overlap, size) and same >= min_share * shared:
            out[(indicator, period)] = label
    return out
