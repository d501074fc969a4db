"""Rating distributions by member type, voice gap, disagreement, factor bands, rounds.

Covers every rated assessment: the pillar check (1-5, how much each pillar's
challenge holds the coalition back), the decision-point sliders (0-100), the
collaboration-readiness features (1-5) and the health care organization equity
self-assessment (1-4 or 1-5 per component item).

Every item is summarized for five member-type views (``members.MEMBER_VIEWS``);
views hidden by ``members.plan_member_tally`` (fewer than k = 5 self-submitted or
fewer than k paper answers, or derivable by subtraction, now or from an earlier
release) carry no count and no statistics. Notes ("why", rationales) are listed
per item, sorted and unattributed, under the same rule applied to the people who
wrote one. Means, medians and thresholds are computed on exact fractions; floats
appear only in the output.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.members import (
    COMMUNITY,
    INSTITUTIONAL,
    MEMBER_VIEWS,
    OVERALL,
    SELF,
    VIEW_GROUPS,
    checked_member_type,
    checked_source,
    plan_member_tally,
)
from commonground.assessments.domain.suppression import (
    MIN_GROUP_SIZE,
    ViewPlan,
    checked_min_group_size,
)

STRENGTH: Final = "strength"
BORDERLINE: Final = "borderline"
CONCERN: Final = "concern"

STRENGTH_SHARE: Final = Fraction(3, 4)
"""A factor is a strength at ``minimum + 3/4 * range`` or above: 4.0 on a 1-5 scale."""
BORDERLINE_SHARE: Final = Fraction(1, 2)
"""A factor is borderline at ``minimum + 1/2 * range`` or above: 3.0 on a 1-5 scale."""
VOICE_GAP_SHARE: Final = Fraction(1, 4)
"""The voice gap is flagged at a quarter of the range or more: 1.0 point on 1-5."""
WIDE_DISAGREEMENT: Final = Fraction(1, 2)
"""Disagreement is wide at half the largest possible standard deviation or more."""


@dataclass(frozen=True, slots=True)
class Scale:
    """An integer rating scale; values are grouped into bins ``bin_width`` wide.

    The last bin also takes the maximum: a 0-100 slider with bins of 20 has
    0-19, 20-39, 40-59, 60-79 and 80-100.
    """

    minimum: int
    maximum: int
    bin_width: int = 1

    def __post_init__(self) -> None:
        if self.maximum <= self.minimum:
            raise ScoringError(f"scale maximum {self.maximum} is not above minimum {self.minimum}")
        if not 1 <= self.bin_width <= self.maximum - self.minimum + 1:
            raise ScoringError(f"scale bin width {self.bin_width} does not fit the scale")

    @property
    def range(self) -> int:
        return self.maximum - self.minimum

    def at_share(self, share: Fraction) -> Fraction:
        """Return the scale point ``minimum + share * range``.

        >>> FIVE_POINT.at_share(Fraction(3, 4))
        Fraction(4, 1)
        """
        return self.minimum + share * self.range


FIVE_POINT: Final = Scale(1, 5)
FOUR_POINT: Final = Scale(1, 4)
SLIDER: Final = Scale(0, 100, bin_width=20)


@dataclass(frozen=True, slots=True)
class RatingResponse:
    """One respondent's ratings (item id to value; skipped items are absent) and notes.

    ``source`` is ``self`` or ``paper``; ``release`` is the release of the round the
    answer first appears in (1 unless the round was reopened after closing).
    """

    member_type: str
    ratings: Mapping[str, int]
    source: str = SELF
    release: int = 1
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Bin:
    low: int
    high: int
    count: int


@dataclass(frozen=True, slots=True)
class Distribution:
    """Summary of one group's values for one item.

    ``std_dev`` is the population standard deviation; ``disagreement`` is
    ``std_dev / (range / 2)``, from 0 (everyone agrees) to 1 (half at each end).
    """

    n: int
    mean: float
    median: float
    std_dev: float
    disagreement: float
    is_wide_disagreement: bool
    bins: tuple[Bin, ...]


@dataclass(frozen=True, slots=True)
class GroupStat:
    """One member-type view of one item; count and distribution are ``None`` when hidden."""

    view: str
    respondent_count: int | None
    is_suppressed: bool
    distribution: Distribution | None


@dataclass(frozen=True, slots=True)
class VoiceGap:
    """Community mean minus institutional mean, when both groups can be shown."""

    community_mean: float | None
    institutional_mean: float | None
    gap: float | None
    threshold: float
    is_flagged: bool


@dataclass(frozen=True, slots=True)
class ItemResult:
    item_id: str
    views: tuple[GroupStat, ...]
    voice_gap: VoiceGap

    def view(self, name: str) -> GroupStat:
        for stat in self.views:
            if stat.view == name:
                return stat
        raise ScoringError(f"no view {name!r} for item {self.item_id!r}")

    @property
    def overall(self) -> GroupStat:
        return self.view(OVERALL)


@dataclass(frozen=True, slots=True)
class DisagreementRank:
    item_id: str
    rank: int
    std_dev: float
    disagreement: float
    is_wide: bool


@dataclass(frozen=True, slots=True)
class FactorScore:
    """Mean of a factor's item means for one view, and its band; empty when hidden."""

    factor_id: str
    view: str
    mean: float | None
    band: str | None
    is_suppressed: bool


