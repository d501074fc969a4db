"""The stage rule: which of the five stages a coalition is at, how ready it is to move on,
and what to put in place next.

The framework describes each stage with two lists: the *characteristics* of coalitions
at that stage (what it looks like) and the *infrastructure* needed to succeed there and
move on. Each member marks the statements of both lists that are true of the coalition
today; an unmarked statement counts as "not true" for that member. A coalition is
placed by what members recognize, not by what it has built: a coalition that plainly
is forming but has no shared agenda yet is forming, and the shared agenda is its next
step.

Stage rule (shares are exact fractions, so the boundaries are exact):

1. A characteristic is *recognized* when at least half of the respondents mark it:
   ``marks / respondents >= 1/2``.
2. A stage is *recognized* when most of its characteristics are: more than half of
   them are recognized (``recognized / characteristics > 1/2``; 3 of 4, 3 of 5).
3. The coalition's stage is the **latest** recognized stage. Tie rule: when several
   stages are recognized, the latest wins, because a coalition that has grown keeps
   some traits of the stages before (trust is still being built); stages need not be
   recognized in a row.
4. When no stage is recognized, the stage is the one whose characteristics come
   closest: the highest mean share of respondents marking them; on equal means, the
   earlier stage. The result says so (``is_recognized`` is false), so that pages can
   call the placement tentative. With no characteristic marked at all, emerging.
5. An infrastructure item is *in place* when at least half of the respondents mark
   it: ``marks / respondents >= 1/2``.
6. Readiness to move on is the share of the next stage's infrastructure in place
   (``None`` at the last stage).
7. Next steps are the current stage's infrastructure not in place, in the order
   given: what the coalition needs to succeed where it is. When all of it is in
   place, the next steps are the next stage's infrastructure not in place (what it
   needs to move on). ``next_steps_stage_id`` names the stage they belong to.
8. Foundation gaps are the earlier stages' infrastructure not in place.

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

CHARACTERISTIC_RECOGNIZED_SHARE: Final = Fraction(1, 2)
"""A characteristic is recognized when at least this share of respondents marks it."""
STAGE_RECOGNIZED_SHARE: Final = Fraction(1, 2)
"""A stage is recognized when *more than* this share of its characteristics are."""
ITEM_IN_PLACE_SHARE: Final = Fraction(1, 2)
"""An infrastructure item is in place when at least this share of respondents marks it."""

CHARACTERISTIC: Final = "characteristic"
INFRASTRUCTURE: Final = "infrastructure"


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
    """One statement: how many respondents marked it, and whether that is enough.

    ``is_met`` means *recognized* for a characteristic and *in place* for an
    infrastructure item (both: at least half of the respondents).
    """

    item_id: str
    stage_id: str
    kind: str  # CHARACTERISTIC or INFRASTRUCTURE
    true_count: int
    share: float
    is_met: bool

    @property
    def is_in_place(self) -> bool:
        return self.kind == INFRASTRUCTURE and self.is_met

    @property
    def is_recognized(self) -> bool:
        return self.kind == CHARACTERISTIC and self.is_met


@dataclass(frozen=True, slots=True)
class StageStatus:
    """One stage as the respondents see it."""

    stage_id: str
    characteristic_count: int
    characteristics_recognized: int
    characteristics_share: float
    is_recognized: bool
    item_count: int
    items_in_place: int
    in_place_share: float | None
    is_current: bool


@dataclass(frozen=True, slots=True)
class StageResult:
    """The stage computed from one group of respondents; empty when suppressed.

    ``is_recognized`` is false when no stage's characteristics are recognized and the
    stage is the closest one (rule 4). ``readiness`` is the share of the next stage's
    infrastructure in place.
    """

    respondent_count: int | None
    is_suppressed: bool
    stage_id: str | None
    is_recognized: bool
    next_stage_id: str | None
    readiness: float | None
    next_steps: tuple[str, ...]
    next_steps_stage_id: str | None
    foundation_gaps: tuple[str, ...]
    stages: tuple[StageStatus, ...]
    items: tuple[ItemShare, ...]

    @property
    def characteristics(self) -> tuple[ItemShare, ...]:
        return tuple(item for item in self.items if item.kind == CHARACTERISTIC)

    @property
    def infrastructure(self) -> tuple[ItemShare, ...]:
        return tuple(item for item in self.items if item.kind == INFRASTRUCTURE)


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
    for stage in stages:
        if stage.stage_id in seen_stages:
            raise ScoringError(f"stage {stage.stage_id!r} is listed twice")
        seen_stages.add(stage.stage_id)
        if not stage.characteristic_ids:
            raise ScoringError(f"stage {stage.stage_id!r} has no characteristics")
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
        is_recognized=False,
        next_stage_id=None,
        readiness=None,
        next_steps=(),
        next_steps_stage_id=None,
        foundation_gaps=(),
        stages=(),
        items=(),
    )


def _place(
    stages: Sequence[StageDefinition], recognized: Sequence[bool], means: Sequence[Fraction]
) -> tuple[int, bool]:
    """The current stage's position and whether it is recognized (rules 3 and 4)."""
    latest = max((position for position, is_in in enumerate(recognized) if is_in), default=None)
    if latest is not None:
        return latest, True
    best = max(means)
    if best == 0:
        return 0, False
    return means.index(best), False  # the first of equal means: the earlier stage


