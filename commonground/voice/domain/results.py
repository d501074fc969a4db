"""A wave's results, planned under k = 5 with the one suppression module.

Every aggregate goes through ``commonground.assessments.domain.suppression``: counts are
kept per source (``self``: the respondent submitted; ``paper``: staff typed a worksheet
in, and so know it), a view with 1 to k - 1 respondents of a source is hidden, and so is
any view that would let a small set be found by subtracting shown ones (complementary
suppression). What is hidden is ``None`` here; callers never see the number.

Views of a scale's mean (groups are member types, ``unstated`` for a blank one):
``overall`` (everyone), ``community``, ``institutional`` (partner + backbone),
``partner``, ``backbone``. The voice gap is community minus institutional, shown only
when both are. Item distributions are planned over the answer options (the total kept
first), so the smallest shares are hidden together with their complements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from commonground.assessments.domain.suppression import (
    MIN_GROUP_SIZE,
    ViewPlan,
    checked_min_group_size,
    plan_source_views,
)
from commonground.voice.domain.scoring import (
    ScaleDef,
    cronbach_alpha,
    mean,
    rounded,
    sample_sd,
    scale_score,
)

GROUPS: Final = ("community", "partner", "backbone", "unstated")
VIEWS: Final[dict[str, tuple[str, ...]]] = {
    "overall": GROUPS,
    "community": ("community",),
    "institutional": ("partner", "backbone"),
    "partner": ("partner",),
    "backbone": ("backbone",),
}
KEEP: Final = ("overall", "community", "institutional")
SOURCES: Final = ("self", "paper")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One anonymous answer sheet as the core sees it."""

    member_type: str
    answers: Mapping[str, int | None]
    is_paper: bool = False
    sector: str = ""
    years: str = ""

    @property
    def group(self) -> str:
        return self.member_type if self.member_type in GROUPS[:3] else "unstated"

    @property
    def source(self) -> str:
        return "paper" if self.is_paper else "self"


@dataclass(slots=True)
class ViewResult:
    view: str
    n: int | None
    mean: float | None
    sd: float | None
    suppressed: bool


@dataclass(slots=True)
class ScaleResult:
    scale: str
    items: tuple[str, ...]
    alpha: float | None
    views: dict[str, ViewResult]
    voice_gap: float | None

    def view(self, name: str) -> ViewResult:
        return self.views[name]


@dataclass(slots=True)
class OptionShare:
    value: int
    count: int | None
    share: float | None


@dataclass(slots=True)
class ItemDistribution:
    item: str
    answered: int | None
    options: list[OptionShare]


@dataclass(slots=True)
class CountCell:
    key: str
    count: int | None
    invited: int | None = None
    rate: float | None = None


@dataclass(slots=True)
class WaveResults:
    respondents: int
    invited: int | None
    response_rate: float | None
    scales: list[ScaleResult]
    distributions: list[ItemDistribution]
    by_member_type: list[CountCell]
    attributes: dict[str, list[CountCell]] = field(default_factory=dict)
    min_group_size: int = MIN_GROUP_SIZE

    def scale(self, scale_id: str) -> ScaleResult:
        for result in self.scales:
            if result.scale == scale_id:
                return result
        raise KeyError(scale_id)


def _source_counts(sheets: Sequence[Sheet], key: Any) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {source: {} for source in SOURCES}
    for sheet in sheets:
        bucket = counts[sheet.source]
        group = key(sheet)
        bucket[group] = bucket.get(group, 0) + 1
    return counts


def plan_member_views(
    source_counts: Mapping[str, Mapping[str, int]], *, min_group_size: int = MIN_GROUP_SIZE
) -> ViewPlan:
    """Plan the five member-type views for one aggregate (counts per source and group)."""
    filled = {
        source: {group: int(counts.get(group, 0)) for group in GROUPS}
        for source, counts in source_counts.items()
    }
    return plan_source_views(filled, VIEWS, keep=KEEP, min_group_size=min_group_size)


