"""Reads for measurement pages, the API and exports. Call inside the coalition's scope.

Everything that leaves here for display has been through small-cell protection
(``domain.suppression``): a hidden value is ``None`` with ``suppressed`` set, never a
number, so pages, the API and exports cannot show a count from 1 to 10.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground import geo
from commonground.coalitions.freshness import once_per_request
from commonground.coalitions.models import Coalition, Place
from commonground.lib.numbers import decimal_separator, fixed
from commonground.measurement import messages
from commonground.measurement.domain import charts, goals, suppression, trends
from commonground.measurement.domain.catalog import GROUP_LABELS
from commonground.measurement.domain.equity import GroupValue, compare_groups, gap_between
from commonground.measurement.models import (
    ImportJob,
    Indicator,
    IndicatorRelease,
    MeasureValue,
    Observation,
    PerformanceMeasure,
    PriorityArea,
    Result,
    StagedUpload,
    Target,
)

TOTAL = "total"


# --- names and numbers ----------------------------------------------------------------------


def place_name(code: str) -> str:
    """A person's name for a place code: "Montgomery, Alabama", "Alabama", "United States"."""
    if code in {"00", "00000"}:
        return _("United States")
    try:
        if code.isdigit() and len(code) == 2:
            return geo.state(code).name
        if code.isdigit() and len(code) == 5:
            return geo.county(code).name
    except geo.PlaceError:
        return code
    return code


# The catalog's group names, marked here so that makemessages finds them.
GROUP_NAMES = {
    "total": gettext_lazy("All people"),
    "white": gettext_lazy("White"),
    "black": gettext_lazy("Black"),
    "aian": gettext_lazy("American Indian / Alaska Native"),
    "asian": gettext_lazy("Asian"),
    "nhopi": gettext_lazy("Native Hawaiian / Pacific Islander"),
    "tom": gettext_lazy("Two or more races"),
    "hispanic": gettext_lazy("Hispanic"),
    "other": gettext_lazy("Other or unknown race"),
}


def group_label(group: str) -> str:
    if group in GROUP_NAMES:
        return str(GROUP_NAMES[group])
    return group.replace("_", " ").title()


def value_scale(indicator: Indicator) -> tuple[float, str, int]:
    """Multiply by, suffix and decimals to show the indicator's values to people."""
    unit = indicator.unit.lower()
    if unit == "proportion":
        return 100.0, "%", 1
    if unit == "percent":
        return 1.0, "%", 1
    if unit == "years":
        return 1.0, " " + _("years"), 1
    if "0-1" in unit:
        return 100.0, "", 0
    return 1.0, "", 2


