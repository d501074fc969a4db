"""Roadmap steps the assessments can tell, the proposed action plan, and overdue items.

Steps rule: chapters 2-4 of the roadmap (``commonground.framework.CHAPTERS``) are
lists of the framework's own steps; each is done or not from plain facts about the
coalition (``CoalitionFacts``). Chapter 1 (understand health equity in the community)
is told by the apps that hold its facts: the coalition profile, the ecosystem map and
measurement. Every app's steps are gathered, and each chapter's progress computed, by
one function, ``commonground.coalitions.roadmap.build_roadmap``: the coalition home,
the action-plan page and the API all read it.

Steps (thresholds are constants below):

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

Overdue rule: an action item is overdue when it has a due date, that date is before
today (the site's date), and it is not done. An item due today is not overdue yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
ASSESSED_CHAPTER_IDS: Final = (DEFINE_ROLE, FOCUS_EFFORTS, SUSTAIN_CAPACITY)
"""The chapters whose steps ``chapter_progress`` tells; chapter 1 is told by other apps."""

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
PROPOSALS_SHOWN: Final = 5
"""How many proposals the action plan shows at a time ("show more" adds as many)."""

DONE_STATUS: Final = "done"


@dataclass(frozen=True, slots=True)
class CoalitionFacts:
    """What the coalition has done so far, as counts and id sets.

    ``answered_assessments`` holds the kinds with a closed round (or, for the
    shared documents, with content); ``repeated_assessments`` the kinds with two
    closed rounds or more; ``tactic_ids_started`` the tactics in progress or in place.
    """

    focus_area_count: int = 0
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
        for name in ("focus_area_count", "open_role_gap_count", "invited_partner_count"):
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

    ``source_key`` identifies the gap it answers, so that an accepted or set-aside
    proposal is not proposed again. ``rank`` is its place in the ranked list (1 first).
    """

    key: str
    params: tuple[tuple[str, str], ...]
    priority: int
    owner_member_type: str
    source_key: str
    rank: int = 0


def _roles_decided(facts: CoalitionFacts) -> bool:
    return bool(facts.role_ids) and facts.decided_role_ids == set(facts.role_ids)


_Check = Callable[[CoalitionFacts], bool]


def _step(chapter_id: str, name: str) -> str:
    return f"{chapter_id}_step_{name}"


