"""Roadmap chapter progress, and the action plan proposed from assessment gaps.

Progress rule: each chapter is a list of steps, each done or not from plain
facts about the coalition (``CoalitionFacts``); a chapter's progress is
``done steps / steps`` (0 to 1). Next steps are the steps not done, in order.

Steps (ids are stable strings; thresholds are constants below):

1. ``understand_equity``: ``ecosystem_mapped`` (at least 5 actors and 4 ties),
   ``health_status_described`` (an indicator with data), ``lived_experience_heard``
   (a listening session), ``focus_areas_prioritized`` (a focus area).
2. ``define_role``: ``domains_answered`` (the domains-of-action assessment has a
   closed round), ``roles_decided`` (every role has a role-matrix decision).
3. ``focus_efforts``: ``partners_invited`` (an external partner invited),
   ``role_gaps_filled`` (roles decided and no open gap), ``decision_points_answered``.
4. ``sustain_capacity``: ``stage_assessed``, ``pillars_assessed``,
   ``readiness_assessed``, then ``tactic:<tactic id>`` for each capacity tactic,
   done when the tactic is in place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.members import BACKBONE, OVERALL, PARTNER
from commonground.assessments.domain.ratings import CONCERN, DisagreementRank, FactorScore
from commonground.assessments.domain.roles import RoleGap

UNDERSTAND_EQUITY: Final = "understand_equity"
DEFINE_ROLE: Final = "define_role"
FOCUS_EFFORTS: Final = "focus_efforts"
SUSTAIN_CAPACITY: Final = "sustain_capacity"

STAGE_ASSESSMENT: Final = "stage"
PILLAR_CHECK: Final = "pillars"
ROLE_MATRIX: Final = "roles"
DECISION_POINTS: Final = "decision_points"
DOMAINS: Final = "domains"
READINESS: Final = "readiness"
EQUITY_SELF_ASSESSMENT: Final = "equity"
ASSESSMENT_KINDS: Final = (
    STAGE_ASSESSMENT,
    PILLAR_CHECK,
    ROLE_MATRIX,
    DECISION_POINTS,
    DOMAINS,
    READINESS,
    EQUITY_SELF_ASSESSMENT,
)

MIN_MAPPED_ACTORS: Final = 5
MIN_MAPPED_TIES: Final = 4
TACTIC_STEP_PREFIX: Final = "tactic:"

HIGH: Final = 1
MEDIUM: Final = 2
LOW: Final = 3

WEAK_PILLAR_MEAN: Final = Fraction(3)
"""A pillar whose challenge is rated 3.0 or more (holds the coalition back) is weak."""
SEVERE_PILLAR_MEAN: Final = Fraction(4)
"""A weak pillar rated 4.0 or more gets a high-priority action."""
DEFAULT_WEAKEST_PILLARS: Final = 2


@dataclass(frozen=True, slots=True)
class CoalitionFacts:
    """What the coalition has done so far, as counts and id sets."""

    actor_count: int = 0
    tie_count: int = 0
    indicator_count: int = 0
    listening_session_count: int = 0
    focus_area_count: int = 0
    role_ids: tuple[str, ...] = ()
    decided_role_ids: frozenset[str] = field(default_factory=frozenset)
    open_role_gap_count: int = 0
    invited_partner_count: int = 0
    answered_assessments: frozenset[str] = field(default_factory=frozenset)
    tactic_ids: tuple[str, ...] = ()
    tactic_ids_in_place: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for name in (
            "actor_count",
            "tie_count",
            "indicator_count",
            "listening_session_count",
            "focus_area_count",
            "open_role_gap_count",
            "invited_partner_count",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ScoringError(f"{name} is {value!r}; expected a whole number >= 0")
        unknown_roles = sorted(self.decided_role_ids - set(self.role_ids))
        if unknown_roles:
            raise ScoringError(f"decided roles {unknown_roles} are not among the role ids")
        unknown_tactics = sorted(self.tactic_ids_in_place - set(self.tactic_ids))
        if unknown_tactics:
            raise ScoringError(f"tactics in place {unknown_tactics} are not among the tactic ids")
        unknown_kinds = sorted(self.answered_assessments - set(ASSESSMENT_KINDS))
        if unknown_kinds:
            raise ScoringError(
                f"answered assessments {unknown_kinds} are not among {', '.join(ASSESSMENT_KINDS)}"
            )


@dataclass(frozen=True, slots=True)
class ChapterProgress:
    chapter_id: str
    progress: float
    done_steps: tuple[str, ...]
    next_steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionItem:
    """A proposed action: a translatable title key with string parameters.

    ``source_key`` identifies the gap it answers, so a service can avoid proposing
    the same action twice across recomputations.
    """

    key: str
    params: tuple[tuple[str, str], ...]
    priority: int
    owner_member_type: str
    source_key: str


def _roles_decided(facts: CoalitionFacts) -> bool:
    return bool(facts.role_ids) and facts.decided_role_ids == set(facts.role_ids)


_Check = Callable[[CoalitionFacts], bool]

_CHAPTERS: Final[tuple[tuple[str, tuple[tuple[str, _Check], ...]], ...]] = (
    (
        UNDERSTAND_EQUITY,
        (
            (
                "ecosystem_mapped",
                lambda f: f.actor_count >= MIN_MAPPED_ACTORS and f.tie_count >= MIN_MAPPED_TIES,
            ),
            ("health_status_described", lambda f: f.indicator_count >= 1),
            ("lived_experience_heard", lambda f: f.listening_session_count >= 1),
            ("focus_areas_prioritized", lambda f: f.focus_area_count >= 1),
        ),
    ),
    (
        DEFINE_ROLE,
        (
            ("domains_answered", lambda f: DOMAINS in f.answered_assessments),
            ("roles_decided", _roles_decided),
        ),
    ),
    (
        FOCUS_EFFORTS,
        (
            ("partners_invited", lambda f: f.invited_partner_count >= 1),
            ("role_gaps_filled", lambda f: _roles_decided(f) and f.open_role_gap_count == 0),
            ("decision_points_answered", lambda f: DECISION_POINTS in f.answered_assessments),
        ),
    ),
    (
        SUSTAIN_CAPACITY,
        (
            ("stage_assessed", lambda f: STAGE_ASSESSMENT in f.answered_assessments),
            ("pillars_assessed", lambda f: PILLAR_CHECK in f.answered_assessments),
            ("readiness_assessed", lambda f: READINESS in f.answered_assessments),
        ),
    ),
)


def chapter_progress(facts: CoalitionFacts) -> tuple[ChapterProgress, ...]:
    """Return progress, done steps and next steps for the four chapters (module docstring).

    Hand-worked: 6 actors and 4 ties mapped, one indicator, nothing else: chapter 1
    has 2 of 4 steps done, progress 0.5.

    >>> first = chapter_progress(CoalitionFacts(actor_count=6, tie_count=4, indicator_count=1))[0]
    >>> first.progress, first.next_steps
    (0.5, ('lived_experience_heard', 'focus_areas_prioritized'))
    """
    chapters: list[ChapterProgress] = []
    for chapter_id, checks in _CHAPTERS:
        steps = [(step_id, check(facts)) for step_id, check in checks]
        if chapter_id == SUSTAIN_CAPACITY:
            steps.extend(
                (TACTIC_STEP_PREFIX + tactic_id, tactic_id in facts.tactic_ids_in_place)
                for tactic_id in facts.tactic_ids
            )
        done = tuple(step_id for step_id, is_done in steps if is_done)
        chapters.append(
            ChapterProgress(
                chapter_id=chapter_id,
                progress=float(Fraction(len(done), len(steps))),
                done_steps=done,
                next_steps=tuple(step_id for step_id, is_done in steps if not is_done),
            )
        )
    return tuple(chapters)


def _weakest_pillars(pillar_means: Mapping[str, float], count: int) -> list[tuple[str, Fraction]]:
    weak: list[tuple[str, Fraction]] = []
    for pillar_id, mean in pillar_means.items():
        exact = Fraction(mean)
        if not 1 <= exact <= 5:
            raise ScoringError(f"pillar {pillar_id!r}: mean {mean!r} is outside 1 to 5")
        if exact >= WEAK_PILLAR_MEAN:
            weak.append((pillar_id, exact))
    weak.sort(key=lambda pair: (-pair[1], pair[0]))
    return weak[:count]


def propose_actions(
    *,
    next_stage_id: str | None = None,
    missing_infrastructure_ids: Sequence[str] = (),
    voice_gap_item_ids: Sequence[str] = (),
    pillar_means: Mapping[str, float] | None = None,
    role_gaps: Sequence[RoleGap] = (),
    missing_sector_ids: Sequence[str] = (),
    disagreements: Sequence[DisagreementRank] = (),
    factor_scores: Sequence[FactorScore] = (),
    weakest_pillar_count: int = DEFAULT_WEAKEST_PILLARS,
) -> tuple[ActionItem, ...]:
    """Turn assessment gaps into proposed action items, deterministically ordered.

    Sources, with title key, priority and suggested owner (a member type):

    - next stage's missing infrastructure item: ``actions.build_infrastructure``,
      high, backbone;
    - item with a flagged voice gap: ``actions.hear_residents``, high, backbone;
    - weakest pillars (mean >= 3.0, the top ``weakest_pillar_count``):
      ``actions.strengthen_pillar``, high when mean >= 4.0 else medium, backbone;
    - role with a gap (its focus areas joined): ``actions.fill_role``, medium, backbone;
    - decision point with wide disagreement: ``actions.discuss_decision_point``,
      medium, backbone;
    - readiness factor in the concern band (overall view): ``actions.address_readiness``,
      medium, backbone;
    - sector missing from the coalition: ``actions.recruit_sector``, low, partner.

    Pillar means are "how much the challenge holds us back" (1-5): higher is weaker.
    Order: priority, then the list's order, then the order given (pillars by
    mean, highest first, then id). A repeated source is proposed once.

    >>> actions = propose_actions(
    ...     next_stage_id="scaling",
    ...     missing_infrastructure_ids=["impact_reports"],
    ...     pillar_means={"trust": 4.2, "resources": 3.1, "data": 2.0},
    ...     missing_sector_ids=["housing"],
    ... )
    >>> [(a.key, a.priority, dict(a.params)) for a in actions]  # doctest: +NORMALIZE_WHITESPACE
    [('actions.build_infrastructure', 1, {'stage_id': 'scaling', 'item_id': 'impact_reports'}),
     ('actions.strengthen_pillar', 1, {'pillar_id': 'trust', 'mean': '4.2'}),
     ('actions.strengthen_pillar', 2, {'pillar_id': 'resources', 'mean': '3.1'}),
     ('actions.recruit_sector', 3, {'sector_id': 'housing'})]
    """
    if isinstance(weakest_pillar_count, bool) or weakest_pillar_count < 0:
        raise ScoringError(f"weakest pillar count {weakest_pillar_count!r} must be >= 0")
    if missing_infrastructure_ids and next_stage_id is None:
        raise ScoringError("missing infrastructure given without the next stage id")
    proposals: list[tuple[int, int, int, ActionItem]] = []

    def propose(row: int, position: int, item: ActionItem) -> None:
        proposals.append((item.priority, row, position, item))

    for position, item_id in enumerate(missing_infrastructure_ids):
        params = (("stage_id", str(next_stage_id)), ("item_id", item_id))
        propose(
            0,
            position,
            ActionItem(
                "actions.build_infrastructure", params, HIGH, BACKBONE, f"infrastructure:{item_id}"
            ),
        )
    for position, item_id in enumerate(voice_gap_item_ids):
        propose(
            1,
            position,
            ActionItem(
                "actions.hear_residents",
                (("item_id", item_id),),
                HIGH,
                BACKBONE,
                f"voice_gap:{item_id}",
            ),
        )
    weakest = _weakest_pillars(pillar_means or {}, weakest_pillar_count)
    for position, (pillar_id, mean) in enumerate(weakest):
        priority = HIGH if mean >= SEVERE_PILLAR_MEAN else MEDIUM
        params = (("pillar_id", pillar_id), ("mean", f"{float(mean):.1f}"))
        propose(
            2,
            position,
            ActionItem(
                "actions.strengthen_pillar", params, priority, BACKBONE, f"pillar:{pillar_id}"
            ),
        )
    focus_areas: dict[str, list[str]] = {}
    for gap in role_gaps:
        focus_areas.setdefault(gap.role_id, []).append(gap.focus_area_id)
    for position, (role_id, areas) in enumerate(focus_areas.items()):
        params = (("role_id", role_id), ("focus_area_ids", ",".join(dict.fromkeys(areas))))
        propose(
            3,
            position,
            ActionItem("actions.fill_role", params, MEDIUM, BACKBONE, f"role:{role_id}"),
        )
    for position, rank in enumerate(item for item in disagreements if item.is_wide):
        params = (("decision_point_id", rank.item_id), ("disagreement", f"{rank.disagreement:.2f}"))
        propose(
            4,
            position,
            ActionItem(
                "actions.discuss_decision_point",
                params,
                MEDIUM,
                BACKBONE,
                f"decision:{rank.item_id}",
            ),
        )
    concerns = [
        (score.factor_id, score.mean)
        for score in factor_scores
        if score.view == OVERALL and score.band == CONCERN and score.mean is not None
    ]
    for position, (factor_id, factor_mean) in enumerate(concerns):
        params = (("factor_id", factor_id), ("mean", f"{factor_mean:.1f}"))
        propose(
            5,
            position,
            ActionItem(
                "actions.address_readiness", params, MEDIUM, BACKBONE, f"factor:{factor_id}"
            ),
        )
    for position, sector_id in enumerate(missing_sector_ids):
        propose(
            6,
            position,
            ActionItem(
                "actions.recruit_sector",
                (("sector_id", sector_id),),
                LOW,
                PARTNER,
                f"sector:{sector_id}",
            ),
        )
    proposals.sort(key=lambda entry: entry[:3])
    seen: set[str] = set()
    actions: list[ActionItem] = []
    for *_, item in proposals:
        if item.source_key not in seen:
            seen.add(item.source_key)
            actions.append(item)
    return tuple(actions)
