"""Reads. Everything here runs inside ``scope(coalition=...)``.

Results are computed by the pure core (``assessments.domain``) from the answers of
one round, each counted by member type, source (self-submitted or paper) and
release. Every view with 1 to 4 self-submitted or 1 to 4 paper answers, or derivable
from the shown ones or from an earlier release of the round, comes back suppressed;
pages, the API, the CSV export and the action plan all read these results.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from commonground import framework
from commonground.assessments.domain.exercises import (
    HCO_COMPONENTS,
    MARKED,
    Exercise,
    get_exercise,
)
from commonground.assessments.domain.members import (
    COMMUNITY,
    INSTITUTIONAL,
    OVERALL,
    PAPER,
    SELF,
    ViewCount,
    tally_members,
    view_counts,
)
from commonground.assessments.domain.ratings import (
    DisagreementRank,
    FactorScore,
    ItemChange,
    ItemResult,
    NoteList,
    RatingResponse,
    compare_rounds,
    rank_by_disagreement,
    score_factors,
    summarize_items,
    summarize_notes,
)
from commonground.assessments.domain.roadmap import ActionItem as ProposedAction
from commonground.assessments.domain.roadmap import (
    CoalitionFacts,
    is_overdue,
    propose_actions,
)
from commonground.assessments.domain.roles import (
    Actor,
    GapSuggestions,
    RoleGap,
    find_role_gaps,
    suggest_partners,
)
from commonground.assessments.domain.roles import (
    RoleMatrixEntry as RoleCell,
)
from commonground.assessments.domain.stage import (
    ShareGap,
    StageAnswers,
    StageDefinition,
    StageView,
    assess_stage_by_member_type,
    stage_voice_gaps,
)
from commonground.assessments.models import (
    ActionItem,
    AgreedPosition,
    AnonymousResponse,
    Assessment,
    DismissedProposal,
    DomainDocument,
    DomainDocumentVersion,
    Response,
    RoleMatrixEntry,
    TacticStatus,
)
from commonground.coalitions import evidence
from commonground.coalitions.freshness import once_per_request
from commonground.coalitions.models import Coalition, Invitation, Membership
from commonground.coalitions.roadmap import Roadmap, build_roadmap
from commonground.ecosystem import selectors as eco_selectors
from commonground.ecosystem.selectors import ActorSummary, EcosystemFacts
from commonground.lib.request_memo import memoized

TACTIC_IDS = frozenset(tactic.id for tactic in framework.TACTICS)

STAGE_DEFINITIONS = tuple(
    StageDefinition(
        stage.id,
        tuple(item.id for item in stage.infrastructure),
        tuple(item.id for item in stage.characteristics),
    )
    for stage in framework.STAGES
)


# -- the ecosystem map ---------------------------------------------------------------


def ecosystem_actors(*, coalition: Coalition) -> list[ActorSummary]:
    return list(eco_selectors.actor_summaries(coalition=coalition))


def ecosystem_facts(*, coalition: Coalition) -> EcosystemFacts | None:
    """The ecosystem map's headline facts, or ``None`` when nothing is mapped yet."""
    facts = eco_selectors.ecosystem_facts(coalition=coalition)
    return facts if facts.actor_count else None


# -- rounds ----------------------------------------------------------------------------


