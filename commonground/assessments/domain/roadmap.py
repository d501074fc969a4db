"""Roadmap chapter progress, and the action plan proposed from assessment gaps.

Progress rule: each of the four roadmap chapters (``commonground.framework.CHAPTERS``)
is a list of steps, the chapter's own step ids, each done or not from plain facts
about the coalition (``CoalitionFacts``); a chapter's progress is
``done steps / steps`` (0 to 1). Next steps are the steps not done, in order.

Steps (thresholds are constants below):

1. ``understand_health_equity``: ``_ecosystem_map`` (at least 5 actors and 4 ties),
   ``_health_status`` (an indicator with data), ``_barriers`` (a listening
   session), ``_focus_areas`` (a focus area), ``_future_vision`` (the vision is
   described).
2. ``define_your_role``: ``_current_roles`` (the four-domains document is
   written), ``_future_roles`` and ``_gaps`` (every role has a role-matrix
   decision, which lists the gaps).
3. ``focus_collaborative_efforts``: ``_functions`` (a focus area and the
   four-domains document), ``_role_matrix`` (every role decided), ``_tradeoffs``
   (decision points answered), ``_partners`` (an external partner invited),
   ``_revisit`` (some assessment has two closed rounds).
4. ``sustain_collaboration_capacity``: ``_stage`` (stage assessed),
   ``_pillar_challenges`` (pillars assessed), ``_tactics`` (a capacity tactic
   started), ``_metrics_governance`` (the shared-measurement and the
   governance-and-funding tactics both in place).

Step ids are written in full, ``<chapter id>_step_<name>``, as in the framework.
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

UNDERSTAND_EQUITY: Final = "understand_health_equity"
DEFINE_ROLE: Final = "define_your_role"
FOCUS_EFFORTS: Final = "focus_collaborative_efforts"
SUSTAIN_CAPACITY: Final = "sustain_collaboration_capacity"
CHAPTER_IDS: Final = (UNDERSTAND_EQUITY, DEFINE_ROLE, FOCUS_EFFORTS, SUSTAIN_CAPACITY)

STAGE_ASSESSMENT: Final = "stage"
PILLAR_CHECK: Final = "pillars"
ROLE_MATRIX: Final = "role_matrix"
DECISION_POINTS: Final = "decision_points"
DOMAINS: Final = "domains"
TACTICS: Final = "tactics"
READINESS: Final = "readiness"
EQUITY_SELF_ASSESSMENT: Final = "hco_equity"
ASSESSMENT_KINDS: Final = (
    STAGE_ASSESSMENT,
    PILLAR_CHECK,
    ROLE_MATRIX,
    DECISION_POINTS,
    DOMAINS,
    TACTICS,
    READINESS,
    EQUITY_SELF_ASSESSMENT,
)

MIN_MAPPED_ACTORS: Final = 5
MIN_MAPPED_TIES: Final = 4
SHARED_MEASUREMENT_TACTIC: Final = "create_shared_measurement"
GOVERNANCE_TACTIC: Final = "governance_funding_model"

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
    """What the coalition has done so far, as counts and id sets.

    ``answered_assessments`` holds the kinds with a closed round (or, for the
    shared documents, with content); ``repeated_assessments`` the kinds with two
    closed rounds or more; ``tactic_ids_started`` the tactics in progress or in place.
    """

    actor_count: int = 0
    tie_count: int = 0
    indicator_count: int = 0
    listening_session_count: int = 0
    focus_area_count: int = 0
    is_vision_described: bool = False
    role_ids: tuple[str, ...] = ()
    decided_role_ids: frozenset[str] = field(default_factory=frozenset)
    open_role_gap_count: int = 0
    invited_partner_count: int = 0
    answered_assessments: frozenset[str] = field(default_factory=frozenset)
    repeated_assessments: frozenset[str] = field(default_factory=frozenset)
    tactic_ids: tuple[str, ...] = ()
    tactic_ids_started: frozenset[str] = field(default_factory=frozenset)
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
        for name in ("tactic_ids_started", "tactic_ids_in_place"):
            unknown_tactics = sorted(getattr(self, name) - set(self.tactic_ids))
            if unknown_tactics:
                label = "tactics in place" if name == "tactic_ids_in_place" else "tactics started"
                raise ScoringError(f"{label} {unknown_tactics} are not among the tactic ids")
        for name in ("answered_assessments", "repeated_assessments"):
            unknown_kinds = sorted(getattr(self, name) - set(ASSESSMENT_KINDS))
            if unknown_kinds:
                raise ScoringError(
                    f"{name.replace('_', ' ')} {unknown_kinds} are not among "
                    f"{', '.join(ASSESSMENT_KINDS)}"
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


def _step(chapter_id: str, name: str) -> str:
    return f"{chapter_id}_step_{name}"


_CHAPTERS: Final[tuple[tuple[str, tuple[tuple[str, _Check], ...]], ...]] = (
    (
        UNDERSTAND_EQUITY,
        (
            (
                _step(UNDERSTAND_EQUITY, "ecosystem_map"),
                lambda f: f.actor_count >= MIN_MAPPED_ACTORS and f.tie_count >= MIN_MAPPED_TIES,
            ),
            (_step(UNDERSTAND_EQUITY, "health_status"), lambda f: f.indicator_count >= 1),
            (_step(UNDERSTAND_EQUITY, "barriers"), lambda f: f.listening_session_count >= 1),
            (_step(UNDERSTAND_EQUITY, "focus_areas"), lambda f: f.focus_area_count >= 1),
            (_step(UNDERSTAND_EQUITY, "future_vision"), lambda f: f.is_vision_described),
        ),
    ),
    (
        DEFINE_ROLE,
        (
            (_step(DEFINE_ROLE, "current_roles"), lambda f: DOMAINS in f.answered_assessments),
            (_step(DEFINE_ROLE, "future_roles"), _roles_decided),
            (_step(DEFINE_ROLE, "gaps"), _roles_decided),
        ),
    ),
    (
        FOCUS_EFFORTS,
        (
            (
                _step(FOCUS_EFFORTS, "functions"),
                lambda f: f.focus_area_count >= 1 and DOMAINS in f.answered_assessments,
            ),
            (_step(FOCUS_EFFORTS, "role_matrix"), _roles_decided),
            (
                _step(FOCUS_EFFORTS, "tradeoffs"),
                lambda f: DECISION_POINTS in f.answered_assessments,
            ),
            (_step(FOCUS_EFFORTS, "partners"), lambda f: f.invited_partner_count >= 1),
            (_step(FOCUS_EFFORTS, "revisit"), lambda f: bool(f.repeated_assessments)),
        ),
    ),
    (
        SUSTAIN_CAPACITY,
        (
            (
                _step(SUSTAIN_CAPACITY, "stage"),
                lambda f: STAGE_ASSESSMENT in f.answered_assessments,
            ),
            (
                _step(SUSTAIN_CAPACITY, "pillar_challenges"),
                lambda f: PILLAR_CHECK in f.answered_assessments,
            ),
            (_step(SUSTAIN_CAPACITY, "tactics"), lambda f: bool(f.tactic_ids_started)),
            (
                _step(SUSTAIN_CAPACITY, "metrics_governance"),
                lambda f: {SHARED_MEASUREMENT_TACTIC, GOVERNANCE_TACTIC} <= f.tactic_ids_in_place,
            ),
        ),
    ),
)


def chapter_progress(facts: CoalitionFacts) -> tuple[ChapterProgress, ...]:
    """Return progress, done steps and next steps for the four chapters (module docstring).

    Hand-worked: 6 actors and 4 ties mapped, one indicator, nothing else: chapter 1
    has 2 of 5 steps done, progress 0.4.

    >>> first = chapter_progress(CoalitionFacts(actor_count=6, tie_count=4, indicator_count=1))[0]
    >>> first.progress, first.next_steps[0]
    (0.4, 'understand_health_equity_step_barriers')
    """
    chapters: list[ChapterProgress] = []
    for chapter_id, checks in _CHAPTERS:
        steps = [(step_id, check(facts)) for step_id, check in checks]
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
