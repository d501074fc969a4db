"""The stage rule: which of the five stages a coalition has reached, and what comes next.

Each member marks the statements that are true of the coalition: the
characteristics of each stage and the infrastructure in place. An unmarked
statement counts as "not true" for that member.

Stage rule (shares are exact fractions, so the boundaries are exact):

1. An infrastructure item is *in place* when at least half of the respondents mark
   it true: ``true_count / respondent_count >= 1/2``.
2. A stage is *met* when at least two thirds of its infrastructure items are in
   place: ``items_in_place / item_count >= 2/3``. The first stage with no
   infrastructure items is met.
3. The first stage (emerging) is always *reached*: it is the floor. A later stage
   is reached when it is met and every earlier stage is reached.
4. The coalition's stage is the highest reached stage.
5. Next steps are the next stage's infrastructure items not in place, in the
   order given. Foundation gaps are items not in place in the reached stages.

The characteristics share of a stage (mean over its characteristics of the share
of respondents marking each) is reported alongside, for "looks like" displays;
it does not move the stage.

Results of fewer than k = 5 respondents are suppressed (``suppression``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.members import (
    MEMBER_VIEWS,
    SELF,
    VIEW_GROUPS,
    checked_member_type,
    plan_member_tally,
    tally_members,
)
from commonground.assessments.domain.suppression import MIN_GROUP_SIZE, checked_min_group_size

ITEM_IN_PLACE_SHARE: Final = Fraction(1, 2)
STAGE_MET_SHARE: Final = Fraction(2, 3)


@dataclass(frozen=True, slots=True)
class StageDefinition:
    """One stage in order, with the ids of its infrastructure and characteristic items."""

    stage_id: str
    infrastructure_ids: tuple[str, ...]
    characteristic_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StageAnswers:
    """One respondent's answers: the item ids they marked true.

    ``source`` is ``self`` or ``paper``; ``release`` is the release of the round the
    answer first appears in (see ``members``).
    """

    member_type: str
    marked_ids: frozenset[str]
    source: str = SELF
    release: int = 1


@dataclass(frozen=True, slots=True)
class ItemShare:
    item_id: str
    stage_id: str
    true_count: int
    share: float
    is_in_place: bool


@dataclass(frozen=True, slots=True)
class StageStatus:
    stage_id: str
    item_count: int
    items_in_place: int
    in_place_share: float
    characteristics_share: float | None
    is_met: bool
    is_reached: bool


@dataclass(frozen=True, slots=True)
class StageResult:
    """The stage computed from one group of respondents; empty when suppressed."""

    respondent_count: int | None
    is_suppressed: bool
    stage_id: str | None
    next_stage_id: str | None
    next_steps: tuple[str, ...]
    foundation_gaps: tuple[str, ...]
    stages: tuple[StageStatus, ...]
    items: tuple[ItemShare, ...]


@dataclass(frozen=True, slots=True)
class StageView:
    """The stage result seen by one member-type view (see ``members.MEMBER_VIEWS``)."""

    view: str
    is_suppressed: bool
    result: StageResult


def _check_stages(stages: Sequence[StageDefinition]) -> dict[str, str]:
    if not stages:
        raise ScoringError("no stages given")
    stage_of: dict[str, str] = {}
    seen_stages: set[str] = set()
    for position, stage in enumerate(stages):
        if stage.stage_id in seen_stages:
            raise ScoringError(f"stage {stage.stage_id!r} is listed twice")
        seen_stages.add(stage.stage_id)
        if position > 0 and not stage.infrastructure_ids:
            raise ScoringError(f"stage {stage.stage_id!r} has no infrastructure items")
        for item_id in (*stage.infrastructure_ids, *stage.characteristic_ids):
            if item_id in stage_of:
                raise ScoringError(
                    f"item {item_id!r} appears in stage {stage_of[item_id]!r} "
                    f"and stage {stage.stage_id!r}"
                )
            stage_of[item_id] = stage.stage_id
    return stage_of


def _suppressed(respondent_count: int | None) -> StageResult:
    return StageResult(
        respondent_count=respondent_count,
        is_suppressed=True,
        stage_id=None,
        next_stage_id=None,
        next_steps=(),
        foundation_gaps=(),
        stages=(),
        items=(),
    )


def assess_stage(
    stages: Sequence[StageDefinition],
    answers: Sequence[StageAnswers],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> StageResult:
    """Apply the stage rule (module docstring) to all ``answers`` together.

    Hand-worked: 6 respondents; forming has items a, b, c. a is marked by 3 (3/6 =
    1/2, in place), b by 4 (in place), c by 2 (not): 2/3 in place, so forming is met
    and reached. Scaling's single item d is marked by 2: not met. Stage: forming;
    next steps: scaling's d.

    >>> stages = [
    ...     StageDefinition("emerging", ()),
    ...     StageDefinition("forming", ("a", "b", "c")),
    ...     StageDefinition("scaling", ("d",)),
    ... ]
    >>> marks = ["abd", "abd", "ab", "bc", "c", ""]
    >>> answers = [StageAnswers("partner", frozenset(m)) for m in marks]
    >>> result = assess_stage(stages, answers)
    >>> result.stage_id, result.next_stage_id, result.next_steps
    ('forming', 'scaling', ('d',))
    """
    k = checked_min_group_size(min_group_size)
    stage_of = _check_stages(stages)
    for position, answer in enumerate(answers):
        checked_member_type(answer.member_type, where=f"respondent {position + 1}")
        unknown = sorted(answer.marked_ids - stage_of.keys())
        if unknown:
            raise ScoringError(f"respondent {position + 1} marked unknown items {unknown}")
    respondent_count = len(answers)
    if respondent_count < k:
        return _suppressed(None if respondent_count else 0)

    true_counts = dict.fromkeys(stage_of, 0)
    for answer in answers:
        for item_id in answer.marked_ids:
            true_counts[item_id] += 1

    def share(item_id: str) -> Fraction:
        return Fraction(true_counts[item_id], respondent_count)

    items: list[ItemShare] = []
    statuses: list[StageStatus] = []
    is_previous_reached = True
    for position, stage in enumerate(stages):
        in_place = [share(item_id) >= ITEM_IN_PLACE_SHARE for item_id in stage.infrastructure_ids]
        items.extend(
            ItemShare(
                item_id=item_id,
                stage_id=stage.stage_id,
                true_count=true_counts[item_id],
                share=float(share(item_id)),
                is_in_place=is_in,
            )
            for item_id, is_in in zip(stage.infrastructure_ids, in_place, strict=True)
        )
        item_count = len(in_place)
        in_place_count = sum(in_place)
        in_place_share = Fraction(in_place_count, item_count) if item_count else Fraction(1)
        is_met = in_place_share >= STAGE_MET_SHARE
        is_reached = position == 0 or (is_met and is_previous_reached)
        is_previous_reached = is_reached
        characteristics = stage.characteristic_ids
        statuses.append(
            StageStatus(
                stage_id=stage.stage_id,
                item_count=item_count,
                items_in_place=in_place_count,
                in_place_share=float(in_place_share),
                characteristics_share=(
                    float(sum(share(item_id) for item_id in characteristics) / len(characteristics))
                    if characteristics
                    else None
                ),
                is_met=is_met,
                is_reached=is_reached,
            )
        )

    reached = [status for status in statuses if status.is_reached]
    current = len(reached) - 1
    in_place_ids = {item.item_id for item in items if item.is_in_place}
    next_stage = stages[current + 1] if current + 1 < len(stages) else None
    return StageResult(
        respondent_count=respondent_count,
        is_suppressed=False,
        stage_id=stages[current].stage_id,
        next_stage_id=next_stage.stage_id if next_stage else None,
        next_steps=tuple(
            item_id
            for item_id in (next_stage.infrastructure_ids if next_stage else ())
            if item_id not in in_place_ids
        ),
        foundation_gaps=tuple(
            item_id
            for stage in stages[: current + 1]
            for item_id in stage.infrastructure_ids
            if item_id not in in_place_ids
        ),
        stages=tuple(statuses),
        items=tuple(items),
    )


def assess_stage_by_member_type(
    stages: Sequence[StageDefinition],
    answers: Sequence[StageAnswers],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[StageView, ...]:
    """Return the stage result for each member-type view, hiding views per ``members``.

    Each view applies ``assess_stage`` to the answers of its member types; a view
    hidden by ``plan_member_tally`` (small for a source, or complementary) carries an
    empty result.

    >>> stages = [StageDefinition("emerging", ()), StageDefinition("forming", ("a",))]
    >>> answers = [StageAnswers("community", frozenset("a"))] * 6 + [
    ...     StageAnswers("partner", frozenset())] * 3
    >>> views = assess_stage_by_member_type(stages, answers)
    >>> [(v.view, v.result.stage_id) for v in views if not v.is_suppressed]
    [('overall', 'forming')]
    """
    k = checked_min_group_size(min_group_size)
    plan = plan_member_tally(
        tally_members((answer.member_type, answer.source, answer.release) for answer in answers),
        min_group_size=k,
    )
    views: list[StageView] = []
    for view in MEMBER_VIEWS:
        if not plan.is_shown(view):
            views.append(StageView(view=view, is_suppressed=True, result=_suppressed(None)))
            continue
        members = VIEW_GROUPS[view]
        subset = [answer for answer in answers if answer.member_type in members]
        result = assess_stage(stages, subset, min_group_size=k)
        views.append(StageView(view=view, is_suppressed=result.is_suppressed, result=result))
    return tuple(views)


STAGE_VOICE_GAP_SHARE: Final = Fraction(1, 4)
"""An item's voice gap is flagged when residents' and institutions' shares differ by 1/4+."""