def assess_stage(
    stages: Sequence[StageDefinition],
    answers: Sequence[StageAnswers],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> StageResult:
    """Apply the stage rule (module docstring) to all ``answers`` together.

    Hand-worked: 6 respondents. Forming's characteristics c1, c2, c3 are marked by 6, 4
    and 1: c1 (6/6) and c2 (4/6) are recognized, 2 of 3 > 1/2, so forming is recognized.
    Scaling's s1 is marked by 2 (2/6 < 1/2): not recognized. Stage: forming, although
    only a of forming's infrastructure a, b is in place (a by 3 = 1/2; b by 0): the
    next step is b. Scaling's infrastructure d is marked by 2: readiness 0.

    >>> stages = [
    ...     StageDefinition("emerging", ("e",), ("e1",)),
    ...     StageDefinition("forming", ("a", "b"), ("c1", "c2", "c3")),
    ...     StageDefinition("scaling", ("d",), ("s1",)),
    ... ]
    >>> marks = ["c1 c2 c3 a", "c1 c2 a", "c1 c2 a", "c1 c2 d", "c1 s1 d", "c1 s1"]
    >>> answers = [StageAnswers("partner", frozenset(m.split())) for m in marks]
    >>> result = assess_stage(stages, answers)
    >>> result.stage_id, result.next_steps, result.next_stage_id, result.readiness
    ('forming', ('b',), 'scaling', 0.0)
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
    recognized: list[bool] = []
    means: list[Fraction] = []
    for stage in stages:
        for kind, ids, threshold in (
            (CHARACTERISTIC, stage.characteristic_ids, CHARACTERISTIC_RECOGNIZED_SHARE),
            (INFRASTRUCTURE, stage.infrastructure_ids, ITEM_IN_PLACE_SHARE),
        ):
            items.extend(
                ItemShare(
                    item_id=item_id,
                    stage_id=stage.stage_id,
                    kind=kind,
                    true_count=true_counts[item_id],
                    share=float(share(item_id)),
                    is_met=share(item_id) >= threshold,
                )
                for item_id in ids
            )
        characteristics = stage.characteristic_ids
        count = sum(
            share(item_id) >= CHARACTERISTIC_RECOGNIZED_SHARE for item_id in characteristics
        )
        recognized.append(Fraction(count, len(characteristics)) > STAGE_RECOGNIZED_SHARE)
        means.append(
            sum((share(item_id) for item_id in characteristics), Fraction(0)) / len(characteristics)
        )

    current, is_recognized = _place(stages, recognized, means)
    in_place = {item.item_id for item in items if item.is_in_place}
    statuses: list[StageStatus] = []
    for position, stage in enumerate(stages):
        infrastructure = stage.infrastructure_ids
        placed = sum(item_id in in_place for item_id in infrastructure)
        statuses.append(
            StageStatus(
                stage_id=stage.stage_id,
                characteristic_count=len(stage.characteristic_ids),
                characteristics_recognized=sum(
                    share(item_id) >= CHARACTERISTIC_RECOGNIZED_SHARE
                    for item_id in stage.characteristic_ids
                ),
                characteristics_share=float(means[position]),
                is_recognized=recognized[position],
                item_count=len(infrastructure),
                items_in_place=placed,
                in_place_share=float(Fraction(placed, len(infrastructure)))
                if infrastructure
                else None,
                is_current=position == current,
            )
        )

    def missing(stage: StageDefinition) -> tuple[str, ...]:
        return tuple(item_id for item_id in stage.infrastructure_ids if item_id not in in_place)

    here = stages[current]
    next_stage = stages[current + 1] if current + 1 < len(stages) else None
    next_steps, steps_stage = missing(here), here
    if not next_steps and next_stage is not None:
        next_steps, steps_stage = missing(next_stage), next_stage
    return StageResult(
        respondent_count=respondent_count,
        is_suppressed=False,
        stage_id=here.stage_id,
        is_recognized=is_recognized,
        next_stage_id=next_stage.stage_id if next_stage else None,
        readiness=statuses[current + 1].in_place_share if next_stage else None,
        next_steps=next_steps,
        next_steps_stage_id=steps_stage.stage_id if next_steps else None,
        foundation_gaps=tuple(item_id for stage in stages[:current] for item_id in missing(stage)),
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

    >>> stages = [StageDefinition("emerging", (), ("e",)), StageDefinition("forming", (), ("f",))]
    >>> answers = [StageAnswers("community", frozenset("f"))] * 6 + [
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

    Every statement is compared, characteristics and infrastructure alike. Empty when
    either view is hidden. ``gap = community share - institutional share``, flagged
    when ``|gap| >= 1/4``, computed on the respondent counts so the boundary is exact.

    Hand-worked: 5 residents, 1 marks item a (1/5); 5 partners, 4 mark it (4/5):
    gap 1/5 - 4/5 = -3/5, flagged.

    >>> stages = [StageDefinition("emerging", (), ("e",)), StageDefinition("forming", ("a",), ("f",))]
    >>> answers = [StageAnswers("community", frozenset("a"))] + [
    ...     StageAnswers("community", frozenset())] * 4 + [
    ...     StageAnswers("partner", frozenset("a"))] * 4 + [StageAnswers("partner", frozenset())]
    >>> [(g.item_id, g.gap, g.is_flagged) for g in stage_voice_gaps(
    ...     assess_stage_by_member_type(stages, answers))]
    [('e', 0.0, False), ('f', 0.0, False), ('a', -0.6, True)]
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