def format_value(indicator: Indicator, value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return ""
    scale, suffix, digits = value_scale(indicator)
    text = f"{value * scale:+.{digits}f}" if signed else f"{value * scale:,.{digits}f}"
    if signed and suffix == "%":
        suffix = " " + _("points")
    return text.replace("-", "−") + suffix


def format_gap_size(indicator: Indicator, size: float) -> str:
    """A gap's size, positive, in the indicator's units (points for percentages)."""
    scale, suffix, digits = value_scale(indicator)
    if suffix == "%":
        suffix = " " + _("points")
    return f"{abs(size) * scale:,.{digits}f}" + suffix


def gap_text(
    indicator: Indicator, value: float | None, reference: float | None, against: str = ""
) -> str:
    """The gap between ``value`` and ``reference`` under the one sign convention:
    "9.4 years lower than White residents" (or "9.4 years lower" without ``against``)."""
    if value is None or reference is None:
        return ""
    scale, _suffix, digits = value_scale(indicator)
    gap = gap_between(value, reference, digits=digits + round(math.log10(scale)))
    size = format_gap_size(indicator, gap.size)
    if gap.side == "same":
        return _("the same as %(ref)s") % {"ref": against} if against else _("no gap")
    if gap.side == "lower":
        if against:
            return _("%(gap)s lower than %(ref)s") % {"gap": size, "ref": against}
        return _("%(gap)s lower") % {"gap": size}
    if against:
        return _("%(gap)s higher than %(ref)s") % {"gap": size, "ref": against}
    return _("%(gap)s higher") % {"gap": size}


# --- catalog, jobs, places ------------------------------------------------------------------


def list_indicators(*, coalition: Coalition) -> QuerySet[Indicator]:
    return Indicator.objects.filter(coalition=coalition).annotate(
        observation_count=Count("observations")
    )


def indicators_with_county_data(*, coalition: Coalition) -> list[Indicator]:
    """The coalition's indicators with at least one county observation, in the order added."""
    with_counties = Observation.objects.filter(coalition=coalition, place_type="county").values(
        "indicator_id"
    )
    return list(Indicator.objects.filter(coalition=coalition, pk__in=with_counties).order_by("pk"))


def count_indicators(*, coalition: Coalition) -> int:
    return Indicator.objects.filter(coalition=coalition).count()


def get_indicator(*, indicator_id: int) -> Indicator:
    return Indicator.objects.get(pk=indicator_id)


def get_indicator_by_code(*, code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()


def list_jobs(*, coalition: Coalition) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(coalition=coalition).defer("content")


def get_job(*, job_id: int) -> ImportJob:
    return ImportJob.objects.defer("content").get(pk=job_id)


def get_staged(*, key: object, user: object) -> StagedUpload:
    """A file waiting in the import wizard, only for the person who uploaded it and only
    until it expires (``StagedUpload.DoesNotExist`` otherwise)."""
    return StagedUpload.objects.get(key=key, created_by=user, expires_at__gt=timezone.now())


def list_staged(*, coalition: Coalition, user: object) -> list[StagedUpload]:
    return list(
        StagedUpload.objects.filter(
            coalition=coalition, created_by=user, expires_at__gt=timezone.now()
        ).defer("content")
    )


def served_places(*, coalition: Coalition) -> list[tuple[str, str]]:
    """(code, name) of the counties and neighborhoods the coalition serves."""
    kinds = [Place.Kind.COUNTY, Place.Kind.NEIGHBORHOOD]
    return [
        (code, place_name(code) if kind == Place.Kind.COUNTY else name)
        for kind, code, name in Place.objects.filter(coalition=coalition, kind__in=kinds)
        .order_by("kind", "name")
        .values_list("kind", "code", "name")
    ]


def served_counties(*, coalition: Coalition) -> list[str]:
    return list(
        Place.objects.filter(coalition=coalition, kind=Place.Kind.COUNTY).values_list(
            "code", flat=True
        )
    )


def peer_counties(*, indicator: Indicator, counties: Sequence[str], period: str) -> list[str]:
    """Counties with data for the indicator and period in the states of ``counties``."""
    states = {c[:2] for c in counties}
    codes = (
        Observation.objects.filter(indicator=indicator, period=period, place_type="county")
        .values_list("place_code", flat=True)
        .order_by()  # without the default ordering's columns, DISTINCT is per place
        .distinct()
    )
    return sorted(c for c in codes if c[:2] in states)


def _period_key(period: str) -> tuple[float, str]:
    try:
        return (trends.period_year(period), period)
    except trends.TrendError:
        return (math.inf, period)


def periods(*, indicator: Indicator) -> list[str]:
    """The indicator's periods, oldest first (by the year each stands for)."""
    return sorted(
        Observation.objects.filter(indicator=indicator)
        .values_list("period", flat=True)
        .order_by()
        .distinct(),
        key=_period_key,
    )


def best_period(*, indicator: Indicator, counties: Sequence[str]) -> str:
    """The latest period with data for as many of ``counties`` as any period has: the map
    and the dashboard open on it, never on a period that greys out most of them."""
    found = periods(indicator=indicator)
    if not found:
        return ""
    rows = (
        Observation.objects.filter(indicator=indicator, place_code__in=list(counties))
        .values_list("period", "place_code")
        .order_by()
        .distinct()
    )
    covered: dict[str, set[str]] = defaultdict(set)
    for period, place in rows:
        covered[period].add(place)
    most = max((len(covered[p]) for p in found), default=0)
    return next(p for p in reversed(found) if len(covered[p]) == most)


@dataclass(frozen=True)
class PeriodRelease:
    """One period of an indicator and its release, if it has one (released or reopened)."""

    period: str
    release: IndicatorRelease | None

    @property
    def is_released(self) -> bool:
        return self.release is not None and self.release.is_released

    @property
    def is_reopened(self) -> bool:
        return self.release is not None and not self.release.is_released


def list_releases(*, indicator: Indicator) -> list[IndicatorRelease]:
    """The indicator's releases, released and reopened, oldest period first."""
    found = IndicatorRelease.objects.filter(indicator=indicator).select_related(
        "indicator", "released_by", "reopened_by"
    )
    return sorted(found, key=lambda r: _period_key(r.period))


def period_releases(*, indicator: Indicator) -> list[PeriodRelease]:
    """Every period of the indicator (those with values, and any released one), oldest
    first, with its release."""
    found = {r.period: r for r in list_releases(indicator=indicator)}
    labels = sorted(set(periods(indicator=indicator)) | set(found), key=_period_key)
    return [PeriodRelease(period=p, release=found.get(p)) for p in labels]


def get_release(*, indicator: Indicator, release_id: int) -> IndicatorRelease:
    """The indicator's release ``release_id`` (raises ``DoesNotExist`` for another's)."""
    return IndicatorRelease.objects.select_related("indicator").get(
        pk=release_id, indicator=indicator
    )


def groups(*, indicator: Indicator) -> list[str]:
    found = set(
        Observation.objects.filter(indicator=indicator)
        .values_list("group", flat=True)
        .order_by()
        .distinct()
    )
    ordered = [g for g in GROUP_LABELS if g in found]
    return ordered + sorted(found - set(ordered))


# --- equity ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    group: str
    label: str
    value: float | None
    value_text: str
    ci_text: str
    ci_low: float | None
    ci_high: float | None
    numerator: float | None
    denominator: float | None
    population: float | None
    suppressed: bool
    counts_withheld: bool
    reliable: bool
    reasons: tuple[str, ...]
    is_reference: bool
    difference: float | None
    difference_text: str
    ratio: float | None
    gap_text: str = ""  # "9.4 years lower": the one sign convention (see gap_text())
    # As the equity table shows them (``floatformat`` 2 and 0), formatted once here.
    ratio_text: str = ""
    numerator_text: str = ""
    denominator_text: str = ""


@dataclass(frozen=True, slots=True)
class BarText:
    """One bar of a gap chart, its coordinates as the SVG shows them."""

    label: str
    y: str
    x: str | None  # None: nothing to draw (suppressed or missing)
    x_low: str | None
    x_high: str | None
    is_reference: bool
    note: str


@dataclass(frozen=True, slots=True)
class GapChartText:
    """A :class:`charts.GapChart` with its numbers formatted for the SVG, once per chart.

    The text is what ``floatformat`` (1 decimal; ``left`` none) gives in the active
    language, so the chart template does no number formatting of its own.
    """

    width: int
    height: int
    left: int
    left_text: str
    ticks: tuple[tuple[str, str], ...]  # (x, label)
    reference_x: str | None
    bars: tuple[BarText, ...]


def gap_chart_text(chart: charts.GapChart) -> GapChartText:
    separator = "."  # SVG coordinates, never localized (Spanish would write 56,0)

    def text(value: float | None) -> str | None:
        return None if value is None else fixed(value, 1, separator)

    return GapChartText(
        width=chart.width,
        height=chart.height,
        left=chart.left,
        left_text=fixed(chart.left, 0, separator),
        ticks=tuple((fixed(t.x, 1, separator), t.label) for t in chart.ticks),
        # The template drew the reference line only for a true x (never 0.0).
        reference_x=text(chart.reference_x) if chart.reference_x else None,
        bars=tuple(
            BarText(
                label=b.label,
                y=fixed(b.y, 1, separator),
                x=text(b.x),
                x_low=text(b.x_low),
                x_high=text(b.x_high),
                is_reference=b.is_reference,
                note=b.note,
            )
            for b in chart.bars
        ),
    )


@dataclass(frozen=True)
class PlaceEquity:
    place: str
    place_name: str
    period: str
    indicator: Indicator
    reference_group: str | None
    reference_label: str
    reference_text: str
    index_of_disparity: float | None
    rows: list[GroupRow]
    total: GroupRow | None
    bars: tuple[charts.Bar, ...]  # of the gap chart; laid out only when a page draws it
    scale: float
    digits: int
    widest: GroupRow | None = None  # the reliable group furthest from the reference

    @cached_property
    def chart(self) -> charts.GapChart:
        return charts.gap_chart(self.bars, scale=self.scale, digits=self.digits)

    @cached_property
    def chart_text(self) -> GapChartText:
        return gap_chart_text(self.chart)

    @property
    def chart_id(self) -> str:
        return slugify(f"gap-{self.indicator.code}-{self.place}-{self.period}")

    @property
    def summary(self) -> str:
        """One plain sentence about the widest gap."""
        if self.reference_group is None or self.widest is None:
            return _("Too few reliable groups to compare here.")
        return _(
            "%(ref)s residents have the best value (%(ref_value)s). %(group)s residents: "
            "%(value)s, %(gap)s."
        ) % {
            "ref": self.reference_label,
            "ref_value": self.reference_text,
            "group": self.widest.label,
            "value": self.widest.value_text,
            "gap": self.widest.gap_text,
        }


def _observations(
    indicator: Indicator,
    places: Sequence[str] | None,
    period: str | None,
    group_filter: Sequence[str] | None = None,
) -> dict[tuple[str, str], list[Observation]]:
    queryset = Observation.objects.filter(indicator=indicator)
    if places is not None:
        queryset = queryset.filter(place_code__in=list(places))
    if period:
        queryset = queryset.filter(period=period)
    if group_filter:
        queryset = queryset.filter(group__in=[*group_filter, TOTAL])
    cells: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for obs in queryset.order_by("place_code", "period", "group"):
        cells[(obs.place_code, obs.period)].append(obs)
    return cells


def _equity(
    indicator: Indicator, place: str, period: str, found: list[Observation], reference: str = "best"
) -> PlaceEquity:
    result = compare_groups(
        [
            GroupValue(
                o.group,
                o.value,
                numerator=o.numerator,
                denominator=o.denominator,
                population=o.population,
                ci_low=o.ci_low,
                ci_high=o.ci_high,
                source_unreliable=o.source_unreliable,
            )
            for o in found
        ],
        lower_is_better=indicator.lower_is_better,
        reference=reference,
        rules=indicator.rules(),
    )
    separator = decimal_separator()
    protected = {
        c.group: c
        for c in suppression.protect(
            [
                suppression.Cell(
                    o.group, o.value, o.numerator, o.denominator, o.population, o.ci_low, o.ci_high
                )
                for o in found
            ]
        )
    }
    compared = {g.group: g for g in result.groups}
    if result.total is not None:
        compared[TOTAL] = result.total
    rows = []
    for obs in found:
        cell = protected[obs.group]
        outcome = compared[obs.group]
        hidden = cell.suppressed or outcome.value is None
        value = None if hidden else outcome.value
        difference = None if hidden or obs.group == TOTAL else outcome.difference
        ratio = None if hidden or obs.group == TOTAL else outcome.ratio
        rows.append(
            GroupRow(
                group=obs.group,
                label=group_label(obs.group),
                value=value,
                value_text=format_value(indicator, value),
                ci_text=(
                    f"{format_value(indicator, cell.ci_low)} – {format_value(indicator, cell.ci_high)}"
                    if value is not None and cell.ci_low is not None and cell.ci_high is not None
                    else ""
                ),
                ci_low=None if hidden else cell.ci_low,
                ci_high=None if hidden else cell.ci_high,
                numerator=cell.numerator,
                denominator=cell.denominator,
                population=cell.population,
                suppressed=hidden and (cell.suppressed or bool(outcome.flags & 1)),
                counts_withheld=cell.counts_withheld,
                reliable=outcome.reliable,
                reasons=messages.flag_reasons(outcome.flags),
                is_reference=outcome.is_reference,
                difference=difference,
                difference_text=format_value(indicator, difference, signed=True)
                if difference is not None
                else "",
                ratio=ratio,
                gap_text=gap_text(indicator, value, result.reference_value)
                if difference is not None
                else "",
                ratio_text="" if ratio is None else fixed(ratio, 2, separator),
                numerator_text=""
                if cell.numerator is None
                else fixed(cell.numerator, 0, separator),
                denominator_text=""
                if cell.denominator is None
                else fixed(cell.denominator, 0, separator),
            )
        )
    group_rows = [r for r in rows if r.group != TOTAL]
    total = next((r for r in rows if r.group == TOTAL), None)
    candidates = [
        r for r in group_rows if r.reliable and r.difference is not None and not r.is_reference
    ]
    widest = max(candidates, key=lambda r: abs(r.difference or 0), default=None)
    scale, _suffix, digits = value_scale(indicator)
    bars = tuple(
        charts.Bar(
            r.label,
            r.value,
            r.ci_low,
            r.ci_high,
            r.is_reference,
            _("suppressed") if r.suppressed else ("" if r.reliable else _("unreliable")),
        )
        for r in group_rows
    )
    return PlaceEquity(
        place=place,
        place_name=place_name(place),
        period=period,
        indicator=indicator,
        reference_group=result.reference_group,
        reference_label=group_label(result.reference_group) if result.reference_group else "",
        reference_text=format_value(indicator, result.reference_value),
        index_of_disparity=result.index_of_disparity,
        rows=group_rows,
        total=total,
        bars=bars,
        scale=scale,
        digits=digits,
        widest=widest,
    )


def equity_for(
    *,
    indicator: Indicator,
    places: Sequence[str],
    period: str | None = None,
    group_filter: Sequence[str] | None = None,
    reference: str = "best",
) -> list[PlaceEquity]:
    """Every group of the indicator in each place and period, compared with the reference."""
    cells = _observations(indicator, places, period, group_filter)
    order = {p: i for i, p in enumerate(places)}
    return [
        _equity(indicator, place, per, found, reference)
        for (place, per), found in sorted(
            cells.items(), key=lambda kv: (order.get(kv[0][0], 0), kv[0][1])
        )
    ]


@dataclass(frozen=True)
class GapSummary:
    indicator: Indicator
    places: list[PlaceEquity]
    map_query: str = "mode=gap"  # the map's query string for this indicator's gap


def key_gaps(*, coalition: Coalition, counties: Sequence[str]) -> list[GapSummary]:
    """Indicators with group data in the coalition's counties, latest period, widest gaps
    (derived once per version of the data: ``coalitions.freshness``)."""
    places = list(counties)
    return once_per_request(
        coalition,
        f"key_gaps:{','.join(places)}",
        lambda: _key_gaps(coalition, places),
        apps=("measurement",),
    )


def _key_gaps(coalition: Coalition, counties: Sequence[str]) -> list[GapSummary]:
    indicator_ids = (
        Observation.objects.filter(place_code__in=list(counties))
        .exclude(group=TOTAL)
        .values_list("indicator_id", flat=True)
        .order_by()
        .distinct()
    )
    gap_targets = {
        t.indicator_id: f"mode=gap&group={t.group}&reference={t.reference_group}"
        for t in Target.objects.filter(coalition=coalition, kind=Target.Kind.GAP)
    }
    with_targets = set(
        Target.objects.filter(coalition=coalition).values_list("indicator_id", flat=True)
    )
    found = Indicator.objects.filter(pk__in=list(indicator_ids)).order_by("code")
    out = []
    for indicator in sorted(found, key=lambda i: i.pk not in with_targets):
        latest = best_period(indicator=indicator, counties=counties)
        out.append(
            GapSummary(
                indicator,
                equity_for(indicator=indicator, places=counties, period=latest or None),
                gap_targets.get(indicator.pk, "mode=gap"),
            )
        )
    return out


# --- map and goals --------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCell:
    place: str
    name: str
    value: float | None
    text: str
    note: str
    is_served: bool


def county_map_cells(
    *,
    coalition: Coalition,
    indicator: Indicator,
    counties: Sequence[str],
    period: str,
    group: str,
    mode: str,
    reference: str = "best",
) -> list[MapCell]:
    """:func:`map_cells` for the coalition's map page, derived once per version of the
    coalition's data (``coalitions.freshness``)."""
    places = list(counties)
    return once_per_request(
        coalition,
        f"map_cells:{indicator.pk}:{','.join(places)}:{period}:{group}:{mode}:{reference}",
        lambda: map_cells(
            indicator=indicator,
            counties=places,
            period=period,
            group=group,
            mode=mode,
            reference=reference,
        ),
        apps=("measurement",),
    )


def map_cells(
    *,
    indicator: Indicator,
    counties: Sequence[str],
    period: str,
    group: str,
    mode: str,
    reference: str = "best",
) -> list[MapCell]:
    """One value per peer county: the group's value, or its gap to the reference group."""
    peers = peer_counties(indicator=indicator, counties=counties, period=period)
    served = set(counties)
    out = []
    for place_equity in equity_for(
        indicator=indicator, places=peers, period=period, reference=reference
    ):
        rows = {r.group: r for r in place_equity.rows}
        if place_equity.total is not None:
            rows[TOTAL] = place_equity.total
        row = rows.get(group)
        if row is None:
            value, note = None, _("no data")
        elif row.suppressed:
            value, note = None, _("suppressed")
        elif mode == "gap":
            value = row.difference
            note = (
                ("" if row.reliable else _("unreliable"))
                if value is not None
                else _("no reliable value for the comparison group")
            )
        else:
            value, note = row.value, "" if row.reliable else _("unreliable")
        if value is None or row is None:
            text = note
        elif mode == "gap":
            text = row.gap_text
        else:
            text = format_value(indicator, value)
        out.append(
            MapCell(
                place_equity.place,
                place_equity.place_name,
                value,
                text,
                note,
                place_equity.place in served,
            )
        )
    return out


@dataclass(frozen=True)
class GoalRow:
    place: str
    place_name: str
    value_text: str
    distance_text: str
    percentile: float | None
    meets_goal: bool


@dataclass(frozen=True)
class GoalView:
    indicator: Indicator
    period: str
    goal_text: str
    goal_places: list[str]
    peer_count: int
    rows: list[GoalRow] = field(default_factory=list)


def goal_for(
    *, indicator: Indicator, counties: Sequence[str], period: str, top: int = 5
) -> GoalView:
    """HOPE-style goal: the mean of the best ``top`` peer counties (same states) — their
    total, or their best-off group where no reliable total is given."""
    peers = peer_counties(indicator=indicator, counties=counties, period=period)
    values: dict[str, float] = {}
    for item in equity_for(indicator=indicator, places=peers, period=period):
        total = item.total
        if total is not None and total.value is not None and total.reliable:
            values[item.place] = total.value
        elif item.reference_group is not None:
            ref = next(r for r in item.rows if r.is_reference)
            if ref.value is not None:
                values[item.place] = ref.value
    goal = goals.benchmark_goal(values, top=top, lower_is_better=indicator.lower_is_better)
    rows = []
    for county in counties:
        value = values.get(county)
        if value is None or goal.value is None:
            rows.append(
                GoalRow(county, place_name(county), _("no reliable value"), "", None, False)
            )
            continue
        distance = goals.distance_to_goal(
            value, goal.value, lower_is_better=indicator.lower_is_better
        )
        rank = goals.percentile_rank(
            value, list(values.values()), lower_is_better=indicator.lower_is_better
        )
        rows.append(
            GoalRow(
                county,
                place_name(county),
                format_value(indicator, value),
                format_value(indicator, abs(distance)) if distance > 0 else "",
                rank,
                distance <= 0,
            )
        )
    return GoalView(
        indicator,
        period,
        format_value(indicator, goal.value),
        [place_name(p) for p in goal.places],
        len(values),
        rows,
    )


# --- targets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetView:
    """Where a target stands, in words.

    For a gap target (between two groups, or between two places for one group) every
    value is a gap under the one sign convention (``gap_text``): ``latest_text``
    "9.4 years", ``standing_text`` "Black residents: 9.4 years lower than White
    residents", ``pace_text`` "the gap must shrink by 0.5 years a year".
    """

    target: Target
    place_name: str
    baseline_text: str
    latest_text: str
    goal_text: str
    required_text: str
    on_track: bool | None
    met: bool
    chart: charts.TrendChart | None
    series: list[tuple[str, str]]  # (period, gap or value) for the text alternative
    comparison: str = ""  # "Black residents against White residents"
    standing_text: str = ""
    pace_text: str = ""
    latest_period: str = ""
    is_gap: bool = False

    @property
    def reference_place_name(self) -> str:
        return place_name(self.target.reference_place) if self.target.reference_place else ""


def _comparison(target: Target) -> tuple[str, str, str]:
    """(who the target is about, who it is compared with, the two in one phrase)."""
    if target.kind == Target.Kind.PLACE_GAP:
        mine, theirs = place_name(target.place_code), place_name(target.reference_place)
        if target.group != TOTAL:
            group = group_label(target.group)
            mine = _("%(group)s residents of %(place)s") % {"group": group, "place": mine}
            theirs = _("%(group)s residents of %(place)s") % {"group": group, "place": theirs}
    elif target.kind == Target.Kind.GAP:
        mine = _("%(group)s residents") % {"group": group_label(target.group)}
        theirs = _("%(group)s residents") % {"group": group_label(target.reference_group)}
    else:
        return "", "", ""
    return mine, theirs, _("%(mine)s against %(theirs)s") % {"mine": mine, "theirs": theirs}


def _target_series(target: Target) -> list[tuple[str, float, float | None]]:
    """(period, value, reference value) for each period with what the target needs, small
    counts hidden."""
    if target.kind == Target.Kind.PLACE_GAP:
        found = Observation.objects.filter(
            indicator=target.indicator,
            place_code__in=[target.place_code, target.reference_place],
            group=target.group,
        )
        mine_key, theirs_key = target.place_code, target.reference_place
    else:
        groups = [target.group] + ([target.reference_group] if target.reference_group else [])
        found = Observation.objects.filter(
            indicator=target.indicator, place_code=target.place_code, group__in=groups
        )
        mine_key, theirs_key = target.group, target.reference_group
    by_period: dict[str, dict[str, float | None]] = defaultdict(dict)
    for obs in found:
        hidden = suppression.is_small_count(obs.numerator) or suppression.is_small_count(
            obs.denominator
        )
        key = obs.place_code if target.kind == Target.Kind.PLACE_GAP else obs.group
        by_period[obs.period][key] = None if hidden else obs.value
    out: list[tuple[str, float, float | None]] = []
    for period in sorted(by_period, key=_period_key):
        value = by_period[period].get(mine_key)
        if value is None:
            continue
        if target.kind == Target.Kind.VALUE:
            out.append((period, value, None))
            continue
        reference = by_period[period].get(theirs_key)
        if reference is not None:
            out.append((period, value, reference))
    return out


def assess(target: Target) -> TargetView:
    """Where a target stands: baseline, latest, goal, the yearly change needed, on track.

    A period repeating another period's values is the same data under two labels and
    counts once (``trends.distinct_data_points``): it never makes a trend.
    """
    indicator = target.indicator
    is_gap = target.kind in {Target.Kind.GAP, Target.Kind.PLACE_GAP}
    mine_label, theirs_label, comparison = _comparison(target)
    series = [row for row in _target_series(target) if _period_key(row[0])[0] != math.inf]
    if series:
        keep = trends.distinct_data_points(
            [trends.period_year(p) for p, _v, _r in series],
            [v for _p, v, _r in series],
            *([[r or 0.0 for _p, _v, r in series]] if is_gap else []),
        )
        series = sorted((series[i] for i in keep), key=lambda row: _period_key(row[0]))
    if not series:
        return TargetView(
            target,
            place_name(target.place_code),
            "",
            "",
            "",
            "",
            None,
            False,
            None,
            [],
            comparison=comparison,
            is_gap=is_gap,
        )
    labels = [p for p, _v, _r in series]
    years = [trends.period_year(p) for p in labels]
    mine = [v for _p, v, _r in series]
    if is_gap:
        theirs = [r for _p, _v, r in series if r is not None]
        a = trends.assess_gap_target(
            years, mine, theirs, target_period=target.target_year, reduction=target.reduction
        )
        series_values = [abs(r - g) for g, r in zip(mine, theirs, strict=True)]
    else:
        assert target.target_value is not None
        a = trends.assess_target(
            years,
            mine,
            target_value=target.target_value,
            target_period=target.target_year,
            lower_is_better=indicator.lower_is_better,
        )
        series_values = mine
    fit = None
    if len(years) >= 2:
        line = trends.ols_trend(years, series_values)
        fit = (line.intercept, line.slope)
    scale, _suffix, digits = value_scale(indicator)
    chart = charts.trend_chart(
        years,
        [v * scale for v in series_values],
        target_year=target.target_year,
        target_value=a.target_value * scale,
        fit=(fit[0] * scale, fit[1] * scale) if fit else None,
        digits=digits,
    )
    change = a.required_yearly_change
    required = format_value(indicator, change, signed=True) if change is not None else ""
    show = format_gap_size if is_gap else format_value
    standing = pace = ""
    if is_gap:
        standing = _("%(mine)s: %(gap)s") % {
            "mine": mine_label,
            "gap": gap_text(indicator, mine[-1], theirs[-1], theirs_label),
        }
        if a.met:
            pace = _("the gap is already at or below the target")
        elif change is not None:
            pace = _("the gap must shrink by %(size)s a year") % {
                "size": format_gap_size(indicator, change)
            }
    elif change is not None:
        pace = required
    return TargetView(
        target=target,
        place_name=place_name(target.place_code),
        baseline_text=show(indicator, a.baseline_value),
        latest_text=show(indicator, a.latest_value),
        goal_text=show(indicator, a.target_value),
        required_text=required,
        on_track=a.on_track,
        met=a.met,
        chart=chart,
        series=[(p, show(indicator, v)) for p, v in zip(labels, series_values, strict=True)],
        comparison=comparison,
        standing_text=standing,
        pace_text=pace,
        latest_period=labels[-1],
        is_gap=is_gap,
    )


def list_targets(*, coalition: Coalition) -> list[TargetView]:
    return [
        assess(t) for t in Target.objects.filter(coalition=coalition).select_related("indicator")
    ]


# --- metrics framework ----------------------------------------------------------------------


def list_priority_areas(*, coalition: Coalition) -> QuerySet[PriorityArea]:
    return PriorityArea.objects.filter(coalition=coalition).prefetch_related(
        Prefetch(
            "results",
            queryset=Result.objects.prefetch_related(
                "indicators",
                Prefetch(
                    "measures",
                    queryset=PerformanceMeasure.objects.prefetch_related(
                        Prefetch("values", queryset=MeasureValue.objects.order_by("period"))
                    ),
                ),
            ),
        )
    )


def get_result(*, result_id: int) -> Result:
    return (
        Result.objects.select_related("priority_area")
        .prefetch_related("indicators", "measures__values", "targets__indicator")
        .get(pk=result_id)
    )


def get_measure(*, measure_id: int) -> PerformanceMeasure:
    return PerformanceMeasure.objects.select_related("result").get(pk=measure_id)


@dataclass(frozen=True)
class MeasureView:
    measure: PerformanceMeasure
    latest_text: str
    chart: charts.TrendChart | None
    values: list[MeasureValue]


def measure_view(measure: PerformanceMeasure) -> MeasureView:
    values = list(measure.values.all())
    latest = f"{values[-1].value:,.1f} {measure.unit}".strip() if values else ""
    chart = None
    if values:
        years = [trends.period_year(v.period) for v in values]
        fit = None
        if len(values) >= 2 and len(set(years)) >= 2:
            line = trends.ols_trend(years, [v.value for v in values])
            fit = (line.intercept, line.slope)
        chart = charts.trend_chart(
            years,
            [v.value for v in values],
            target_year=years[-1] + 1 if measure.target_value is not None else None,
            target_value=measure.target_value,
            fit=fit,
        )
    return MeasureView(measure, latest, chart, values)


def population_indicator_lines(
    *, indicators: Iterable[Indicator], counties: Sequence[str]
) -> list[GapSummary]:
    out = []
    for indicator in indicators:
        latest = best_period(indicator=indicator, counties=counties)
        out.append(
            GapSummary(
                indicator,
                equity_for(indicator=indicator, places=counties, period=latest or None),
            )
        )
    return out