@dataclass(frozen=True, slots=True)
class ShareGap:
    """Share of residents minus share of institutions marking one item true."""

    item_id: str
    community_share: float
    institutional_share: float
    gap: float
    is_flagged: bool


def stage_voice_gaps(views: Sequence[StageView]) -> tuple[ShareGap, ...]:
    """Return the per-item voice gap between the community and institutional views.

    Empty when either view is hidden. ``gap = community share - institutional share``,
    flagged when ``|gap| >= 1/4``, computed on the respondent counts so the boundary
    is exact.

    Hand-worked: 5 residents, 1 marks item a (1/5); 5 partners, 4 mark it (4/5):
    gap 1/5 - 4/5 = -3/5, flagged.

    >>> stages = [StageDefinition("emerging", ()), StageDefinition("forming", ("a",))]
    >>> answers = [StageAnswers("community", frozenset("a"))] + [
    ...     StageAnswers("community", frozenset())] * 4 + [
    ...     StageAnswers("partner", frozenset("a"))] * 4 + [StageAnswers("partner", frozenset())]
    >>> [(g.item_id, g.gap, g.is_flagged) for g in stage_voice_gaps(
    ...     assess_stage_by_member_type(stages, answers))]
    [('a', -0.6, True)]
    """
    by_view = {view.view: view for view in views}
    community = by_view.get("community")
    institutional = by_view.get("institutional")
    if community is None or institutional is None:
        return ()
    if community.is_suppressed or institutional.is_suppressed:
        return ()
    community_n = community.result.respondent_count or 0
    institutional_n = institutional.result.respondent_count or 0
    if not community_n or not institutional_n:
        return ()
    institutional_items = {item.item_id: item for item in institutional.result.items}
    gaps: list[ShareGap] = []
    for item in community.result.items:
        other = institutional_items[item.item_id]
        exact = Fraction(item.true_count, community_n) - Fraction(other.true_count, institutional_n)
        gaps.append(
            ShareGap(
                item_id=item.item_id,
                community_share=item.share,
                institutional_share=other.share,
                gap=float(exact),
                is_flagged=abs(exact) >= STAGE_VOICE_GAP_SHARE,
            )
        )
    return tuple(gaps)
