"""Assessments endpoints of the JSON API; they call the same services and selectors as pages.

Suppressed views come back with ``suppressed: true`` and no numbers: a view with 1 to
4 self-submitted or 1 to 4 paper answers, or derivable from the shown ones or from an
earlier release of the round, is hidden here as everywhere. Notes come back the same
way (``notes_suppressed``).

Changing a shared record (``PATCH``) needs the ``version`` read with it: when someone
changed the record since, the answer is 409 and nothing is written.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from commonground.api.access import api_coalition
from commonground.assessments import selectors, services
from commonground.assessments.domain.roadmap import PROPOSALS_SHOWN
from commonground.assessments.models import ActionItem, Assessment, Response
from commonground.assessments.views import action_title
from commonground.coalitions.access import ADMINS, ALL_ROLES, CONTRIBUTORS
from commonground.coalitions.models import Membership
from commonground.coalitions.roadmap import Roadmap, build_roadmap
from commonground.lib.versioning import StaleEditError

router = Router(tags=["assessments"])
SUPPRESSED_REASON = "suppressed (fewer than 5)"


class AssessmentOut(Schema):
    id: int
    kind: str
    round_number: int
    status: str
    release: int
    is_anonymous: bool
    opened_at: datetime
    closed_at: datetime | None
    response_count: int
    has_answered: bool


class ViewStat(Schema):
    view: str
    suppressed: bool
    suppressed_reason: str | None = None
    respondents: int | None = None
    mean: float | None = None
    median: float | None = None
    std_dev: float | None = None
    stage_id: str | None = None
    stage_recognized: bool | None = Field(
        None,
        description="False when no stage's characteristics are recognized by most "
        "respondents and the stage is the closest one (tentative).",
    )
    readiness: float | None = Field(
        None, description="Share (0-1) of the next stage's infrastructure in place."
    )
    next_steps: list[str] | None = None
    next_steps_stage_id: str | None = None


class ItemOut(Schema):
    item_id: str
    views: list[ViewStat]
    voice_gap: float | None
    voice_gap_flagged: bool
    disagreement: float | None = None
    agreed_position: int | None = None
    notes: list[str] = []
    notes_suppressed: bool = False


class ResultsOut(Schema):
    """``is_final`` is false while the round is open: then only the counts are given."""

    assessment: AssessmentOut
    is_final: bool
    respondents: list[ViewStat]
    items: list[ItemOut]
    stage_views: list[ViewStat]


class ResponseIn(Schema):
    model_config = {"extra": "forbid"}

    answers: dict[str, Any]


class ResponseOut(Schema):
    id: int | None
    assessment_id: int
    member_type: str
    submitted_on: date
    answers: dict[str, Any] | None


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    try:
        return selectors.get_assessment(
            coalition=request.coalition,  # type: ignore[attr-defined]
            assessment_id=assessment_id,
        )
    except Assessment.DoesNotExist:
        raise HttpError(404, "Not Found") from None


def _assessment_out(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "kind": assessment.kind,
        "round_number": assessment.round_number,
        "status": assessment.status,
        "release": assessment.release,
        "is_anonymous": assessment.is_anonymous,
        "opened_at": assessment.opened_at,
        "closed_at": assessment.closed_at,
        "response_count": getattr(assessment, "response_count", None)
        if getattr(assessment, "response_count", None) is not None
        else selectors.answer_count(assessment),
        "has_answered": services.has_answered(
            assessment=assessment,
            membership=request.membership,  # type: ignore[attr-defined]
        ),
    }


def _hidden(view: str) -> dict[str, Any]:
    return {"view": view, "suppressed": True, "suppressed_reason": SUPPRESSED_REASON}


def _counts_out(counts: Sequence[selectors.ViewCount]) -> list[dict[str, Any]]:
    return [
        _hidden(count.view)
        if count.is_suppressed
        else {"view": count.view, "suppressed": False, "respondents": count.count}
        for count in counts
    ]


@router.get(
    "/{coalition_slug}/assessments", response=list[AssessmentOut], summary="Assessment rounds"
)
@api_coalition(*ALL_ROLES)
def list_assessments(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    rounds = selectors.list_assessments(coalition=request.coalition)  # type: ignore[attr-defined]
    return [_assessment_out(request, assessment) for assessment in rounds]


@router.get(
    "/{coalition_slug}/assessments/{assessment_id}/results",
    response=ResultsOut,
    summary="Results of a round, by member type, with small groups suppressed",
)
@api_coalition(*ALL_ROLES)
def get_assessment_results(
    request: HttpRequest, coalition_slug: str, assessment_id: int
) -> dict[str, Any]:
    assessment = _assessment(request, assessment_id)
    if assessment.is_open:
        counts = selectors.round_counts(assessment)
        return {
            "assessment": _assessment_out(request, assessment),
            "is_final": False,
            "respondents": _counts_out(counts),
            "items": [],
            "stage_views": [],
        }
    found = selectors.results_for(assessment)
    respondents = _counts_out(found.counts)
    items: list[dict[str, Any]] = []
    stage_views: list[dict[str, Any]] = []
    if isinstance(found, selectors.StageResults):
        for view in found.views:
            if view.is_suppressed:
                stage_views.append(_hidden(view.view))
            else:
                stage_views.append(
                    {
                        "view": view.view,
                        "suppressed": False,
                        "respondents": view.result.respondent_count,
                        "stage_id": view.result.stage_id,
                        "stage_recognized": view.result.is_recognized,
                        "readiness": view.result.readiness,
                        "next_steps": list(view.result.next_steps),
                        "next_steps_stage_id": view.result.next_steps_stage_id,
                    }
                )
        for gap in found.gaps.values():
            items.append(
                {
                    "item_id": gap.item_id,
                    "views": [],
                    "voice_gap": gap.gap,
                    "voice_gap_flagged": gap.is_flagged,
                }
            )
    else:
        for row in found.rows:
            views = []
            for stat in row.result.views:
                if stat.is_suppressed:
                    views.append(_hidden(stat.view))
                    continue
                distribution = stat.distribution
                views.append(
                    {
                        "view": stat.view,
                        "suppressed": False,
                        "respondents": stat.respondent_count,
                        "mean": distribution.mean if distribution else None,
                        "median": distribution.median if distribution else None,
                        "std_dev": distribution.std_dev if distribution else None,
                    }
                )
            items.append(
                {
                    "item_id": row.item_id,
                    "views": views,
                    "voice_gap": row.result.voice_gap.gap,
                    "voice_gap_flagged": row.result.voice_gap.is_flagged,
                    "disagreement": row.rank.disagreement if row.rank else None,
                    "agreed_position": row.agreed.position if row.agreed else None,
                    "notes": list(row.notes),
                    "notes_suppressed": row.notes_hidden,
                }
            )
    return {
        "assessment": _assessment_out(request, assessment),
        "is_final": True,
        "respondents": respondents,
        "items": items,
        "stage_views": stage_views,
    }


@router.post(
    "/{coalition_slug}/assessments/{assessment_id}/responses",
    response={201: ResponseOut},
    summary="Answer an open round (once; viewers cannot answer)",
)
@api_coalition(*CONTRIBUTORS)
def submit_assessment_response(
    request: HttpRequest, coalition_slug: str, assessment_id: int, payload: ResponseIn
) -> Status[dict[str, Any]]:
    assessment = _assessment(request, assessment_id)
    try:
        response = services.submit_response(
            assessment=assessment,
            membership=request.membership,  # type: ignore[attr-defined]
            answers=payload.answers,
        )
    except services.LockedError as error:
        raise HttpError(409, "; ".join(error.messages)) from None
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return Status(
        201,
        {
            "id": None if assessment.is_anonymous else response.pk,
            "assessment_id": assessment.pk,
            "member_type": response.member_type,
            "submitted_on": response.submitted_on,
            "answers": response.answers,
        },
    )


@router.get(
    "/{coalition_slug}/assessments/{assessment_id}/responses/mine",
    response=list[ResponseOut],
    summary="My own answers to a named round (anonymous answers cannot be found again)",
)
@api_coalition(*CONTRIBUTORS)
def list_my_assessment_responses(
    request: HttpRequest, coalition_slug: str, assessment_id: int
) -> list[dict[str, Any]]:
    assessment = _assessment(request, assessment_id)
    mine = Response.objects.filter(
        assessment=assessment,
        respondent=request.membership,  # type: ignore[attr-defined]
    )
    return [
        {
            "id": response.pk,
            "assessment_id": assessment.pk,
            "member_type": response.member_type,
            "submitted_on": response.submitted_on,
            "answers": response.answers,
        }
        for response in mine
    ]


class ActionItemOut(Schema):
    id: int
    title: str
    source_key: str
    owner_membership_id: int | None
    owner_actor_id: int | None = Field(
        None, description="The organization (ecosystem actor) that owns it, if any."
    )
    decision_id: int | None = Field(None, description="The decision it carries out, if any.")
    due_on: date | None
    status: str
    version: int


class ActionItemPatch(Schema):
    """Send ``version`` (as read) and only the fields to change; others keep their values."""

    model_config = {"extra": "forbid"}

    version: int = Field(ge=1, description="The version read with the item; 409 if stale.")
    title: str | None = None
    status: str | None = None
    owner_membership_id: int | None = None
    due_on: date | None = None


def _action_out(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "source_key": item.source_key,
        "owner_membership_id": item.owner_id,
        "owner_actor_id": item.owner_actor_id,
        "decision_id": item.decision_id,
        "due_on": item.due_on,
        "status": item.status,
        "version": item.version,
    }


@router.get(
    "/{coalition_slug}/assessments/actions",
    response=list[ActionItemOut],
    summary="The action plan (each item with its version, for PATCH)",
)
@api_coalition(*ALL_ROLES)
def list_action_items(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    coalition = request.coalition  # type: ignore[attr-defined]
    return [_action_out(item) for item in selectors.list_actions(coalition=coalition)]


@router.patch(
    "/{coalition_slug}/assessments/actions/{action_id}",
    response=ActionItemOut,
    summary="Change an action item (send the version you read; 409 when someone changed it)",
)
@api_coalition(*ADMINS)
def update_action_item(
    request: HttpRequest, coalition_slug: str, action_id: int, payload: ActionItemPatch
) -> dict[str, Any]:
    coalition = request.coalition  # type: ignore[attr-defined]
    try:
        item = selectors.list_actions(coalition=coalition).get(pk=action_id)
    except ActionItem.DoesNotExist:
        raise HttpError(404, "Not Found") from None
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    for name in ("title", "status"):
        if name in changes and changes[name] is None:
            raise HttpError(422, f"{name}: send a value, or leave the field out to keep it")
    fields: dict[str, Any] = {
        name: changes[name] for name in ("title", "status", "due_on") if name in changes
    }
    if "owner_membership_id" in changes:
        owner_id = changes["owner_membership_id"]
        if owner_id is None:
            fields["owner"] = None
        else:
            try:
                fields["owner"] = selectors.list_owners(coalition=coalition).get(pk=owner_id)
            except Membership.DoesNotExist:
                raise HttpError(
                    422, "owner_membership_id: not a member of this coalition who can own it"
                ) from None
    try:
        item = services.update_action(item=item, actor=request.user, expected=version, **fields)
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return _action_out(item)


# -- the roadmap, the action plan and my tasks ------------------------------------------------


class StepOut(Schema):
    key: str = Field(description="Stable id of the step, e.g. 'ecosystem.map' or a framework id.")
    label: str = Field(description="In the request's language.")
    is_done: bool
    url: str
    detail: str


class ChapterOut(Schema):
    key: str = Field(description="The framework chapter id.")
    order: int
    name: str
    done: int
    total: int
    progress: float = Field(description="done / total, 0 to 1 (0 when no step is tracked).")
    percent: int
    next_step_key: str | None = Field(description="The first step not done.")
    steps: list[StepOut]


class StageSummaryOut(Schema):
    assessment_id: int
    round_number: int
    stage_id: str
    stage_recognized: bool
    next_stage_id: str | None
    readiness: float | None = Field(
        description="Share (0-1) of the next stage's infrastructure in place."
    )
    next_steps: list[str]
    next_steps_stage_id: str | None


class RoadmapOut(Schema):
    """The roadmap the coalition home and the action-plan page show (``build_roadmap``)."""

    chapters: list[ChapterOut]
    stage: StageSummaryOut | None = Field(
        description="The latest closed stage assessment, overall view; null when there is "
        "none or it is suppressed."
    )


class ProposalOut(Schema):
    rank: int = Field(description="1 is the most important proposal not yet accepted or set aside.")
    key: str = Field(description="What kind of action, e.g. 'actions.strengthen_pillar'.")
    source_key: str = Field(description="The gap it answers; accept it with this key.")
    title: str = Field(description="In the request's language.")
    priority: str = Field(description="'high', 'medium' or 'low'.")
    owner_member_type: str
    params: dict[str, str]


class PlanItemOut(ActionItemOut):
    owner_name: str | None
    is_overdue: bool = Field(description="Past its due date and not done.")


class DismissedOut(Schema):
    source_key: str
    title: str
    dismissed_on: date


class ActionPlanOut(Schema):
    today: date = Field(description="The date due dates are compared with.")
    proposals_shown: int = Field(description="How many proposals the page shows at first.")
    proposals: list[ProposalOut] = Field(description="Every open proposal, ranked.")
    items: list[PlanItemOut]
    overdue_count: int
    dismissed: list[DismissedOut]


PRIORITY_NAMES = {1: "high", 2: "medium", 3: "low"}


def _chapters_out(roadmap: Roadmap) -> list[dict[str, Any]]:
    language = get_language() or "en"
    return [
        {
            "key": chapter.chapter.id,
            "order": chapter.chapter.order,
            "name": chapter.chapter.name.get(language),
            "done": chapter.done,
            "total": chapter.total,
            "progress": chapter.progress,
            "percent": chapter.percent,
            "next_step_key": chapter.next.key if chapter.next else None,
            "steps": [
                {
                    "key": step.key,
                    "label": step.label,
                    "is_done": step.is_done,
                    "url": step.url,
                    "detail": step.detail,
                }
                for step in chapter.steps
            ],
        }
        for chapter in roadmap.chapters
    ]


def _stage_out(stage: selectors.StageResults | None) -> dict[str, Any] | None:
    if stage is None or stage.overall.result.is_suppressed:
        return None
    result = stage.overall.result
    return {
        "assessment_id": stage.assessment.pk,
        "round_number": stage.assessment.round_number,
        "stage_id": result.stage_id,
        "stage_recognized": result.is_recognized,
        "next_stage_id": result.next_stage_id,
        "readiness": result.readiness,
        "next_steps": list(result.next_steps),
        "next_steps_stage_id": result.next_steps_stage_id,
    }


def _plan_item_out(row: selectors.ActionRow) -> dict[str, Any]:
    item = row.item
    return {
        **_action_out(item),
        "owner_name": str(item.owner.user) if item.owner else None,
        "is_overdue": row.is_overdue,
    }


@router.get(
    "/{coalition_slug}/roadmap",
    response=RoadmapOut,
    summary="The roadmap: chapters, steps and progress (the same as the coalition home)",
)
@api_coalition(*ALL_ROLES)
def get_roadmap(request: HttpRequest, coalition_slug: str) -> dict[str, Any]:
    coalition = request.coalition  # type: ignore[attr-defined]
    found = selectors.open_proposals(coalition=coalition)
    return {"chapters": _chapters_out(build_roadmap(coalition)), "stage": _stage_out(found.stage)}


@router.get(
    "/{coalition_slug}/action-plan",
    response=ActionPlanOut,
    summary="The action plan: ranked proposals and the plan's items with their overdue flag",
)
@api_coalition(*ALL_ROLES)
def get_action_plan(request: HttpRequest, coalition_slug: str) -> dict[str, Any]:
    coalition = request.coalition  # type: ignore[attr-defined]
    on = selectors.today()
    plan = selectors.action_plan(coalition=coalition, on=on)
    return {
        "today": on,
        "proposals_shown": PROPOSALS_SHOWN,
        "proposals": [
            {
                "rank": proposal.rank,
                "key": proposal.key,
                "source_key": proposal.source_key,
                "title": action_title(proposal),
                "priority": PRIORITY_NAMES[proposal.priority],
                "owner_member_type": proposal.owner_member_type,
                "params": dict(proposal.params),
            }
            for proposal in plan.proposals
        ],
        "items": [_plan_item_out(row) for row in plan.rows],
        "overdue_count": plan.overdue_count,
        "dismissed": [
            {"source_key": d.source_key, "title": d.title, "dismissed_on": d.dismissed_on}
            for d in plan.dismissed
        ],
    }


@router.get(
    "/{coalition_slug}/tasks/mine",
    response=list[PlanItemOut],
    summary="My tasks: the action items I own, in every state, overdue ones first",
)
@api_coalition(*ALL_ROLES)
def list_my_tasks(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    rows = selectors.list_my_tasks(
        membership=request.membership,  # type: ignore[attr-defined]
        on=selectors.today(),
    )
    return [_plan_item_out(row) for row in rows]