_CHAPTERS: Final[tuple[tuple[str, tuple[tuple[str, _Check], ...]], ...]] = (
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
    """Return progress, done steps and next steps of chapters 2-4 (module docstring).

    Hand-worked: the four-domains document written, nothing else: chapter 2 has 1 of
    its 3 steps done.

    >>> second = chapter_progress(CoalitionFacts(answered_assessments=frozenset({"domains"})))[0]
    >>> round(second.progress, 3), second.next_steps[0]
    (0.333, 'define_your_role_step_future_roles')
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


def is_overdue(*, due_on: datetime.date | None, status: str, today: datetime.date) -> bool:
    """Whether an action item is past its due date and not done (module docstring).

    >>> day = datetime.date(2026, 11, 30)
    >>> is_overdue(due_on=datetime.date(2026, 5, 15), status="open", today=day)
    True
    >>> is_overdue(due_on=day, status="in_progress", today=day)  # due today: not yet
    False
    >>> is_overdue(due_on=datetime.date(2026, 5, 15), status="done", today=day)
    False
    """
    return due_on is not None and due_on < today and status != DONE_STATUS


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
    infrastructure_stage_id: str | None = None,
    missing_infrastructure: Mapping[str, float] | None = None,
    voice_gaps: Mapping[str, float] | None = None,
    pillar_means: Mapping[str, float] | None = None,
    role_gaps: Sequence[RoleGap] = (),
    missing_sector_ids: Sequence[str] = (),
    disagreements: Sequence[DisagreementRank] = (),
    factor_scores: Sequence[FactorScore] = (),
    weakest_pillar_count: int = DEFAULT_WEAKEST_PILLARS,
) -> tuple[ActionItem, ...]:
    """Turn assessment gaps into proposed actions, ranked by impact.

    Sources (rows), with title key, priority and suggested owner (a member type):

    0. infrastructure the stage's next steps need (``missing_infrastructure``: item
       id -> share of members who see it in place): ``actions.build_infrastructure``,
       high, backbone;
    1. a statement or pillar on which residents and institutions differ
       (``voice_gaps``: item id -> gap as a share of the answer's range, -1 to 1: the
       difference of the shares marking a statement, or of the mean ratings divided by
       the scale's range): ``actions.hear_residents``, high, backbone;
    2. the weakest pillars (mean >= 3.0, the top ``weakest_pillar_count``):
       ``actions.strengthen_pillar``, high when mean >= 4.0 else medium, backbone;
    3. a role no member covers (its focus areas joined): ``actions.fill_role``,
       medium, backbone;
    4. a decision point with wide disagreement: ``actions.discuss_decision_point``,
       medium, backbone;
    5. a readiness factor in the concern band (overall view):
       ``actions.address_readiness``, medium, backbone;
    6. a sector missing from the coalition: ``actions.recruit_sector``, low, partner.

    Ranking rule (impact): priority first (high, medium, low); within a priority,
    the rows in the order above; within a row, the largest gap first: the
    infrastructure the fewest members see in place, the widest voice gap, the pillar
    rated as holding the coalition back most, the role needed in the most focus
    areas, the widest disagreement, the lowest readiness; then the order given.
    Pillar means are "how much the challenge holds us back" (1-5): higher is weaker.
    A repeated source is proposed once. ``rank`` numbers the result from 1.

    >>> actions = propose_actions(
    ...     infrastructure_stage_id="scaling",
    ...     missing_infrastructure={"impact_reports": 0.4, "data_access": 0.1},
    ...     pillar_means={"trust": 4.2, "resources": 3.1, "data": 2.0},
    ...     role_gaps=[RoleGap("asthma", "funding"), RoleGap("asthma", "advocating"),
    ...                RoleGap("housing", "advocating")],
    ...     missing_sector_ids=["housing"],
    ... )
    >>> [(a.rank, a.source_key, a.priority) for a in actions]  # doctest: +NORMALIZE_WHITESPACE
    [(1, 'infrastructure:data_access', 1), (2, 'infrastructure:impact_reports', 1),
     (3, 'pillar:trust', 1), (4, 'pillar:resources', 2), (5, 'role:advocating', 2),
     (6, 'role:funding', 2), (7, 'sector:housing', 3)]
    """
    if isinstance(weakest_pillar_count, bool) or weakest_pillar_count < 0:
        raise ScoringError(f"weakest pillar count {weakest_pillar_count!r} must be >= 0")
    if missing_infrastructure and infrastructure_stage_id is None:
        raise ScoringError("missing infrastructure given without the stage it belongs to")
    # (priority, row, largest gap first as a sort key, position given, item)
    proposals: list[tuple[int, int, float, int, ActionItem]] = []

    def propose(row: int, size: float, position: int, item: ActionItem) -> None:
        proposals.append((item.priority, row, -size, position, item))

    for position, (item_id, share) in enumerate((missing_infrastructure or {}).items()):
        if not 0 <= share <= 1:
            raise ScoringError(f"infrastructure {item_id!r}: share {share!r} is outside 0 to 1")
        item = ActionItem(
            "actions.build_infrastructure",
            (("stage_id", str(infrastructure_stage_id)), ("item_id", item_id)),
            HIGH,
            BACKBONE,
            f"infrastructure:{item_id}",
        )
        propose(0, 1 - share, position, item)
    for position, (item_id, voice_gap) in enumerate((voice_gaps or {}).items()):
        item = ActionItem(
            "actions.hear_residents",
            (("item_id", item_id),),
            HIGH,
            BACKBONE,
            f"voice_gap:{item_id}",
        )
        propose(1, abs(voice_gap), position, item)
    weakest = _weakest_pillars(pillar_means or {}, weakest_pillar_count)
    for position, (pillar_id, mean) in enumerate(weakest):
        priority = HIGH if mean >= SEVERE_PILLAR_MEAN else MEDIUM
        params = (("pillar_id", pillar_id), ("mean", f"{float(mean):.1f}"))
        item = ActionItem(
            "actions.strengthen_pillar", params, priority, BACKBONE, f"pillar:{pillar_id}"
        )
        propose(2, float(mean), position, item)
    focus_areas: dict[str, list[str]] = {}
    for role_gap in role_gaps:
        focus_areas.setdefault(role_gap.role_id, []).append(role_gap.focus_area_id)
    for position, (role_id, areas) in enumerate(focus_areas.items()):
        unique = list(dict.fromkeys(areas))
        params = (("role_id", role_id), ("focus_area_ids", ",".join(unique)))
        item = ActionItem("actions.fill_role", params, MEDIUM, BACKBONE, f"role:{role_id}")
        propose(3, len(unique), position, item)
    for position, rank in enumerate(item for item in disagreements if item.is_wide):
        params = (("decision_point_id", rank.item_id), ("disagreement", f"{rank.disagreement:.2f}"))
        item = ActionItem(
            "actions.discuss_decision_point", params, MEDIUM, BACKBONE, f"decision:{rank.item_id}"
        )
        propose(4, rank.disagreement, position, item)
    concerns = [
        (score.factor_id, score.mean)
        for score in factor_scores
        if score.view == OVERALL and score.band == CONCERN and score.mean is not None
    ]
    for position, (factor_id, factor_mean) in enumerate(concerns):
        params = (("factor_id", factor_id), ("mean", f"{factor_mean:.1f}"))
        item = ActionItem(
            "actions.address_readiness", params, MEDIUM, BACKBONE, f"factor:{factor_id}"
        )
        propose(5, -factor_mean, position, item)
    for position, sector_id in enumerate(missing_sector_ids):
        item = ActionItem(
            "actions.recruit_sector",
            (("sector_id", sector_id),),
            LOW,
            PARTNER,
            f"sector:{sector_id}",
        )
        propose(6, 0.0, position, item)
    proposals.sort(key=lambda entry: entry[:4])
    seen: set[str] = set()
    actions: list[ActionItem] = []
    for *_, item in proposals:
        if item.source_key not in seen:
            seen.add(item.source_key)
            actions.append(replace(item, rank=len(actions) + 1))
    return tuple(actions)