@dataclass(frozen=True, slots=True)
class ItemChange:
    """Change of one item's mean between two rounds (current minus previous)."""

    item_id: str
    previous_mean: float | None
    current_mean: float | None
    change: float | None


def _checked_value(value: object, *, scale: Scale, item_id: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringError(
            f"{where}: rating for item {item_id!r} is {value!r}; expected a whole number"
        )
    if not scale.minimum <= value <= scale.maximum:
        raise ScoringError(
            f"{where}: rating for item {item_id!r} is {value}; "
            f"expected {scale.minimum} to {scale.maximum}"
        )
    return value


def _mean(values: Sequence[int]) -> Fraction:
    return Fraction(sum(values), len(values))


def _variance(values: Sequence[int]) -> Fraction:
    mean = _mean(values)
    return sum(((value - mean) ** 2 for value in values), Fraction(0)) / len(values)


def describe(values: Sequence[int], *, scale: Scale, item_id: str = "item") -> Distribution:
    """Return n, mean, median, spread and binned counts of ``values`` (no suppression).

    Formulas: ``mean = sum / n``; ``median`` as ``statistics.median``;
    ``std_dev = sqrt(sum((x - mean)**2) / n)``; ``disagreement = std_dev / (range / 2)``;
    wide when ``disagreement >= 1/2``, checked exactly as ``variance >= (range / 4)**2``.

    Hand-worked slider (0-100): 10, 10, 90, 90, 50. Mean 50; squared deviations
    1600 * 4 + 0 = 6400; variance 6400 / 5 = 1280; std_dev 35.78; disagreement
    35.78 / 50 = 0.72, wide.

    >>> d = describe([10, 10, 90, 90, 50], scale=SLIDER)
    >>> d.mean, round(d.std_dev, 2), round(d.disagreement, 2), d.is_wide_disagreement
    (50.0, 35.78, 0.72, True)
    >>> [(b.low, b.high, b.count) for b in describe([1, 2, 2, 5, 5], scale=FIVE_POINT).bins]
    [(1, 1, 1), (2, 2, 2), (3, 3, 0), (4, 4, 0), (5, 5, 2)]
    """
    if not values:
        raise ScoringError(f"no ratings for item {item_id!r}")
    checked = [
        _checked_value(value, scale=scale, item_id=item_id, where=f"rating {position + 1}")
        for position, value in enumerate(values)
    ]
    variance = _variance(checked)
    half_range = Fraction(scale.range, 2)
    std_dev = math.sqrt(variance)
    bin_count = max(1, (scale.range + 1) // scale.bin_width)
    counts = [0] * bin_count
    for value in checked:
        counts[min((value - scale.minimum) // scale.bin_width, bin_count - 1)] += 1
    bins = tuple(
        Bin(
            low=scale.minimum + index * scale.bin_width,
            high=(
                scale.maximum
                if index == bin_count - 1
                else scale.minimum + (index + 1) * scale.bin_width - 1
            ),
            count=count,
        )
        for index, count in enumerate(counts)
    )
    return Distribution(
        n=len(checked),
        mean=float(_mean(checked)),
        median=float(statistics.median(checked)),
        std_dev=std_dev,
        disagreement=float(std_dev / half_range),
        is_wide_disagreement=variance >= (half_range * WIDE_DISAGREEMENT) ** 2,
        bins=bins,
    )


def voice_gap_threshold(scale: Scale) -> Fraction:
    """Return the flag threshold, a quarter of the scale's range.

    >>> voice_gap_threshold(FIVE_POINT), voice_gap_threshold(FOUR_POINT)
    (Fraction(1, 1), Fraction(3, 4))
    """
    return VOICE_GAP_SHARE * scale.range


def voice_gap(
    community_values: Sequence[int],
    institutional_values: Sequence[int],
    *,
    scale: Scale,
    item_id: str = "item",
    min_group_size: int = MIN_GROUP_SIZE,
) -> VoiceGap:
    """Return ``mean(community) - mean(institutional)`` and whether it is flagged.

    Institutional means partners and backbone staff pooled, each respondent
    counted once. The gap is computed only when both groups have at least k
    respondents, and flagged when ``|gap| >= range / 4`` (1.0 on a 1-5 scale).
    A positive gap means residents rate the item higher than institutions.

    Hand-worked: residents 2, 2, 3, 2, 1 (mean 2.0); institutions 4, 3, 3, 3, 2
    (mean 3.0); gap 2.0 - 3.0 = -1.0, flagged (|-1.0| >= 1.0).

    >>> gap = voice_gap([2, 2, 3, 2, 1], [4, 3, 3, 3, 2], scale=FIVE_POINT)
    >>> gap.gap, gap.is_flagged
    (-1.0, True)
    """
    k = checked_min_group_size(min_group_size)
    threshold = voice_gap_threshold(scale)
    for values, group in ((community_values, "community"), (institutional_values, "institutional")):
        for position, value in enumerate(values):
            _checked_value(
                value, scale=scale, item_id=item_id, where=f"{group} rating {position + 1}"
            )
    if len(community_values) < k or len(institutional_values) < k:
        return VoiceGap(None, None, None, float(threshold), is_flagged=False)
    community_mean = _mean(community_values)
    institutional_mean = _mean(institutional_values)
    gap = community_mean - institutional_mean
    return VoiceGap(
        community_mean=float(community_mean),
        institutional_mean=float(institutional_mean),
        gap=float(gap),
        threshold=float(threshold),
        is_flagged=abs(gap) >= threshold,
    )


Contribution = tuple[str, str, int, int]
"""One rating: (member type, source, release, value)."""


def _values_by_item(
    responses: Sequence[RatingResponse], item_ids: Sequence[str], scale: Scale
) -> dict[str, list[Contribution]]:
    """Return item id -> every rating of it, validating each."""
    if len(set(item_ids)) != len(item_ids):
        raise ScoringError("item ids are listed more than once")
    values: dict[str, list[Contribution]] = {item_id: [] for item_id in item_ids}
    for position, response in enumerate(responses):
        where = f"respondent {position + 1}"
        member_type = checked_member_type(response.member_type, where=where)
        source = checked_source(response.source, where=where)
        release = _checked_release(response.release, where=where)
        for item_id, value in response.ratings.items():
            if item_id not in values:
                raise ScoringError(f"{where}: item {item_id!r} is not in this assessment")
            checked = _checked_value(value, scale=scale, item_id=item_id, where=where)
            values[item_id].append((member_type, source, release, checked))
    return values


def _checked_release(release: object, *, where: str) -> int:
    if isinstance(release, bool) or not isinstance(release, int) or release < 1:
        raise ScoringError(f"{where}: release {release!r} is not a whole number from 1")
    return release


def _plan(contributions: Sequence[Contribution], k: int) -> ViewPlan:
    tally: dict[tuple[str, str, int], int] = {}
    for member_type, source, release, _value in contributions:
        key = (member_type, source, release)
        tally[key] = tally.get(key, 0) + 1
    return plan_member_tally(tally, min_group_size=k)


def _view_values(contributions: Sequence[Contribution], view: str) -> list[int]:
    members = VIEW_GROUPS[view]
    return [value for member_type, _s, _r, value in contributions if member_type in members]


def summarize_items(
    responses: Sequence[RatingResponse],
    *,
    item_ids: Sequence[str],
    scale: Scale,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[ItemResult, ...]:
    """Summarize each item for every member-type view, with suppression and voice gap.

    Each item is planned separately (respondents may skip items), over its raters'
    member types, sources and releases. The voice gap is computed only when both the
    community and institutional views are shown.

    >>> responses = [RatingResponse("community", {"trust": 2})] * 5 + [
    ...     RatingResponse("partner", {"trust": 4})] * 3 + [
    ...     RatingResponse("backbone", {"trust": 4})] * 2
    >>> item = summarize_items(responses, item_ids=["trust"], scale=FIVE_POINT)[0]
    >>> item.overall.distribution.mean, item.view("partner").is_suppressed, item.voice_gap.gap
    (3.0, True, -2.0)
    """
    k = checked_min_group_size(min_group_size)
    values = _values_by_item(responses, item_ids, scale)
    results: list[ItemResult] = []
    for item_id in item_ids:
        contributions = values[item_id]
        plan = _plan(contributions, k)
        stats: list[GroupStat] = []
        for view in MEMBER_VIEWS:
            view_values = _view_values(contributions, view)
            if not plan.is_shown(view):
                stats.append(GroupStat(view, None, is_suppressed=True, distribution=None))
                continue
            distribution = (
                describe(view_values, scale=scale, item_id=item_id) if view_values else None
            )
            stats.append(GroupStat(view, len(view_values), False, distribution))
        is_gap_shown = plan.is_shown(COMMUNITY) and plan.is_shown(INSTITUTIONAL)
        gap = voice_gap(
            _view_values(contributions, COMMUNITY) if is_gap_shown else [],
            _view_values(contributions, INSTITUTIONAL) if is_gap_shown else [],
            scale=scale,
            item_id=item_id,
            min_group_size=k,
        )
        results.append(ItemResult(item_id=item_id, views=tuple(stats), voice_gap=gap))
    return tuple(results)


@dataclass(frozen=True, slots=True)
class NoteList:
    """The notes written on one item: sorted and unattributed, or hidden.

    ``count`` is how many people wrote one; it is ``None`` when the list is hidden.
    """

    item_id: str
    notes: tuple[str, ...]
    count: int | None
    is_suppressed: bool


def summarize_notes(
    responses: Sequence[RatingResponse],
    *,
    item_ids: Sequence[str],
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[NoteList, ...]:
    """List each item's notes, or hide them, by the suppression rule of its writers.

    The people who wrote a note on an item are planned like raters (member type,
    source, release), with the one view "everyone": the list is shown when its
    self-submitted and its paper writers are each 0 or at least k, and it cannot be
    compared with an earlier release's list to single out fewer than k newcomers.
    Notes are sorted, so the order of answering cannot be read from them.

    Hand-worked: five residents wrote a reason, and one paper worksheet has one:
    1 paper writer is small, so the list is hidden (whoever typed the worksheet in
    would know which reason is not a resident's, and see the other five).

    >>> notes = [RatingResponse("community", {}, notes={"trust": f"r{n}"}) for n in range(5)]
    >>> summarize_notes(notes, item_ids=["trust"])[0].notes
    ('r0', 'r1', 'r2', 'r3', 'r4')
    >>> paper = RatingResponse("partner", {}, source="paper", notes={"trust": "p"})
    >>> summarize_notes([*notes, paper], item_ids=["trust"])[0].is_suppressed
    True
    """
    k = checked_min_group_size(min_group_size)
    writers: dict[str, list[tuple[str, str, int, str]]] = {item_id: [] for item_id in item_ids}
    for position, response in enumerate(responses):
        where = f"respondent {position + 1}"
        member_type = checked_member_type(response.member_type, where=where)
        source = checked_source(response.source, where=where)
        release = _checked_release(response.release, where=where)
        for item_id, note in response.notes.items():
            if item_id not in writers:
                raise ScoringError(f"{where}: item {item_id!r} is not in this assessment")
            if not isinstance(note, str):
                raise ScoringError(f"{where}: note for item {item_id!r} must be text")
            if note.strip():
                writers[item_id].append((member_type, source, release, note.strip()))
    found: list[NoteList] = []
    for item_id in item_ids:
        written = writers[item_id]
        tally: dict[tuple[str, str, int], int] = {}
        for member_type, source, release, _note in written:
            key = (member_type, source, release)
            tally[key] = tally.get(key, 0) + 1
        plan = plan_member_tally(tally, views=(OVERALL,), min_group_size=k)
        if plan.is_shown(OVERALL):
            notes = tuple(sorted(note for *_key, note in written))
            found.append(NoteList(item_id, notes, len(notes), is_suppressed=False))
        else:
            found.append(NoteList(item_id, (), None, is_suppressed=True))
    return tuple(found)


def rank_by_disagreement(
    items: Sequence[ItemResult], *, view: str = OVERALL
) -> tuple[DisagreementRank, ...]:
    """Rank items by disagreement in ``view``, widest first; ties by item id.

    Items whose view is hidden or empty are left out.

    >>> responses = [RatingResponse("partner", {"focus": f, "scale": s})
    ...              for f, s in [(0, 40), (0, 50), (100, 50), (100, 60), (50, 50)]]
    >>> items = summarize_items(responses, item_ids=["focus", "scale"], scale=SLIDER)
    >>> [(r.item_id, r.rank, r.is_wide) for r in rank_by_disagreement(items)]
    [('focus', 1, True), ('scale', 2, False)]
    """
    measured = [
        (item.item_id, stat.distribution)
        for item in items
        for stat in [item.view(view)]
        if stat.distribution is not None
    ]
    measured.sort(key=lambda pair: (-pair[1].std_dev, pair[0]))
    return tuple(
        DisagreementRank(
            item_id=item_id,
            rank=position + 1,
            std_dev=distribution.std_dev,
            disagreement=distribution.disagreement,
            is_wide=distribution.is_wide_disagreement,
        )
        for position, (item_id, distribution) in enumerate(measured)
    )


def band_for(mean: float | Fraction, *, scale: Scale = FIVE_POINT) -> str:
    """Return the readiness band of a factor mean.

    Bands: strength when ``mean >= minimum + 3/4 * range`` (4.0 on 1-5), borderline
    when ``mean >= minimum + 1/2 * range`` (3.0 on 1-5), concern below. A float is
    compared exactly, so 3.99 is borderline and 4.0 a strength.

    >>> band_for(4.0), band_for(3.99), band_for(3.0), band_for(2.99)
    ('strength', 'borderline', 'borderline', 'concern')
    """
    if isinstance(mean, float) and not math.isfinite(mean):
        raise ScoringError(f"factor mean {mean!r} is not a number")
    exact = Fraction(mean)
    if not scale.minimum <= exact <= scale.maximum:
        raise ScoringError(
            f"factor mean {float(exact)} is outside {scale.minimum} to {scale.maximum}"
        )
    if exact >= scale.at_share(STRENGTH_SHARE):
        return STRENGTH
    if exact >= scale.at_share(BORDERLINE_SHARE):
        return BORDERLINE
    return CONCERN


def score_factors(
    responses: Sequence[RatingResponse],
    *,
    factors: Mapping[str, Sequence[str]],
    scale: Scale = FIVE_POINT,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[FactorScore, ...]:
    """Score each factor for every member-type view: mean of its item means, then its band.

    ``factor mean = sum(item means) / item count`` (each item weighs the same, however
    many answered it). A factor is hidden in a view when any of its items is hidden
    or unanswered there. Results are ordered by factor (as given), then view.

    Hand-worked: factor "trust" with items t1 (means 4.2) and t2 (3.8): factor
    mean (4.2 + 3.8) / 2 = 4.0, a strength.

    >>> responses = [RatingResponse("partner", {"t1": a, "t2": b})
    ...              for a, b in [(5, 4), (4, 4), (4, 4), (4, 3), (4, 4)]]
    >>> score = score_factors(responses, factors={"trust": ["t1", "t2"]})[0]
    >>> score.view, score.mean, score.band
    ('overall', 4.0, 'strength')
    """
    k = checked_min_group_size(min_group_size)
    item_ids = list(dict.fromkeys(item for items in factors.values() for item in items))
    for factor_id, items in factors.items():
        if isinstance(items, str) or not items:
            raise ScoringError(f"factor {factor_id!r} must list at least one item id")
    values = _values_by_item(responses, item_ids, scale)
    plans = {item_id: _plan(contributions, k) for item_id, contributions in values.items()}
    scores: list[FactorScore] = []
    for factor_id, items in factors.items():
        for view in MEMBER_VIEWS:
            item_values = [_view_values(values[item_id], view) for item_id in items]
            if not all(plans[item_id].is_shown(view) for item_id in items) or not all(item_values):
                scores.append(FactorScore(factor_id, view, None, None, is_suppressed=True))
                continue
            mean = sum((_mean(found) for found in item_values), Fraction(0)) / len(items)
            scores.append(
                FactorScore(factor_id, view, float(mean), band_for(mean, scale=scale), False)
            )
    return tuple(scores)


def compare_rounds(
    previous: Sequence[ItemResult], current: Sequence[ItemResult], *, view: str = OVERALL
) -> tuple[ItemChange, ...]:
    """Return ``current mean - previous mean`` per item in ``view``.

    Items are listed in the current round's order, then items only in the previous
    round. The change is ``None`` when either round lacks a shown mean, and is
    rounded to 9 decimals so that 3.2 - 2.2 reads 1.0.

    >>> before = summarize_items([RatingResponse("partner", {"x": 2})] * 5,
    ...                          item_ids=["x"], scale=FIVE_POINT)
    >>> after = summarize_items([RatingResponse("partner", {"x": 3})] * 5,
    ...                         item_ids=["x"], scale=FIVE_POINT)
    >>> compare_rounds(before, after)[0].change
    1.0
    """

    def means(items: Sequence[ItemResult]) -> dict[str, float | None]:
        found: dict[str, float | None] = {}
        for item in items:
            distribution = item.view(view).distribution
            found[item.item_id] = distribution.mean if distribution else None
        return found

    before = means(previous)
    after = means(current)
    changes: list[ItemChange] = []
    for item_id in dict.fromkeys([*after, *before]):
        old = before.get(item_id)
        new = after.get(item_id)
        change = None if old is None or new is None else round(new - old, 9)
        changes.append(ItemChange(item_id, old, new, change))
    return tuple(changes)