def _answer_count(model: type[Response] | type[AnonymousResponse]) -> Subquery:
    return Subquery(
        model.objects.filter(assessment=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def list_assessments(*, coalition: Coalition) -> QuerySet[Assessment]:
    """Every round, with ``response_count`` (answers in whichever table the round uses)."""
    return Assessment.objects.filter(coalition=coalition).annotate(
        response_count=Coalesce(_answer_count(Response), Value(0))
        + Coalesce(_answer_count(AnonymousResponse), Value(0))
    )


def answer_count(assessment: Assessment) -> int:
    return int(assessment.answer_rows().count())


def paper_count(assessment: Assessment) -> int:
    return int(assessment.answer_rows().filter(is_paper=True).count())


def get_assessment(*, coalition: Coalition, assessment_id: int) -> Assessment:
    """Return one round of ``coalition`` or raise ``Assessment.DoesNotExist``."""
    return Assessment.objects.get(coalition=coalition, pk=assessment_id)


def previous_round(assessment: Assessment) -> Assessment | None:
    """The latest closed round of the same exercise before this one."""
    return (
        Assessment.objects.filter(
            coalition=assessment.coalition,
            kind=assessment.kind,
            round_number__lt=assessment.round_number,
            status=Assessment.Status.CLOSED,
        )
        .order_by("-round_number")
        .first()
    )


def latest_closed_round(*, coalition: Coalition, kind: str) -> Assessment | None:
    """The latest closed round of ``kind``: open rounds' results are not read until closed."""
    return (
        Assessment.objects.filter(coalition=coalition, kind=kind, status=Assessment.Status.CLOSED)
        .order_by("-round_number")
        .first()
    )


def _latest_closed_rounds(coalition: Coalition) -> dict[str, Assessment]:
    """``latest_closed_round`` of every kind, in one query."""
    latest: dict[str, Assessment] = {}
    for assessment in Assessment.objects.filter(
        coalition=coalition, status=Assessment.Status.CLOSED
    ).order_by("-round_number"):
        latest.setdefault(assessment.kind, assessment)
    return latest


def open_round_of(*, coalition: Coalition, kind: str) -> Assessment | None:
    return Assessment.objects.filter(
        coalition=coalition, kind=kind, status=Assessment.Status.OPEN
    ).first()


AnswerRow = Response | AnonymousResponse


def _responses(assessment: Assessment) -> list[AnswerRow]:
    """The round's answers, in an order that says nothing about the order of answering
    (read once per request: a page may show the same round's items, factors and stage)."""

    def read() -> tuple[AnswerRow, ...]:
        rows: list[AnswerRow] = list(assessment.answer_rows())
        rows.sort(key=lambda row: (row.release, row.member_type, row.is_paper, str(row.answers)))
        return tuple(rows)

    return list(memoized(("assessment_responses", assessment.pk), read))


def _source(row: AnswerRow) -> str:
    return PAPER if row.is_paper else SELF


# -- results ---------------------------------------------------------------------------


def respondent_counts(responses: Sequence[AnswerRow]) -> tuple[ViewCount, ...]:
    """Respondents per member-type view, with small and derivable views suppressed."""
    return view_counts(
        tally_members((row.member_type, _source(row), row.release) for row in responses)
    )


def round_counts(assessment: Assessment) -> tuple[ViewCount, ...]:
    return respondent_counts(_responses(assessment))


@dataclass
class ItemRow:
    """One rated item of a round, with everything the results page shows beside it."""

    item_id: str
    entry: Any
    result: ItemResult
    heat: dict[str, str] = field(default_factory=dict)
    rank: DisagreementRank | None = None
    change: ItemChange | None = None
    agreed: AgreedPosition | None = None
    notes: list[str] = field(default_factory=list)
    notes_hidden: bool = False


@dataclass
class RatedResults:
    assessment: Assessment
    exercise: Exercise
    counts: tuple[ViewCount, ...]
    rows: list[ItemRow]
    factors: list[tuple[Any, dict[str, FactorScore]]]
    ranks: tuple[DisagreementRank, ...]
    previous: Assessment | None
    flagged_count: int


@dataclass
class StageResults:
    assessment: Assessment
    counts: tuple[ViewCount, ...]
    views: tuple[StageView, ...]
    overall: StageView
    gaps: dict[str, ShareGap]
    community_stage: str | None
    institutional_stage: str | None
    previous: Assessment | None
    previous_stage: str | None
    flagged_count: int
    view_shares: dict[str, dict[str, float]] = field(default_factory=dict)


def _entry(kind: str, item_id: str) -> Any:
    if kind == "pillars":
        return framework.get_pillar(item_id)
    if kind == "decision_points":
        return framework.get_decision_point(item_id)
    if kind == "readiness":
        return framework.get_feature(item_id)
    for component in HCO_COMPONENTS:
        for found_id, text in component.items:
            if found_id == item_id:
                return {"name": text, "component": component}
    return framework.get_item(item_id)


def _rating_responses(responses: Sequence[AnswerRow]) -> list[RatingResponse]:
    return [
        RatingResponse(
            response.member_type,
            dict(response.answers.get("ratings", {})),
            source=_source(response),
            release=response.release,
            notes=dict(response.answers.get("notes", {})),
        )
        for response in responses
    ]


def _heat(stat: Any, kind: str) -> str:
    if stat.is_suppressed:
        return "suppressed"
    if stat.distribution is None:
        return "empty"
    mean = stat.distribution.mean
    if kind == "decision_points":
        return f"pole-{min(4, int(mean // 20))}"
    return f"heat-{min(5, max(1, round(mean)))}"


def _item_results(
    assessment: Assessment, responses: Sequence[AnswerRow] | None = None
) -> tuple[ItemResult, ...]:
    """Every item of a rated round, summarized per member-type view."""
    exercise = get_exercise(assessment.kind)
    assert exercise.scale is not None
    if responses is None:
        responses = _responses(assessment)
    return summarize_items(
        _rating_responses(responses), item_ids=exercise.item_ids, scale=exercise.scale
    )


def _factor_scores(
    assessment: Assessment, responses: Sequence[AnswerRow] | None = None
) -> dict[str, dict[str, FactorScore]]:
    """The scores of a rated round's factors (if its exercise has any), by factor, then view."""
    exercise = get_exercise(assessment.kind)
    assert exercise.scale is not None
    by_factor: dict[str, dict[str, FactorScore]] = {}
    if not exercise.factors:
        return by_factor
    if responses is None:
        responses = _responses(assessment)
    scores = score_factors(
        _rating_responses(responses), factors=dict(exercise.factors), scale=exercise.scale
    )
    for score in scores:
        by_factor.setdefault(score.factor_id, {})[score.view] = score
    return by_factor


def rated_results(assessment: Assessment) -> RatedResults:
    exercise = get_exercise(assessment.kind)
    assert exercise.scale is not None
    responses = _responses(assessment)
    items = _item_results(assessment, responses)
    ranks = rank_by_disagreement(items) if assessment.kind == "decision_points" else ()
    rank_of = {rank.item_id: rank for rank in ranks}
    previous = previous_round(assessment)
    changes: dict[str, ItemChange] = {}
    if previous is not None:
        before = summarize_items(
            _rating_responses(_responses(previous)),
            item_ids=exercise.item_ids,
            scale=exercise.scale,
        )
        changes = {change.item_id: change for change in compare_rounds(before, items)}
    agreed = {
        position.decision_point_id: position
        for position in AgreedPosition.objects.filter(assessment=assessment).select_related(
            "decided_by__user"
        )
    }
    rating_responses = _rating_responses(responses)
    notes_of: dict[str, NoteList] = {
        found.item_id: found
        for found in summarize_notes(rating_responses, item_ids=exercise.item_ids)
    }
    rows = []
    for item in items:
        # Notes are unattributed and sorted, and planned like ratings over the people
        # who wrote one (``domain.ratings.summarize_notes``).
        note_list = notes_of[item.item_id]
        rows.append(
            ItemRow(
                item_id=item.item_id,
                entry=_entry(assessment.kind, item.item_id),
                result=item,
                heat={stat.view: _heat(stat, assessment.kind) for stat in item.views},
                rank=rank_of.get(item.item_id),
                change=changes.get(item.item_id),
                agreed=agreed.get(item.item_id),
                notes=list(note_list.notes),
                notes_hidden=note_list.is_suppressed,
            )
        )
    factors: list[tuple[Any, dict[str, FactorScore]]] = []
    components = {c.id: c for c in HCO_COMPONENTS}
    for factor_id, views in _factor_scores(assessment, responses).items():
        entry = components.get(factor_id) or framework.get_feature(factor_id)
        factors.append((entry, views))
    return RatedResults(
        assessment=assessment,
        exercise=exercise,
        counts=respondent_counts(responses),
        rows=rows,
        factors=factors,
        ranks=ranks,
        previous=previous,
        flagged_count=sum(row.result.voice_gap.is_flagged for row in rows),
    )


def _stage_views(responses: Sequence[AnswerRow]) -> tuple[StageView, ...]:
    answers = [
        StageAnswers(
            response.member_type,
            frozenset(response.answers.get("marked", [])),
            source=_source(response),
            release=response.release,
        )
        for response in responses
    ]
    return assess_stage_by_member_type(STAGE_DEFINITIONS, answers)


def stage_results(assessment: Assessment) -> StageResults:
    responses = _responses(assessment)
    views = _stage_views(responses)
    by_view = {view.view: view for view in views}
    gaps = {gap.item_id: gap for gap in stage_voice_gaps(views)}
    previous = previous_round(assessment)
    previous_stage = None
    if previous is not None:
        previous_stage = _stage_views(_responses(previous))[0].result.stage_id
    return StageResults(
        assessment=assessment,
        counts=respondent_counts(responses),
        views=views,
        overall=by_view[OVERALL],
        gaps=gaps,
        community_stage=by_view[COMMUNITY].result.stage_id,
        institutional_stage=by_view[INSTITUTIONAL].result.stage_id,
        previous=previous,
        previous_stage=previous_stage,
        flagged_count=sum(gap.is_flagged for gap in gaps.values()),
        view_shares={
            view.view: {item.item_id: item.share for item in view.result.items}
            for view in views
            if not view.is_suppressed
        },
    )


def results_for(assessment: Assessment) -> RatedResults | StageResults:
    if get_exercise(assessment.kind).shape == MARKED:
        return stage_results(assessment)
    return rated_results(assessment)


# -- shared records ----------------------------------------------------------------------


def list_role_matrix(*, coalition: Coalition) -> QuerySet[RoleMatrixEntry]:
    return RoleMatrixEntry.objects.filter(coalition=coalition)


def role_gaps(*, coalition: Coalition) -> tuple[RoleGap, ...]:
    return _role_gaps(list(list_role_matrix(coalition=coalition)))


def _role_gaps(entries: Sequence[RoleMatrixEntry]) -> tuple[RoleGap, ...]:
    cells = [
        RoleCell(e.focus_area, e.role_id, e.is_needed, e.is_covered_internally) for e in entries
    ]
    return find_role_gaps(cells)


def partner_suggestions(*, coalition: Coalition) -> tuple[GapSuggestions, ...]:
    """Ecosystem actors who play each gap's role, ranked (``domain.roles``)."""
    gaps = role_gaps(coalition=coalition)
    summaries = ecosystem_actors(coalition=coalition)
    actors = [
        Actor(
            actor_id=str(summary.id),
            name=summary.name,
            sector_id=summary.sector_id,
            role_ids=frozenset(summary.role_ids),
            tie_intensity=summary.tie_intensity_to_core,
            trust_received=summary.trust_received,
            is_member=summary.is_member,
        )
        for summary in summaries
    ]
    # The coalition's sectors are its members' (the map's other actors are candidates).
    sectors = {summary.sector_id for summary in summaries if summary.is_member}
    return suggest_partners(gaps, actors, coalition_sector_ids=sectors)


def list_tactics(*, coalition: Coalition) -> list[tuple[Any, TacticStatus | None]]:
    statuses = {
        status.tactic_id: status
        for status in TacticStatus.objects.filter(coalition=coalition).select_related("owner__user")
    }
    return [(tactic, statuses.get(tactic.id)) for tactic in framework.TACTICS]


def get_domain_document(*, coalition: Coalition) -> DomainDocument | None:
    return DomainDocument.objects.filter(coalition=coalition).first()


def list_domain_versions(*, document: DomainDocument) -> QuerySet[DomainDocumentVersion]:
    return (
        DomainDocumentVersion.objects.filter(document=document)
        .select_related("author")
        .prefetch_related("comments__author")
    )


def list_actions(*, coalition: Coalition) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(coalition=coalition).select_related("owner__user")


def list_owners(*, coalition: Coalition) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(coalition=coalition)
        .exclude(role=Membership.Role.VIEWER)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )


# -- roadmap and action plan ---------------------------------------------------------------


def today() -> datetime.date:
    """The site's date (``TIME_ZONE``), against which due dates are compared."""
    return timezone.localdate()


def _answered_kinds(
    coalition: Coalition, *, has_role_matrix: bool, has_tactics: bool
) -> tuple[frozenset[str], frozenset[str]]:
    closed = (
        Assessment.objects.filter(coalition=coalition, status=Assessment.Status.CLOSED)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    answered = {row["kind"] for row in closed}
    repeated = {row["kind"] for row in closed if row["n"] >= 2}
    if DomainDocument.objects.filter(coalition=coalition, versions__isnull=False).exists():
        answered.add(Assessment.Kind.DOMAINS)
    if has_role_matrix:
        answered.add(Assessment.Kind.ROLE_MATRIX)
    if has_tactics:
        answered.add(Assessment.Kind.TACTICS)
    return frozenset(answered), frozenset(repeated)


def coalition_facts(*, coalition: Coalition) -> CoalitionFacts:
    return _facts_and_gaps(coalition)[0]


def facts_and_gaps(*, coalition: Coalition) -> tuple[CoalitionFacts, tuple[RoleGap, ...]]:
    return _facts_and_gaps(coalition)


def _facts_and_gaps(coalition: Coalition) -> tuple[CoalitionFacts, tuple[RoleGap, ...]]:
    """The coalition's facts and role gaps, once per request (the roadmap steps and the
    proposals of the action plan both read them), and kept per version of this app's data
    and of what the other apps' records show in place: the rest of the facts are read
    from this app's tables and the coalition's."""
    # A tactic whose records (governance bodies, tracked funding, ...) show it in place
    # counts as in place, whatever its hand-set status says.
    found = evidence.collect(coalition)
    evidenced, recorded = frozenset(found), evidence.in_place(found)
    shown = ",".join(sorted(evidenced)) + "|" + ",".join(sorted(recorded))
    return once_per_request(
        coalition,
        f"assessment_facts:{shown}",
        lambda: _compute_facts(coalition, evidenced, recorded),
        apps=("assessments",),
    )


def _compute_facts(
    coalition: Coalition, evidenced: frozenset[str], recorded: frozenset[str]
) -> tuple[CoalitionFacts, tuple[RoleGap, ...]]:
    entries = list(list_role_matrix(coalition=coalition))
    tactics = list(
        TacticStatus.objects.filter(coalition=coalition).values_list("tactic_id", "status")
    )
    answered, repeated = _answered_kinds(
        coalition, has_role_matrix=bool(entries), has_tactics=bool(tactics)
    )
    gaps = _role_gaps(entries)
    invited = Invitation.objects.filter(coalition=coalition, role=Membership.Role.PARTNER).count()
    facts = CoalitionFacts(
        focus_area_count=len(coalition.focus_areas or []),
        role_ids=tuple(role.id for role in framework.ROLES),
        decided_role_ids=frozenset(entry.role_id for entry in entries),
        open_role_gap_count=len(gaps),
        invited_partner_count=invited,
        answered_assessments=answered,
        repeated_assessments=repeated,
        tactic_ids=tuple(tactic.id for tactic in framework.TACTICS),
        tactic_ids_started=frozenset(
            tactic_id for tactic_id, status in tactics if status != TacticStatus.Status.NOT_STARTED
        )
        | (evidenced & TACTIC_IDS),
        tactic_ids_in_place=frozenset(
            tactic_id for tactic_id, status in tactics if status == TacticStatus.Status.IN_PLACE
        )
        | (recorded & TACTIC_IDS),
    )
    return facts, gaps


STAGE_VOICE_GAP_PROPOSALS = 3
"""At most this many stage statements (the widest voice gaps, among the statements of the
coalition's stage and the next one) are proposed to discuss."""


@dataclass
class Proposals:
    """The proposed actions not yet accepted or set aside, ranked (``domain.roadmap``)."""

    proposals: list[ProposedAction]
    stage: StageResults | None
    has_ecosystem: bool


def open_proposals(*, coalition: Coalition) -> Proposals:
    """Actions proposed from the coalition's gaps, best first, renumbered from 1 after
    leaving out the ones already accepted into the plan or set aside (derived once per
    version of the coalition's data: ``coalitions.freshness``)."""
    return once_per_request(
        coalition,
        "open_proposals",
        lambda: _open_proposals(coalition),
        apps=("assessments", "ecosystem"),
    )


def _open_proposals(coalition: Coalition) -> Proposals:
    """Read from this app's tables, the ecosystem's and the coalition's only (the
    declared ``apps`` above; ``tests/test_provider_reads.py`` holds it to that)."""
    gaps = _role_gaps(list(list_role_matrix(coalition=coalition)))
    stage = None
    latest = _latest_closed_rounds(coalition)
    stage_round = latest.get(Assessment.Kind.STAGE)
    steps_stage_id = None
    missing: dict[str, float] = {}
    voice_gaps: dict[str, float] = {}
    if stage_round is not None:
        stage = stage_results(stage_round)
        result = stage.overall.result
        if not result.is_suppressed:
            shares = {item.item_id: item.share for item in result.items}
            steps_stage_id = result.next_steps_stage_id
            missing = {item_id: shares[item_id] for item_id in result.next_steps}
            # Voice gaps on the statements of the coalition's stage and the next one: the
            # ones that place it and say what to put in place.
            near = {result.stage_id, result.next_stage_id}
            stage_of = {item.item_id: item.stage_id for item in result.items}
            flagged = sorted(
                (
                    gap
                    for gap in stage.gaps.values()
                    if gap.is_flagged and stage_of[gap.item_id] in near
                ),
                key=lambda g: -abs(g.gap),
            )
            voice_gaps.update((gap.item_id, gap.gap) for gap in flagged[:STAGE_VOICE_GAP_PROPOSALS])
    pillar_means: dict[str, float] = {}
    # Of the rated rounds, only their items and factors are read (not the comparison
    # with the round before, the notes or the agreed positions of ``rated_results``).
    pillar_round = latest.get(Assessment.Kind.PILLARS)
    if pillar_round is not None:
        scale = get_exercise(Assessment.Kind.PILLARS).scale
        assert scale is not None
        for item in _item_results(pillar_round):
            distribution = item.overall.distribution
            if distribution is not None:
                pillar_means[item.item_id] = distribution.mean
            if item.voice_gap.is_flagged and item.voice_gap.gap is not None:
                # As a share of the scale's range, comparable with a stage statement's gap.
                voice_gaps[item.item_id] = item.voice_gap.gap / (scale.maximum - scale.minimum)
    ranks: tuple[DisagreementRank, ...] = ()
    decision_round = latest.get(Assessment.Kind.DECISION_POINTS)
    if decision_round is not None:
        ranks = rank_by_disagreement(_item_results(decision_round))
    factor_scores: list[FactorScore] = []
    readiness_round = latest.get(Assessment.Kind.READINESS)
    if readiness_round is not None:
        for views in _factor_scores(readiness_round).values():
            factor_scores.extend(views.values())
    eco = ecosystem_facts(coalition=coalition)
    ranked = propose_actions(
        infrastructure_stage_id=steps_stage_id,
        missing_infrastructure=missing,
        voice_gaps=voice_gaps,
        pillar_means=pillar_means,
        role_gaps=gaps,
        missing_sector_ids=tuple(eco.missing_sector_ids) if eco else (),
        disagreements=ranks,
        factor_scores=factor_scores,
    )
    taken = set(
        ActionItem.objects.filter(coalition=coalition)
        .exclude(source_key="")
        .values_list("source_key", flat=True)
    ) | set(
        DismissedProposal.objects.filter(coalition=coalition).values_list("source_key", flat=True)
    )
    remaining = [p for p in ranked if p.source_key not in taken]
    return Proposals(
        proposals=[replace(p, rank=position + 1) for position, p in enumerate(remaining)],
        stage=stage,
        has_ecosystem=eco is not None,
    )


def list_dismissed(*, coalition: Coalition) -> QuerySet[DismissedProposal]:
    return DismissedProposal.objects.filter(coalition=coalition).select_related(
        "dismissed_by__user"
    )


@dataclass(frozen=True)
class ActionRow:
    """An action item of the plan with its overdue flag (``domain.roadmap.is_overdue``)."""

    item: ActionItem
    is_overdue: bool


def _rows(items: Iterable[ActionItem], on: datetime.date) -> list[ActionRow]:
    return [
        ActionRow(item, is_overdue(due_on=item.due_on, status=item.status, today=on))
        for item in items
    ]


def list_action_rows(*, coalition: Coalition, on: datetime.date) -> list[ActionRow]:
    """The whole plan, in the model's order (status, due date), each flagged overdue or not."""
    return _rows(list_actions(coalition=coalition), on)


def list_my_tasks(*, membership: Membership, on: datetime.date) -> list[ActionRow]:
    """The action items ``membership`` owns, in every state: overdue first (the oldest due
    date first), then the other open and in-progress items by due date (none last), then
    the done ones."""
    rows = _rows(list_actions(coalition=membership.coalition).filter(owner=membership), on)

    def order(row: ActionRow) -> tuple[int, datetime.date, int]:
        group = 0 if row.is_overdue else 2 if row.item.status == ActionItem.Status.DONE else 1
        return (group, row.item.due_on or datetime.date.max, row.item.pk)

    return sorted(rows, key=order)


def count_overdue(
    *, coalition: Coalition, on: datetime.date, owner: Membership | None = None
) -> int:
    """How many of the plan's items (of ``owner``'s, when given) are overdue on ``on``."""
    items = list_actions(coalition=coalition)
    if owner is not None:
        items = items.filter(owner=owner)
    return sum(row.is_overdue for row in _rows(items, on))


@dataclass
class ActionPlan:
    """What the "Roadmap and action plan" page (and the API) shows.

    ``roadmap`` is ``coalitions.roadmap.build_roadmap``'s: the home page shows the same.
    """

    roadmap: Roadmap
    proposals: list[ProposedAction]
    stage: StageResults | None
    has_ecosystem: bool
    rows: list[ActionRow]
    dismissed: list[DismissedProposal]

    @property
    def overdue_count(self) -> int:
        return sum(row.is_overdue for row in self.rows)


def action_plan(*, coalition: Coalition, on: datetime.date) -> ActionPlan:
    found = open_proposals(coalition=coalition)
    return ActionPlan(
        roadmap=build_roadmap(coalition),
        proposals=found.proposals,
        stage=found.stage,
        has_ecosystem=found.has_ecosystem,
        rows=list_action_rows(coalition=coalition, on=on),
        dismissed=list(list_dismissed(coalition=coalition)),
    )