def plan_partition(
    source_counts: Mapping[str, Mapping[str, int]],
    keys: Sequence[str],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> ViewPlan:
    """Plan a partition (answer options, sectors) with its total kept first (view ``total``)."""
    filled = {
        source: {key: int(counts.get(key, 0)) for key in keys}
        for source, counts in source_counts.items()
    }
    views: dict[str, tuple[str, ...]] = {"total": tuple(keys)}
    views.update({f"group:{key}": (key,) for key in keys})
    return plan_source_views(filled, views, keep=["total"], min_group_size=min_group_size)


def _scale_result(sheets: Sequence[Sheet], scale: ScaleDef, k: int) -> ScaleResult:
    by_group: dict[str, list[float]] = {group: [] for group in GROUPS}
    counts: dict[str, dict[str, int]] = {source: {} for source in SOURCES}
    answered: list[Mapping[str, int | None]] = []
    for sheet in sheets:
        score = scale_score(sheet.answers, scale)
        if score is None:
            continue
        group, bucket = sheet.group, counts[sheet.source]
        by_group[group].append(score)
        bucket[group] = bucket.get(group, 0) + 1
        answered.append(sheet.answers)
    plan = plan_member_views(counts, min_group_size=k)
    views: dict[str, ViewResult] = {}
    for name, groups in VIEWS.items():
        values = [score for group in groups for score in by_group[group]]
        shown = plan.is_shown(name)
        views[name] = ViewResult(
            view=name,
            n=len(values) if shown else None,
            mean=rounded(mean(values)) if shown else None,
            sd=rounded(sample_sd(values)) if shown else None,
            suppressed=not shown,
        )
    community, institutional = views["community"], views["institutional"]
    gap = (
        round(community.mean - institutional.mean, 3)
        if community.mean is not None and institutional.mean is not None
        else None
    )
    alpha = rounded(cronbach_alpha(answered, scale)) if plan.is_shown("overall") else None
    return ScaleResult(scale=scale.id, items=scale.items, alpha=alpha, views=views, voice_gap=gap)


def _item_counts(
    sheets: Sequence[Sheet], items: Sequence[str]
) -> dict[str, dict[str, Counter[str]]]:
    """Answers per item, source and option, in one pass over the sheets."""
    counts: dict[str, dict[str, Counter[str]]] = {
        item: {source: Counter() for source in SOURCES} for item in items
    }
    for sheet in sheets:
        source = sheet.source
        for item, value in sheet.answers.items():
            if value is not None and item in counts:
                counts[item][source][str(value)] += 1
    return counts


def _distribution(item: str, source_counts: Mapping[str, Counter[str]], k: int) -> ItemDistribution:
    keys = [str(value) for value in range(1, 6)]
    plan = plan_partition(source_counts, keys, min_group_size=k)
    counts: Counter[str] = sum(source_counts.values(), Counter())
    total = counts.total()
    total_shown = plan.is_shown("total")
    options = []
    for key in keys:
        shown = plan.is_shown(f"group:{key}") and total_shown
        count = counts.get(key, 0)
        options.append(
            OptionShare(
                value=int(key),
                count=count if shown else None,
                share=round(count / total, 3) if shown and total else None,
            )
        )
    return ItemDistribution(item=item, answered=total if total_shown else None, options=options)


def _attribute_cells(
    sheets: Sequence[Sheet], attribute: str, values: Sequence[str], k: int
) -> list[CountCell]:
    keys = [*values, "unstated"]

    def key(sheet: Sheet) -> str:
        value = str(getattr(sheet, attribute) or "")
        return value if value in values else "unstated"

    plan = plan_partition(_source_counts(sheets, key), keys, min_group_size=k)
    counts = Counter(key(sheet) for sheet in sheets)
    return [
        CountCell(
            key=value, count=counts.get(value, 0) if plan.is_shown(f"group:{value}") else None
        )
        for value in keys
    ]


def wave_results(
    sheets: Sequence[Sheet],
    scales: Sequence[ScaleDef],
    *,
    invited: int | None = None,
    invited_by_type: Mapping[str, int] | None = None,
    attributes: Mapping[str, Sequence[str]] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
) -> WaveResults:
    """Everything a wave publishes, suppressed.

    Five residents and four partners answered: the partners' mean is hidden (4 < 5), and
    so is the residents' (overall minus residents would give the partners'). Adding
    a fifth partner shows both.

    >>> sheets = [Sheet("community", {"a": 4, "b": 5})] * 5 + [Sheet("partner", {"a": 2})] * 4
    >>> result = wave_results(sheets, [ScaleDef("s", ("a", "b"))], invited=30)
    >>> result.response_rate, result.scale("s").view("overall").mean
    (0.3, 3.389)
    >>> result.scale("s").view("partner").mean, result.scale("s").view("community").mean
    (None, None)
    >>> sheets.append(Sheet("partner", {"a": 2}))
    >>> result = wave_results(sheets, [ScaleDef("s", ("a", "b"))], invited=30)
    >>> result.scale("s").view("community").mean, result.scale("s").voice_gap
    (4.5, 2.5)
    """
    k = checked_min_group_size(min_group_size)
    n = len(sheets)
    rate = round(n / invited, 3) if invited else None
    member_plan = plan_member_views(_source_counts(sheets, lambda s: s.group), min_group_size=k)
    counts = Counter(sheet.group for sheet in sheets)
    by_type: list[CountCell] = []
    for group in ("community", "partner", "backbone"):
        shown = member_plan.is_shown(group)
        invited_here = (invited_by_type or {}).get(group)
        by_type.append(
            CountCell(
                key=group,
                count=counts.get(group, 0) if shown else None,
                invited=invited_here,
                rate=round(counts.get(group, 0) / invited_here, 3)
                if shown and invited_here
                else None,
            )
        )
    items = list(dict.fromkeys(item for scale in scales for item in scale.items))
    item_counts = _item_counts(sheets, items)
    return WaveResults(
        respondents=n,
        invited=invited,
        response_rate=rate,
        scales=[_scale_result(sheets, scale, k) for scale in scales],
        distributions=[_distribution(item, item_counts[item], k) for item in items],
        by_member_type=by_type,
        attributes={
            name: _attribute_cells(sheets, name, values, k)
            for name, values in (attributes or {}).items()
        },
        min_group_size=k,
    )


def change_between(
    earlier: WaveResults, later: WaveResults, view: str = "overall"
) -> dict[str, float | None]:
    """Scale mean change from one wave to the next (None where either mean is hidden).

    Waves hold different answer sheets, so a difference of two shown means reveals no one.
    """
    before = {result.scale: result.views[view].mean for result in earlier.scales}
    change: dict[str, float | None] = {}
    for result in later.scales:
        old, new = before.get(result.scale), result.views[view].mean
        change[result.scale] = round(new - old, 3) if old is not None and new is not None else None
    return change
